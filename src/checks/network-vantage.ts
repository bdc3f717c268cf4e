import type { Command, Exec } from '../platform/command.js';
import type { Attempt, ExchangeOptions } from './attempt.js';
import type { Failure } from './failure.js';
import type { HttpResponse } from './http-parser.js';
import { certificateFromPem, describeCertificate } from './peer-certificate.js';
import { methodFlags } from './curl-line.js';
import type { RequestPlan } from './target.js';
import { parseWhoami } from './whoami.js';
import { normalizeAddress } from './address.js';

/**
 * The network vantage point: the same request sent by curl from a throwaway container on the kind network
 * (where node and LoadBalancer addresses answer even when the host cannot reach them, as on Docker Desktop).
 * One `docker run` per check attempt; curl's `-w` output after each transfer gives the same facts the
 * in-process client records, so both vantage points fill the same Attempt shape.
 */
export interface NetworkProbe {
  network: string;
  image: string;
}

/** Time allowed for `docker run` itself (container start) on top of the requests. */
export const CONTAINER_START_MS = 30_000;

const BEGIN = '@@expose-labs@@';
const END = '@@expose-labs-end@@';

/** Fields after each transfer; `certs` (curl 7.88+) comes last because it spans lines. */
export const WRITE_OUT =
  `\\n${BEGIN}\\n` +
  [
    'exitcode=%{exitcode}',
    'errormsg=%{errormsg}',
    'http_code=%{http_code}',
    'remote_ip=%{remote_ip}',
    'remote_port=%{remote_port}',
    'local_ip=%{local_ip}',
    'local_port=%{local_port}',
    'num_connects=%{num_connects}',
    'time_connect=%{time_connect}',
    'time_appconnect=%{time_appconnect}',
    'time_total=%{time_total}',
    'ssl_verify_result=%{ssl_verify_result}',
    'certs=%{certs}',
  ].join('\\n') +
  `\\n${END}\\n`;

function seconds(ms: number): string {
  return String(Math.round(ms) / 1000);
}

/**
 * `docker run --rm --network <net> --entrypoint curl <image> …`: `-v` so that stderr names the reason of a
 * failed connect (curl's own message no longer says "refused"), `-i` so headers come with the body.
 */
export function networkCurlCommand(
  plan: RequestPlan,
  probe: NetworkProbe,
  options: Pick<ExchangeOptions, 'count' | 'keepAlive' | 'timeoutMs'>,
): Command {
  const method = plan.head.method;
  return {
    file: 'docker',
    args: [
      'run',
      '--rm',
      '--network',
      probe.network,
      '--entrypoint',
      'curl',
      probe.image,
      '-sS',
      '-v',
      ...(method === 'HEAD' ? [] : ['-i']),
      ...methodFlags(method),
      ...(plan.insecure ? ['-k'] : []),
      '--connect-timeout',
      seconds(options.timeoutMs),
      '--max-time',
      seconds(2 * options.timeoutMs),
      ...plan.pinForNetwork,
      ...plan.hostHeaderFlags,
      // Without keep-alive every request must open its own connection: the server closes after each answer.
      ...(options.keepAlive ? [] : ['-H', 'Connection: close']),
      '-w',
      WRITE_OUT,
      ...Array<string>(options.count).fill(plan.curlUrl),
    ],
    timeoutMs: options.count * 2 * options.timeoutMs + CONTAINER_START_MS,
  };
}

export interface CurlTransfer {
  /** What curl wrote to stdout for this transfer (status line, headers and body with -i). */
  output: string;
  fields: Record<string, string>;
}

/** Split curl's stdout into transfers by the -w markers. */
export function splitTransfers(stdout: string): CurlTransfer[] {
  const transfers: CurlTransfer[] = [];
  let rest = stdout;
  for (;;) {
    const begin = rest.indexOf(`\n${BEGIN}\n`);
    if (begin < 0) break;
    const end = rest.indexOf(`\n${END}\n`, begin);
    if (end < 0) break;
    const block = rest.slice(begin + BEGIN.length + 2, end);
    const certsAt = block.indexOf('certs=');
    const fields: Record<string, string> = {};
    for (const line of (certsAt >= 0 ? block.slice(0, certsAt) : block).split('\n')) {
      const eq = line.indexOf('=');
      if (eq > 0) fields[line.slice(0, eq)] = line.slice(eq + 1);
    }
    if (certsAt >= 0) fields.certs = block.slice(certsAt + 'certs='.length);
    transfers.push({ output: rest.slice(0, begin), fields });
    rest = rest.slice(end + END.length + 2);
  }
  return transfers;
}

/** `-i` output → response; interim (1xx) heads are skipped. */
export function parseIncludedResponse(output: string): HttpResponse | undefined {
  let rest = output;
  for (;;) {
    const headEnd = rest.indexOf('\r\n\r\n');
    const head = headEnd < 0 ? rest : rest.slice(0, headEnd);
    const lines = head.split('\r\n');
    const status = /^HTTP\/([\d.]+) (\d{3})(?: (.*))?$/.exec(lines[0] ?? '');
    if (!status) return undefined;
    const body = headEnd < 0 ? '' : rest.slice(headEnd + 4);
    const code = Number(status[2]);
    if (code >= 100 && code < 200 && /^HTTP\//.test(body)) {
      rest = body;
      continue;
    }
    const headers: [string, string][] = [];
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon > 0) headers.push([line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]);
    }
    const connection = headers.find(([n]) => n === 'connection')?.[1]?.toLowerCase() ?? '';
    return {
      httpVersion: status[1]!,
      status: code,
      statusText: status[3] ?? '',
      headers,
      body,
      keepAlive: !connection.includes('close'),
    };
  }
}

