import { isIP } from 'node:net';
import { EXIT, UsageError } from '../core/errors.js';
import { toolCommand } from '../platform/invocation.js';
import { answers, podsOf, type Attempt } from '../checks/attempt.js';
import { curlLine, describeCurl } from '../checks/curl-line.js';
import { failureCause, failureLabel, statusCause } from '../checks/explain.js';
import type { Failure } from '../checks/failure.js';
import { exchangeFromHost } from '../checks/host-exchange.js';
import { answersTls } from '../checks/tls-sniff.js';
import type { CertificateInfo } from '../checks/peer-certificate.js';
import { podBarChart } from '../ui/chart.js';
import { countPods } from '../checks/pod-count.js';
import type { NameContext } from '../checks/resolve-name.js';
import { isMappedPort } from '../checks/results.js';
import { HOST_NAME } from '../checks/spec-fields.js';
import { describeEndpoint, looksLikeHttpUrl, planRequest, type RequestPlan } from '../checks/target.js';
import type { Text } from '../core/i18n.js';
import { attemptReceipt, notSentReceipt, type Receipt } from '../checks/receipt.js';
import type { CommandEnv, CommandRun } from './types.js';

/**
 * `expose-labs probe <url>`: a curl that knows the labs. From this machine (no container), it sends
 * `--connections` requests (each on a new connection, or all on one with `--keepalive`), names the pod behind
 * each answer, draws the spread, shows the certificate of an https server and names the kind of failure.
 * Exit 0 when every request got an answer (with `--expect-status`: that status), else 1.
 *
 * `--json` prints one object; its fields are stable (new fields may be added, none renamed or removed):
 * {
 *   "url": string,
 *   "command": string,                      // the equivalent curl line
 *   "connect": { "address": string, "port": number,
 *                "via": "literal" | "resolve" | "no-hosts" | "hosts-file" | "dns" } | null,   // null: nothing sent
 *   "host": string | null,                  // Host header sent
 *   "servername": string | null,            // TLS SNI sent
 *   "keepalive": boolean,
 *   "expectStatus": number | null,
 *   "ok": boolean,                          // the exit code is 0 exactly when ok
 *   "requests": [{ "index": number, "connection": number | null, "ms": number, "ok": true,
 *                  "status": number, "pod": string | null, "remoteAddr": string | null }
 *              | { "index": number, "connection": number | null, "ms": number, "ok": false,
 *                  "failure": { "kind": "refused" | "dropped" | "reset" | "tls" | "dns" | "unreachable"
 *                                     | "not-lab" | "protocol" | "error",
 *                               "phase": "resolve" | "connect" | "handshake" | "verify" | "answer",
 *                               "detail": string } }],
 *   "pods": { [pod: string]: number },      // answers per pod, in order of first answer
 *   "certificate": null | { "subject", "subjectCN", "issuer", "san": string[], "fingerprint256", "serialNumber",
 *                           "validFrom", "validTo" (ISO 8601), "selfSigned": boolean, "expired": boolean,
 *                           "trusted": boolean, "trustError": string | null },
 *   "failure": null | { "kind", "phase", "detail", "cause": string },  // the first failure, cause in --lang
 *   "receipt": null | Receipt               // what each layer did (src/checks/receipt.ts); null: nothing sent
 * }
 */

interface ProbeOptions {
  url: string;
  resolve?: string;
  host?: string;
  connections: number;
  keepalive: boolean;
  insecure: boolean;
  expectStatus?: number;
  timeoutMs: number;
}

/** Node's timers take at most 2^31 - 1 ms; a longer one fires at once (a false "dropped"). */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

function positive(value: unknown, fallback: number, flag: string, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new UsageError({
      ko: `${flag} 에는 1에서 ${max} 사이의 정수가 필요합니다: ${JSON.stringify(value)}`,
      en: `${flag} needs a whole number from 1 to ${max}: ${JSON.stringify(value)}`,
    });
  }
  return n;
}

