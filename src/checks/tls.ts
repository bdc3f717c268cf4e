import type { TlsSpec } from './specs.js';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { Message, Text } from '../core/i18n.js';
import { joinHostPort, splitHostPort } from './address.js';
import { nameContext } from './exchange.js';
import { failureResult } from './results.js';
import { ProbeFailure, type Failure } from './failure.js';
import { openConnection } from './http-client.js';
import { exchangeFromNetwork, NetworkVantageError } from './network-vantage.js';
import {
  certificateFromPem,
  certificateNames,
  normalizeFingerprint,
  type CertificateInfo,
} from './peer-certificate.js';
import { certificateReceipt, connectReceipt } from './receipt.js';
import { resolveName } from './resolve-name.js';
import { planRequest } from './target.js';
import type { CheckContext, CheckDefinition, CheckResult } from './types.js';
import { chooseVantage } from './vantage.js';
import { toolCommand } from '../platform/invocation.js';
import { addressDependencies } from './dependencies.js';
import { withParticle } from '../core/korean.js';
import { tlsCurlLine, tlsLines } from './lines.js';

function expectedText(spec: TlsSpec): Text {
  const ko = [`${spec.servername}용 인증서`];
  const en = [`a certificate for ${spec.servername}`];
  if (spec.certFile) {
    ko.push(`${spec.certFile}와 같은 인증서`);
    en.push(`exactly the one in ${spec.certFile}`);
  }
  if (spec.fingerprint256) {
    ko.push(`SHA-256 ${normalizeFingerprint(spec.fingerprint256)}`);
    en.push(`SHA-256 ${normalizeFingerprint(spec.fingerprint256)}`);
  }
  if (spec.subjectCN) {
    ko.push(`CN=${spec.subjectCN}`);
    en.push(`CN=${spec.subjectCN}`);
  }
  if (spec.sanContains) {
    ko.push(`SAN에 ${spec.sanContains.join(', ')}`);
    en.push(`SAN with ${spec.sanContains.join(', ')}`);
  }
  if (spec.notExpired) {
    ko.push('유효 기간 안');
    en.push('not expired');
  }
  return { ko: ko.join(', '), en: en.join(', ') };
}

export function certificateSummary(cert: CertificateInfo): Text {
  const san = cert.san.length > 0 ? cert.san.join(', ') : '-';
  const base = `${cert.subject}, SAN ${san}, SHA-256 ${cert.fingerprint256}`;
  return {
    ko: `${base}, ${cert.validFrom.slice(0, 10)}~${cert.validTo.slice(0, 10)}${cert.selfSigned ? ', 자체 서명' : ''}${cert.expired ? ', 만료됨' : ''}`,
    en: `${base}, valid ${cert.validFrom.slice(0, 10)} to ${cert.validTo.slice(0, 10)}${cert.selfSigned ? ', self-signed' : ''}${cert.expired ? ', expired' : ''}`,
  };
}

type Presented =
  { ok: true; certificate: CertificateInfo } | { ok: false; failure: Failure } | { ok: 'unavailable'; cause: Message };

/** Shake hands (accepting any certificate, as curl -k) and return what the server presented. */
async function presentedCertificate(
  ctx: CheckContext,
  address: string,
  port: number,
  servername: string,
): Promise<{ presented: Presented; network?: { network: string; image: string } }> {
  const vantage = await chooseVantage(ctx, address);
  if (vantage.kind === 'unavailable') return { presented: { ok: 'unavailable', cause: vantage.cause } };
  const deadline = { timeoutMs: ctx.timeoutMs, signal: ctx.signal };
  if (vantage.kind === 'host') {
    try {
      const connection = await openConnection({ address, port, tls: { servername, insecure: true } }, deadline);
      connection.close();
      const { certificate } = connection.info;
      if (!certificate)
        return {
          presented: { ok: false, failure: { kind: 'tls', phase: 'handshake', detail: 'no certificate presented' } },
        };
      return { presented: { ok: true, certificate } };
    } catch (error) {
      if (error instanceof ProbeFailure) return { presented: { ok: false, failure: error.failure } };
      throw error;
    }
  }
  const planned = await planRequest(
    { url: `https://${joinHostPort(address, port)}/`, host: servername, insecure: true },
    { ...nameContext(ctx), noHosts: false },
  );
  if (!planned.ok) return { presented: { ok: false, failure: planned.failure }, network: vantage.probe };
  try {
    const [attempt] = await exchangeFromNetwork(
      planned.plan,
      { count: 1, keepAlive: false, stopOnFailure: true, ...deadline },
      vantage.probe,
      ctx.exec,
    );
    if (attempt?.certificate)
      return { presented: { ok: true, certificate: attempt.certificate }, network: vantage.probe };
    if (attempt && !attempt.ok) return { presented: { ok: false, failure: attempt.failure }, network: vantage.probe };
    return {
      presented: {
        ok: 'unavailable',
        cause: {
          ko: '컨테이너의 curl이 인증서를 보여 주지 않았습니다 (curl 7.88 이상의 %{certs} 필요).',
          en: "The container's curl did not print the certificate (%{certs} needs curl 7.88 or later).",
        },
      },
      network: vantage.probe,
    };
  } catch (error) {
    if (!(error instanceof NetworkVantageError)) throw error;
    return {
      presented: {
        ok: 'unavailable',
        cause: {
          ko: `curl 컨테이너 실행 실패: ${error.message}`,
          en: `The curl container did not run: ${error.message}`,
        },
      },
      network: vantage.probe,
    };
  }
}

