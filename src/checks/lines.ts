import { isIP } from 'node:net';
import { formatCommand } from '../platform/command.js';
import { joinHostPort, splitHostPort } from './address.js';
import { describeCurl } from './curl-line.js';
import type {
  DroppedSpec,
  HttpSpec,
  K8sSpec,
  RefusedSpec,
  SourceIpSpec,
  SpreadSpec,
  StickySpec,
  TlsSpec,
} from './specs.js';
import type { CheckLines } from './types.js';

/*
 * Each check as the command a learner could type, apart from what runs it: `show` prints them without loading the
 * definitions (registry.ts), which open sockets and TLS connections and read certificates. The definitions take their
 * `describe` from here, so both say the same. `CHECK_LINES` names the same checks as `CHECKS`, as a test keeps it.
 */

export const httpLines: CheckLines<HttpSpec> = { describe: (spec) => describeCurl(spec, { include: true }) };

/** `host:port` split at the last colon, keeping a `{{…}}` port as text (for describe). */
function addressParts(address: string): { host: string; port: string } {
  const parts = splitHostPort(address);
  if (parts) return { host: parts.host, port: String(parts.port) };
  const colon = address.lastIndexOf(':');
  return colon > 0 ? { host: address.slice(0, colon), port: address.slice(colon + 1) } : { host: address, port: '443' };
}

/** The curl that shakes hands with `address` as the tls check does, from this machine or a container on `network`. */
export function tlsCurlLine(spec: TlsSpec, address: string, network?: { network: string; image: string }): string {
  const { port } = addressParts(spec.address);
  const url = `https://${port === '443' ? spec.servername : `${spec.servername}:${port}`}/`;
  const to = isIP(address) === 6 ? `[${address}]` : address;
  const args = ['-sS', '-k', '-v', '-o', '/dev/null', '--resolve', `${spec.servername}:${port}:${to}`, url];
  if (!network) return formatCommand({ file: 'curl', args });
  return formatCommand({
    file: 'docker',
    args: ['run', '--rm', '--network', network.network, '--entrypoint', 'curl', network.image, ...args],
  });
}

export const tlsLines: CheckLines<TlsSpec> = {
  describe: (spec) => tlsCurlLine(spec, addressParts(spec.address).host),
};

export const refusedLines: CheckLines<RefusedSpec> = {
  describe: (spec) => {
    const parts = splitHostPort(spec.address);
    return formatCommand({
      file: 'curl',
      args: ['-sS', '--connect-timeout', '3', `http://${parts ? joinHostPort(parts.host, parts.port) : spec.address}/`],
    });
  },
};

export const droppedLines: CheckLines<DroppedSpec> = {
  describe: (spec) => describeCurl(spec, { maxTimeMs: spec.timeoutMs ?? 3000 }),
};

export const spreadLines: CheckLines<SpreadSpec> = {
  describe: (spec) => describeCurl(spec, { count: spec.requests, keepAlive: false, grep: 'Hostname' }),
};

export const stickyLines: CheckLines<StickySpec> = {
  describe: (spec) => describeCurl(spec, { count: spec.requests, keepAlive: true, grep: 'Hostname' }),
};

export const sourceIpLines: CheckLines<SourceIpSpec> = {
  describe: (spec) => describeCurl(spec, { grep: 'RemoteAddr' }),
};

/** The `kubectl get` the k8s check runs, which its line shows. */
export function k8sGetArgs(spec: K8sSpec): string[] {
  return ['get', spec.kind, spec.name, ...(spec.namespace ? ['-n', spec.namespace] : []), '-o', 'json'];
}

export const k8sLines: CheckLines<K8sSpec> = {
  // {{context}} is filled where the line is shown: every kubectl line names the lab's context.
  describe: (spec) =>
    `kubectl --context {{context}} ${formatCommand({ file: 'kubectl', args: k8sGetArgs(spec) }).slice('kubectl '.length)}`,
};

/** Every check's line, keyed by the name a lab.yaml uses. */
export const CHECK_LINES: ReadonlyMap<string, CheckLines> = new Map<string, CheckLines>([
  ['http', httpLines],
  ['tls', tlsLines],
  ['refused', refusedLines],
  ['dropped', droppedLines],
  ['spread', spreadLines],
  ['sticky', stickyLines],
  ['source-ip', sourceIpLines],
  ['k8s', k8sLines],
]);