/** `probe 127.0.0.1:18080` as curl reads it: without a scheme, http:// is meant. */
function withScheme(url: string | undefined): string | undefined {
  if (url === undefined || /^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return url;
  return /^[^\s/:]+(:\d+)?(\/|$)|^\[[0-9a-f:]+\](:\d+)?(\/|$)/i.test(url) ? `http://${url}` : url;
}

function readOptions(args: string[], opts: Record<string, unknown>): ProbeOptions {
  const url = withScheme(args[0]);
  if (!url || !looksLikeHttpUrl(url) || url.includes('{{')) {
    throw new UsageError(
      {
        ko: `http:// 또는 https:// 로 시작하는 URL이 필요합니다: ${url ?? '(없음)'}`,
        en: `Expected a URL starting with http:// or https://: ${url ?? '(none)'}`,
      },
      {
        ko: `예: ${toolCommand('probe http://127.0.0.1:30000/')}`,
        en: `For example: ${toolCommand('probe http://127.0.0.1:30000/')}`,
      },
    );
  }
  let resolve = opts.resolve === undefined ? undefined : optionText(opts.resolve);
  // Accept curl's own form `name:port:address` too.
  const curlForm = resolve ? /^[^:\s]+:\d+:\[?([^\]]+)\]?$/.exec(resolve) : null;
  if (curlForm) resolve = curlForm[1];
  if (resolve !== undefined && isIP(resolve) === 0) {
    throw new UsageError(
      { ko: `--resolve 에는 IP 주소가 필요합니다: ${resolve}`, en: `--resolve needs an IP address: ${resolve}` },
      {
        ko: '예: --resolve 127.0.0.1 (또는 curl 형식 niniz.com:80:127.0.0.1)',
        en: 'For example: --resolve 127.0.0.1 (or curl style niniz.com:80:127.0.0.1)',
      },
    );
  }
  const host = opts.host === undefined ? undefined : optionText(opts.host);
  if (host !== undefined && !HOST_NAME.test(host)) {
    throw new UsageError({
      ko: `--host 에는 호스트 이름이 필요합니다: ${host}`,
      en: `--host needs a host name: ${host}`,
    });
  }
  return {
    url,
    resolve,
    host,
    connections: positive(opts.connections, 1, '--connections'),
    keepalive: Boolean(opts.keepalive),
    insecure: Boolean(opts.insecure),
    expectStatus: opts.expectStatus === undefined ? undefined : positive(opts.expectStatus, 200, '--expect-status'),
    timeoutMs: positive(opts.timeout, 3000, '--timeout', MAX_TIMEOUT_MS),
  };
}

/** The cluster's networks, if a lab cluster answers; a name pointing elsewhere is not probed. */
async function clusterNetworks(env: CommandEnv): Promise<string[]> {
  try {
    const provider = await env.deps.provider(env.options);
    const o = env.options;
    const cluster = await provider.connect({
      name: o.clusterName,
      ports: o.ports,
      context: o.context,
      keepOnFailure: o.keepOnFailure,
      yes: o.yes,
      dryRun: o.dryRun,
      verbose: o.verbose,
    });
    return (await cluster?.reachability())?.labNetworks ?? [];
  } catch {
    return [];
  }
}

function certificateOf(attempts: Attempt[]): { certificate: CertificateInfo; trustError?: string } | undefined {
  for (const a of attempts) {
    if (!a.certificate) continue;
    if (a.ok) return { certificate: a.certificate, trustError: a.trustError };
    return { certificate: a.certificate, trustError: a.failure.phase === 'verify' ? a.failure.detail : undefined };
  }
  return undefined;
}

function firstFailure(attempts: Attempt[]): Failure | undefined {
  for (const a of attempts) if (!a.ok) return a.failure;
  return undefined;
}

export interface ProbeReport {
  url: string;
  command: string;
  connect: { address: string; port: number; via: string } | null;
  host: string | null;
  servername: string | null;
  keepalive: boolean;
  expectStatus: number | null;
  ok: boolean;
  requests: (
    | {
        index: number;
        connection: number | null;
        ms: number;
        ok: true;
        status: number;
        pod: string | null;
        remoteAddr: string | null;
      }
    | { index: number; connection: number | null; ms: number; ok: false; failure: Failure }
  )[];
  pods: Record<string, number>;
  certificate: (CertificateInfo & { trusted: boolean; trustError: string | null }) | null;
  failure: (Failure & { cause: string }) | null;
  receipt: Receipt | null;
}

/** The first failed request's receipt, else the first answer's; the probe runs from the host. */
function probeReceipt(
  plan: RequestPlan | undefined,
  attempts: Attempt[],
  failure: Failure | undefined,
  env: CommandEnv,
): Receipt | null {
  if (!plan) return failure ? notSentReceipt(failure) : null;
  const attempt = attempts.find((a) => !a.ok) ?? attempts[0];
  if (!attempt) return null;
  const cluster = { name: env.options.clusterName, ports: env.options.ports };
  return attemptReceipt(cluster, plan.endpoint, 'host', attempt);
}

