import { normalizeAddress } from './address.js';

/** What a traefik/whoami (v1.11) answer tells about who answered and whom it saw. */
export interface Whoami {
  /** `--name` of the app (`Name:` line), when it was started with one. */
  name?: string;
  /** The pod name (`Hostname:`). */
  hostname: string;
  ips: string[];
  /** The client address the pod saw (`RemoteAddr:`), without the port. */
  remoteAddress?: string;
  remotePort?: number;
  /** `GET /jordy HTTP/1.1` as the pod received it. */
  requestLine?: string;
  /** Request headers as the pod received them (names as sent). */
  headers: [string, string][];
}

/**
 * Read a whoami plain-text body: `Name:`/`Hostname:`/`IP:`/`RemoteAddr:` lines, then the request as the pod
 * got it (request line and headers). Anything without a `Hostname:` line is not a whoami answer: undefined.
 */
export function parseWhoami(body: string): Whoami | undefined {
  const lines = body.split(/\r?\n/);
  const result: Whoami = { hostname: '', ips: [], headers: [] };
  let inRequest = false;
  for (const line of lines) {
    if (inRequest) {
      if (line === '') break;
      const colon = line.indexOf(':');
      if (colon > 0) result.headers.push([line.slice(0, colon), line.slice(colon + 1).trim()]);
      continue;
    }
    const field = /^(Name|Hostname|IP|RemoteAddr):\s*(.*)$/.exec(line);
    if (field) {
      const value = field[2]!.trim();
      if (field[1] === 'Name') result.name = value;
      else if (field[1] === 'Hostname') result.hostname = value;
      else if (field[1] === 'IP') result.ips.push(value);
      else {
        const remote = /^\[?([^\]]+?)\]?:(\d+)$/.exec(value);
        result.remoteAddress = normalizeAddress(remote ? remote[1]! : value);
        if (remote) result.remotePort = Number(remote[2]);
      }
      continue;
    }
    if (/^[A-Z]+ \S+ HTTP\/\d(\.\d)?$/.test(line)) {
      result.requestLine = line;
      inRequest = true;
    }
  }
  return result.hostname ? result : undefined;
}

/** Does this pod name belong to the app `prefix` (`jordy` matches `jordy-7c9d8-x2x4q`, not `jordyx-…`)? */
export function podBelongsTo(pod: string, prefix: string): boolean {
  return pod.startsWith(`${prefix}-`);
}