/** curl's exit code (and, for connect failures, its verbose reason) → the same failure kinds as the host client. */
export function curlFailure(fields: Record<string, string>, stderr: string, https: boolean): Failure {
  const code = Number(fields.exitcode);
  const message = fields.errormsg || `curl exit ${code}`;
  const detail = `curl: (${code}) ${message}`;
  const connected = Number(fields.time_connect) > 0;
  switch (code) {
    case 6:
      return { kind: 'dns', phase: 'resolve', detail };
    case 7:
      if (/Connection refused/i.test(stderr) || /Connection refused/i.test(message))
        return { kind: 'refused', phase: 'connect', detail };
      if (/No route to host|Network is unreachable|Host is unreachable/i.test(stderr + message))
        return { kind: 'unreachable', phase: 'connect', detail };
      if (/timed out/i.test(stderr + message)) return { kind: 'dropped', phase: 'connect', detail };
      return { kind: 'error', phase: 'connect', detail };
    case 28:
      if (!connected) return { kind: 'dropped', phase: 'connect', detail };
      if (https && !(Number(fields.time_appconnect) > 0)) return { kind: 'dropped', phase: 'handshake', detail };
      return { kind: 'dropped', phase: 'answer', detail };
    case 35:
      return { kind: 'tls', phase: 'handshake', detail };
    case 51:
    case 58:
    case 60:
    case 77:
    case 83:
    case 90:
    case 91:
      return { kind: 'tls', phase: 'verify', detail };
    case 52:
      return { kind: 'reset', phase: 'answer', detail };
    case 55:
    case 56:
      return { kind: 'reset', phase: connected ? 'answer' : 'connect', detail };
    case 8:
      return { kind: 'protocol', phase: 'answer', detail };
    default:
      return { kind: 'error', phase: connected ? 'answer' : 'connect', detail };
  }
}

/** Raised when docker itself failed (no image, no daemon): the environment, not the lab. */
export class NetworkVantageError extends Error {
  override readonly name = 'NetworkVantageError';
}

/** curl transfers → attempts; a new connection is counted whenever curl reports one. */
export function transfersToAttempts(
  transfers: CurlTransfer[],
  stderr: string,
  plan: RequestPlan,
  stopOnFailure: boolean,
): Attempt[] {
  const attempts: Attempt[] = [];
  let connection = 0;
  for (const [i, transfer] of transfers.entries()) {
    const f = transfer.fields;
    if (Number(f.num_connects) > 0) connection++;
    const x509 = f.certs ? certificateFromPem(f.certs) : undefined;
    const certificate = x509 ? describeCertificate(x509) : undefined;
    const ms = Math.round(Number(f.time_total) * 1000) || 0;
    const response = f.exitcode === '0' ? parseIncludedResponse(transfer.output) : undefined;
    if (response) {
      const verify = Number(f.ssl_verify_result);
      attempts.push({
        ok: true,
        index: i + 1,
        connection: Math.max(connection, 1),
        ms,
        response,
        local: { address: normalizeAddress(f.local_ip ?? ''), port: Number(f.local_port) },
        remote: { address: normalizeAddress(f.remote_ip ?? ''), port: Number(f.remote_port) },
        certificate,
        trustError: plan.https && verify ? `certificate verify result ${verify}` : undefined,
        whoami: parseWhoami(response.body),
      });
      continue;
    }
    const failure: Failure =
      f.exitcode === '0'
        ? { kind: 'protocol', phase: 'answer', detail: 'curl printed no HTTP answer' }
        : curlFailure(f, stderr, plan.https);
    attempts.push({
      ok: false,
      index: i + 1,
      connection: connection > 0 && failure.phase !== 'connect' ? connection : undefined,
      ms,
      failure,
      certificate,
    });
    if (stopOnFailure) break;
  }
  return attempts;
}

/** Run the request(s) from the kind network. Throws NetworkVantageError when the container did not run curl. */
export async function exchangeFromNetwork(
  plan: RequestPlan,
  options: ExchangeOptions,
  probe: NetworkProbe,
  exec: Exec,
): Promise<Attempt[]> {
  const command = networkCurlCommand(plan, probe, options);
  const result = await exec(command, { signal: options.signal });
  const transfers = splitTransfers(result.stdout);
  if (transfers.length === 0) {
    const reason =
      result.stderr
        .trim()
        .split('\n')
        .filter((l) => l.trim() !== '' && !/^[*<>{}] /.test(l))
        .pop() ?? `exit ${result.exitCode}`;
    throw new NetworkVantageError(result.timedOut ? `docker run did not finish in ${command.timeoutMs} ms` : reason);
  }
  return transfersToAttempts(transfers, result.stderr, plan, options.stopOnFailure);
}
