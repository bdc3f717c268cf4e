import type { CertificateInfo } from './peer-certificate.js';

/**
 * Why a request got no HTTP answer. The kinds are what a learner must tell apart: a refusal (nothing listens),
 * a drop (packets vanish, as externalTrafficPolicy Local does on a node without a pod), a reset or close
 * without answer (a proxy with no backend), a TLS failure, a name that resolves nowhere or outside the lab.
 */
export type FailureKind =
  'refused' | 'dropped' | 'reset' | 'tls' | 'dns' | 'unreachable' | 'not-lab' | 'protocol' | 'error';

/** Where it happened: the name lookup, the TCP connect, the TLS handshake, the certificate check, the answer. */
export type FailurePhase = 'resolve' | 'connect' | 'handshake' | 'verify' | 'answer';

export interface Failure {
  kind: FailureKind;
  phase: FailurePhase;
  /** The raw detail: an error code, curl's message, the addresses a name resolved to. */
  detail: string;
}

export class ProbeFailure extends Error {
  override readonly name = 'ProbeFailure';
  constructor(
    readonly failure: Failure,
    /** The certificate seen before a verification failure, still worth showing. */
    readonly certificate?: CertificateInfo,
  ) {
    super(`${failure.kind} (${failure.phase}): ${failure.detail}`);
  }
}

function errorCode(error: unknown): string {
  const e = error as NodeJS.ErrnoException | undefined;
  return e?.code ?? (e instanceof Error ? e.message : String(error));
}

/** A socket error while connecting or waiting for the answer → the failure a learner should hear about. */
export function classifySocketError(error: unknown, phase: FailurePhase): Failure {
  const code = errorCode(error);
  switch (code) {
    case 'ECONNREFUSED':
      return { kind: 'refused', phase, detail: code };
    case 'ETIMEDOUT':
      return { kind: 'dropped', phase, detail: code };
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ECONNABORTED':
      return { kind: 'reset', phase, detail: code };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
    case 'ENETDOWN':
      return { kind: 'unreachable', phase, detail: code };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'ENODATA':
      return { kind: 'dns', phase: 'resolve', detail: code };
    default:
      return { kind: 'error', phase, detail: code };
  }
}
