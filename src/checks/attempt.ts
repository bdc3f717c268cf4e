import type { Failure } from './failure.js';
import type { HttpResponse } from './http-parser.js';
import type { CertificateInfo } from './peer-certificate.js';
import type { Whoami } from './whoami.js';

export interface Peer {
  address: string;
  port: number;
}

interface AttemptCommon {
  /** 1-based position in the series. */
  index: number;
  /** 1-based number of the connection it went over (requests on one keep-alive connection share it). */
  connection?: number;
  ms: number;
  certificate?: CertificateInfo;
}

/** One request that got an HTTP answer, from either vantage point. */
export interface Answer extends AttemptCommon {
  ok: true;
  connection: number;
  response: HttpResponse;
  local: Peer;
  remote: Peer;
  /** Why the certificate would not be trusted (the request went on because of insecure). */
  trustError?: string;
  whoami?: Whoami;
}

/** One request that got no HTTP answer. */
export interface Miss extends AttemptCommon {
  ok: false;
  failure: Failure;
}

export type Attempt = Answer | Miss;

export interface ExchangeOptions {
  count: number;
  /** All requests on one connection (like a browser) instead of one connection each (like curl in a loop). */
  keepAlive: boolean;
  timeoutMs: number;
  /** Stop at the first request without an answer (checks); probe goes on to show every request. */
  stopOnFailure: boolean;
  signal?: AbortSignal;
}

/** Pod names that answered (whoami `Hostname:`), in order. */
export function podsOf(attempts: readonly Attempt[]): string[] {
  return attempts.flatMap((a) => (a.ok && a.whoami ? [a.whoami.hostname] : []));
}

export function firstMiss(attempts: readonly Attempt[]): Miss | undefined {
  return attempts.find((a): a is Miss => !a.ok);
}

export function answers(attempts: readonly Attempt[]): Answer[] {
  return attempts.filter((a): a is Answer => a.ok);
}