function report(
  o: ProbeOptions,
  plan: RequestPlan | undefined,
  attempts: Attempt[],
  failure: Failure | undefined,
  command: string,
  env: CommandEnv,
  speaksTls = false,
): ProbeReport {
  const statusesOk =
    o.expectStatus === undefined || answers(attempts).every((a) => a.response.status === o.expectStatus);
  const cert = certificateOf(attempts);
  const mapped = plan ? isMappedPort(env.options.ports, plan.endpoint.address, plan.endpoint.port) : false;
  return {
    url: o.url,
    command,
    connect: plan ? { address: plan.endpoint.address, port: plan.endpoint.port, via: plan.via } : null,
    host: plan ? plan.head.host : null,
    servername: plan?.endpoint.tls?.servername ?? null,
    keepalive: o.keepalive,
    expectStatus: o.expectStatus ?? null,
    ok: failure === undefined && attempts.length === o.connections && statusesOk,
    requests: attempts.map((a) =>
      a.ok
        ? {
            index: a.index,
            connection: a.connection,
            ms: a.ms,
            ok: true as const,
            status: a.response.status,
            pod: a.whoami?.hostname ?? null,
            remoteAddr: a.whoami?.remoteAddress
              ? `${a.whoami.remoteAddress}${a.whoami.remotePort ? `:${a.whoami.remotePort}` : ''}`
              : null,
          }
        : { index: a.index, connection: a.connection ?? null, ms: a.ms, ok: false as const, failure: a.failure },
    ),
    pods: Object.fromEntries(countPods(podsOf(attempts))),
    certificate: cert
      ? { ...cert.certificate, trusted: cert.trustError === undefined, trustError: cert.trustError ?? null }
      : null,
    failure: failure
      ? { ...failure, cause: env.out.t(failureCause(failure, { mappedPort: mapped, speaksTls })) }
      : null,
    receipt: probeReceipt(plan, attempts, failure, env),
  };
}

