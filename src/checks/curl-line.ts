import { formatCommand } from '../platform/command.js';
import type { RequestPlan, TargetSpec } from './target.js';

/** Where the learner would run the line: this machine, or a throwaway container on the kind network. */
export type LineVantage = { kind: 'host' } | { kind: 'network'; network: string; image: string };

export interface CurlLineOptions {
  /** `-i`: show the status line and headers. */
  include?: boolean;
  /** Send the request this many times. */
  count?: number;
  /** With count: all on one connection (curl reuses it for several URLs) instead of a new one each. */
  keepAlive?: boolean;
  /** Pipe through `grep` to keep the line that matters (`Hostname`, `RemoteAddr`). */
  grep?: string;
  /** `--max-time` in milliseconds. */
  maxTimeMs?: number;
  vantage?: LineVantage;
}

/** The curl flags and URL of a request, as a learner would type them. */
interface CurlParts {
  method: string;
  insecure: boolean;
  pin: string[];
  hostHeader: string[];
  url: string;
}

function seconds(ms: number): string {
  return String(Math.round(ms) / 1000);
}

export function methodFlags(method: string): string[] {
  if (method === 'HEAD') return ['-I'];
  return method === 'GET' ? [] : ['-X', method];
}

function render(parts: CurlParts, o: CurlLineOptions): string {
  const count = o.count ?? 1;
  const repeatedOnOneConnection = count > 1 && o.keepAlive;
  const curlArgs = [
    '-sS',
    ...(o.include && parts.method !== 'HEAD' ? ['-i'] : []),
    ...methodFlags(parts.method),
    ...(parts.insecure ? ['-k'] : []),
    ...(o.maxTimeMs ? ['--max-time', seconds(o.maxTimeMs)] : []),
    ...parts.pin,
    ...parts.hostHeader,
    ...Array<string>(repeatedOnOneConnection ? count : 1).fill(parts.url),
  ];
  const vantage = o.vantage ?? { kind: 'host' };
  const command =
    vantage.kind === 'host'
      ? formatCommand({ file: 'curl', args: curlArgs })
      : formatCommand({
          file: 'docker',
          args: ['run', '--rm', '--network', vantage.network, '--entrypoint', 'curl', vantage.image, ...curlArgs],
        });
  const grep = o.grep ? ` | grep ${o.grep}` : '';
  if (count > 1 && !o.keepAlive) return `for i in $(seq 1 ${count}); do ${command}${grep}; done`;
  return command + grep;
}

/** The line that sends the same request as `plan` from the given vantage point. */
export function curlLine(plan: RequestPlan, o: CurlLineOptions = {}): string {
  const network = o.vantage?.kind === 'network';
  return render(
    {
      method: plan.head.method,
      insecure: plan.insecure,
      pin: network ? plan.pinForNetwork : plan.pinForHost,
      hostHeader: plan.hostHeaderFlags,
      url: plan.curlUrl,
    },
    o,
  );
}

const URL_PARTS = /^(https?):\/\/(\[[^\]]+\]|[^/:?#]+)(?::([^/?#]+))?(.*)$/;

/** The same line from a spec whose placeholders are not filled (for `show` and the task list). */
export function describeCurl(spec: TargetSpec, o: CurlLineOptions = {}): string {
  const method = (spec.method ?? 'GET').toUpperCase();
  const parts = URL_PARTS.exec(spec.url);
  if (!parts) return render({ method, insecure: spec.insecure ?? false, pin: [], hostHeader: [], url: spec.url }, o);
  const [, scheme, urlHost, portText, rest] = parts as unknown as [string, string, string, string | undefined, string];
  const port = portText ?? (scheme === 'https' ? '443' : '80');
  const hostPort = (name: string) => (portText ? `${name}:${portText}` : name);
  if (spec.host && scheme === 'https') {
    return render(
      {
        method,
        insecure: spec.insecure ?? false,
        pin: ['--resolve', `${spec.host}:${port}:${spec.resolve ?? urlHost}`],
        hostHeader: [],
        url: `https://${hostPort(spec.host)}${rest}`,
      },
      o,
    );
  }
  const literal = /^(\d+\.){3}\d+$|^\[/.test(urlHost);
  const pin = !spec.resolve
    ? []
    : literal
      ? ['--connect-to', `${urlHost}:${port}:${spec.resolve}:${port}`]
      : ['--resolve', `${urlHost}:${port}:${spec.resolve}`];
  return render(
    {
      method,
      insecure: spec.insecure ?? false,
      pin,
      hostHeader: spec.host ? ['-H', `Host: ${spec.host}`] : [],
      url: spec.url,
    },
    o,
  );
}