async function expectedFingerprint(
  spec: TlsSpec,
  ctx: CheckContext,
): Promise<{ value?: string; missing?: string; unreadable?: string }> {
  if (spec.fingerprint256) return { value: normalizeFingerprint(spec.fingerprint256) };
  if (!spec.certFile) return {};
  const file = isAbsolute(spec.certFile) ? spec.certFile : join(ctx.paths.workspace, spec.certFile);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { missing: file };
    throw error;
  }
  const cert = certificateFromPem(text);
  return cert ? { value: cert.fingerprint256 } : { unreadable: file };
}

export const tlsCheck: CheckDefinition<TlsSpec> = {
  name: 'tls',
  network: true,
  dependsOn: addressDependencies,
  ...tlsLines,
  async run(spec, ctx): Promise<CheckResult> {
    const expected = expectedText(spec);
    const parts = splitHostPort(spec.address);
    if (!parts)
      return { verdict: 'broken', observed: `not host:port: ${spec.address}`, expected, command: spec.address };
    const resolution = await resolveName(parts.host, nameContext(ctx));
    if (!resolution.ok)
      return failureResult(resolution.failure, { label: spec.address }, expected, tlsCurlLine(spec, parts.host), ctx);
    const { address } = resolution;
    const fingerprint = await expectedFingerprint(spec, ctx);
    const label = `${joinHostPort(address, parts.port)} (SNI ${spec.servername})`;
    const { presented, network } = await presentedCertificate(ctx, address, parts.port, spec.servername);
    const command = tlsCurlLine(spec, address, network);
    if (presented.ok === 'unavailable') {
      return {
        verdict: 'broken',
        observed: { ko: '인증서를 확인할 수 없음', en: 'cannot look at the certificate' },
        expected,
        command,
        cause: presented.cause,
      };
    }
    const endpoint = { address, port: parts.port };
    const vantage = network ? 'network' : 'host';
    if (!presented.ok)
      return {
        ...failureResult(presented.failure, { ...endpoint, label }, expected, command, ctx),
        receipt: connectReceipt(ctx.cluster, endpoint, vantage, presented.failure),
      };
    if (fingerprint.missing || fingerprint.unreadable) {
      const file = fingerprint.missing ?? fingerprint.unreadable!;
      return {
        verdict: fingerprint.missing ? 'not-yet' : 'broken',
        observed: fingerprint.missing
          ? {
              ko: `인증서 파일 ${withParticle(file, '이/가')} 아직 없음`,
              en: `certificate file ${file} does not exist yet`,
            }
          : { ko: `${file}에서 PEM 인증서를 읽을 수 없음`, en: `no PEM certificate can be read from ${file}` },
        expected,
        command,
        cause: {
          ko: `먼저 인증서를 만드는 단계를 하세요 (${toolCommand()} tls generate).`,
          en: `Make the certificate first (${toolCommand()} tls generate).`,
        },
      };
    }
    const cert = presented.certificate;
    const summary = certificateSummary(cert);
    const problems: Text[] = [];
    if (!certificateNames(cert, spec.servername)) {
      problems.push({
        ko: `${spec.servername}용이 아님 (SAN에 없음)`,
        en: `not made for ${spec.servername} (not in its SAN)`,
      });
    }
    if (fingerprint.value && normalizeFingerprint(cert.fingerprint256) !== fingerprint.value) {
      problems.push({
        ko: `지문이 다름 (기대 ${fingerprint.value})`,
        en: `different fingerprint (expected ${fingerprint.value})`,
      });
    }
    if (spec.subjectCN && cert.subjectCN !== spec.subjectCN) {
      problems.push({ ko: `CN이 ${cert.subjectCN ?? '(없음)'}`, en: `CN is ${cert.subjectCN ?? '(none)'}` });
    }
    for (const name of spec.sanContains ?? []) {
      if (!cert.san.some((s) => s.toLowerCase() === name.toLowerCase()))
        problems.push({ ko: `SAN에 ${name} 없음`, en: `SAN lacks ${name}` });
    }
    if (spec.notExpired && cert.expired) problems.push({ ko: '유효 기간 밖', en: 'outside its validity period' });
    const observed: Text = { ko: `${label}: ${summary.ko}`, en: `${label}: ${summary.en}` };
    const mismatch: Text | undefined = problems.length
      ? { ko: problems.map((p) => p.ko).join(', '), en: problems.map((p) => p.en).join(', ') }
      : undefined;
    const receipt = certificateReceipt(ctx.cluster, endpoint, vantage, cert, mismatch);
    if (problems.length === 0) return { verdict: 'pass', observed, expected, command, receipt };
    return {
      verdict: 'wrong',
      observed: {
        ko: `${observed.ko} — ${problems.map((p) => p.ko).join(', ')}`,
        en: `${observed.en} — ${problems.map((p) => p.en).join(', ')}`,
      },
      expected,
      command,
      cause: {
        ko: '서버가 다른 인증서를 내밀고 있습니다: TLS Secret이 방금 만든 인증서로 만들어졌는지, Ingress의 spec.tls가 그 Secret과 이 이름을 가리키는지 확인하세요.',
        en: 'The server presents another certificate: check that the TLS Secret was made from the certificate you just generated, and that spec.tls of the Ingress names that Secret and this host.',
      },
      receipt,
    };
  },
};