function printReport(env: CommandEnv, r: ProbeReport, attempts: Attempt[], plan: RequestPlan | undefined): void {
  const { out } = env;
  const { c } = out;
  out.command(r.command);
  if (plan) {
    // What happened on the wire, not what was asked: a server that closes after each answer makes more connections.
    const connections = new Set(attempts.flatMap((a) => (a.connection === undefined ? [] : [a.connection]))).size;
    const mode: Text = !r.keepalive
      ? {
          ko: `요청 ${attempts.length}개, 요청마다 새 연결`,
          en: `${attempts.length} request(s), a new connection each`,
        }
      : connections <= 1
        ? {
            ko: `요청 ${attempts.length}개, 연결 하나로 (keep-alive)`,
            en: `${attempts.length} request(s) on one connection (keep-alive)`,
          }
        : {
            ko: `요청 ${attempts.length}개, keep-alive 를 청했지만 서버가 답마다 연결을 닫아 연결 ${connections}개`,
            en: `${attempts.length} request(s), keep-alive asked, but the server closed after each answer: ${connections} connections`,
          };
    out.print(`→ ${describeEndpoint(plan)} · ${out.t(mode)}`);
  }
  for (const req of r.requests) {
    const conn = req.connection === null ? '      ' : `conn ${String(req.connection).padEnd(2)}`;
    if (req.ok) {
      const status = req.status < 400 ? c.green(`HTTP ${req.status}`) : c.yellow(`HTTP ${req.status}`);
      out.print(`  #${String(req.index).padEnd(3)} ${conn} ${status}  ${req.pod ?? '-'}  ${c.dim(`${req.ms} ms`)}`);
    } else {
      out.print(
        `  #${String(req.index).padEnd(3)} ${conn} ${c.red(out.t(failureLabel(req.failure)))}  ${c.dim(req.failure.detail)}`,
      );
    }
  }
  const pods = podsOf(attempts);
  if (pods.length > 0) {
    out.print();
    out.print(c.bold(out.t({ ko: 'Pod별 응답 수', en: 'Answers per pod' })));
    const width = Math.min(env.io.stdout.columns ?? 80, 100) - 2;
    for (const line of podBarChart(pods, { colors: c, width }).split('\n')) out.print(`  ${line}`);
  }
  if (r.certificate) {
    const cert = r.certificate;
    out.print();
    out.print(c.bold(out.t({ ko: '인증서', en: 'Certificate' })));
    out.print(`  subject   ${cert.subject}`);
    out.print(`  SAN       ${cert.san.join(', ') || '-'}`);
    out.print(`  SHA-256   ${cert.fingerprint256}`);
    out.print(
      `  ${out.t({ ko: '유효 기간', en: 'valid    ' })} ${cert.validFrom} → ${cert.validTo}${cert.expired ? c.red(out.t({ ko: ' (만료됨)', en: ' (expired)' })) : ''}`,
    );
    out.print(
      `  issuer    ${cert.issuer}${cert.selfSigned ? c.yellow(out.t({ ko: ' (자체 서명)', en: ' (self-signed)' })) : ''}`,
    );
    if (!cert.trusted)
      out.print(
        `  ${c.yellow(out.t({ ko: `신뢰할 수 없음: ${cert.trustError}`, en: `not trusted: ${cert.trustError}` }))}`,
      );
  }
  out.print();
  if (r.ok) {
    const statuses = [...new Set(r.requests.map((q) => (q.ok ? q.status : 0)))].join(', ');
    out.print(
      c.green(
        `✔ ${out.t({ ko: `모든 요청에 응답이 왔습니다 (HTTP ${statuses})`, en: `Every request got an answer (HTTP ${statuses})` })}`,
      ),
    );
    return;
  }
  if (r.failure) {
    const label = out.t(failureLabel(r.failure));
    out.print(c.red(`✖ ${out.t({ ko: `실패: ${label}`, en: `Failed: ${label}` })} — ${r.failure.detail}`));
    out.print(`  ${r.failure.cause}`);
    return;
  }
  const other = r.requests.find((q) => q.ok && q.status !== r.expectStatus);
  if (other && other.ok) {
    out.print(
      c.red(
        `✖ ${out.t({ ko: `기대한 상태는 HTTP ${r.expectStatus}, 받은 것은 HTTP ${other.status}`, en: `Expected HTTP ${r.expectStatus}, got HTTP ${other.status}` })}`,
      ),
    );
    const seen = attempts.find((a) => a.ok && a.response.status === other.status);
    const cause = statusCause(other.status, seen?.ok ? seen.response : undefined);
    if (cause) out.print(`  ${out.t(cause)}`);
  }
}

export const run: CommandRun = async (env, { args, opts }) => {
  const o = readOptions(args, opts);
  const names: NameContext = {
    hostsFile: env.options.hostsFile,
    noHosts: env.options.noHosts,
    labNetworks: () => clusterNetworks(env),
    // One rule for names and literal addresses: only loopback and the lab cluster's networks are probed.
    checkLiterals: true,
  };
  const target = { url: o.url, host: o.host, resolve: o.resolve, insecure: o.insecure };
  const line = { include: true, count: o.connections, keepAlive: o.keepalive };
  const planned = await planRequest(target, names);
  let r: ProbeReport;
  let attempts: Attempt[] = [];
  let plan: RequestPlan | undefined;
  if (!planned.ok) {
    r = report(o, undefined, [], planned.failure, describeCurl(target, line), env);
  } else {
    plan = planned.plan;
    attempts = await exchangeFromHost(plan, {
      count: o.connections,
      keepAlive: o.keepalive,
      timeoutMs: o.timeoutMs,
      stopOnFailure: false,
      signal: env.signal,
    });
    const failure = firstFailure(attempts);
    // A plain-HTTP request closed without a byte: look once whether a TLS server is what answered there.
    const speaksTls =
      failure?.kind === 'reset' && !plan.endpoint.tls
        ? await answersTls(plan.endpoint.address, plan.endpoint.port, o.timeoutMs, sniName(plan.head.host))
        : false;
    r = report(o, plan, attempts, failure, curlLine(plan, line), env, speaksTls);
  }
  if (env.options.json) env.out.json(r);
  else printReport(env, r, attempts, plan);
  return r.ok ? EXIT.ok : EXIT.failure;
};

/** A flag's value as typed (commander gives strings; anything else is shown as JSON). */
function optionText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The Host header's name as a TLS server name: without its port, and never an IP address (SNI carries names). */
function sniName(host: string): string | undefined {
  const name = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return isIP(name) === 0 ? name : undefined;
}
