import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import type { ApparentPeers } from './apparent.js';
import { TrackedServer } from './tcp.js';

/**
 * One pod's container, answering like traefik/whoami v1.11.0: `Name:` (with --name), `Hostname:` (the pod),
 * `IP:` lines, `RemoteAddr:` as the pod sees it, then the request as Go's Request.Write prints it (request line,
 * Host, User-Agent, the other headers in canonical form sorted by name, the body). It listens on an ephemeral
 * 127.0.0.1 port; the double's proxies reach it there and tell it, through the side channel, whom it talks to.
 */
export interface WhoamiIdentity {
  /** Pod name: whoami prints the container's hostname. */
  hostname: string;
  /** `--name` / WHOAMI_NAME. */
  name?: string;
  podIp: string;
}

/** Go's textproto.CanonicalMIMEHeaderKey for the usual token-shaped names. */
function canonicalHeader(name: string): string {
  if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) return name;
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
}

function formatAddress(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/** Request headers grouped by canonical name, values in arrival order. */
function headerMap(req: IncomingMessage): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = canonicalHeader(req.rawHeaders[i]!);
    const values = map.get(name) ?? [];
    values.push(req.rawHeaders[i + 1]!);
    map.set(name, values);
  }
  return map;
}

const EXCLUDED_FROM_WRITE = new Set(['Host', 'User-Agent', 'Content-Length', 'Transfer-Encoding', 'Trailer']);

/** Go's Request.Write of an incoming request, as whoami echoes it. */
function requestText(req: IncomingMessage, body: Buffer): string {
  const headers = headerMap(req);
  const lines = [`${req.method} ${req.url} HTTP/1.1`, `Host: ${req.headers.host ?? ''}`];
  lines.push(`User-Agent: ${headers.get('User-Agent')?.[0] ?? 'Go-http-client/1.1'}`);
  const chunked = /chunked/i.test(req.headers['transfer-encoding'] ?? '');
  if (chunked) lines.push('Transfer-Encoding: chunked');
  else if (body.length > 0) lines.push(`Content-Length: ${body.length}`);
  for (const name of [...headers.keys()].sort()) {
    if (EXCLUDED_FROM_WRITE.has(name)) continue;
    for (const value of headers.get(name)!) lines.push(`${name}: ${value.replace(/[\r\n]/g, ' ')}`);
  }
  let text = lines.join('\r\n') + '\r\n\r\n';
  if (chunked)
    text += (body.length > 0 ? `${body.length.toString(16)}\r\n${body.toString('latin1')}\r\n` : '') + '0\r\n\r\n';
  else text += body.toString('latin1');
  return text;
}

/** A link-local IPv6 address like the one on a pod's eth0, stable for a pod. */
function linkLocal(podIp: string): string {
  const h = createHash('sha256').update(podIp).digest('hex');
  const groups = [h.slice(0, 4), h.slice(4, 8), h.slice(8, 12), h.slice(12, 16)].map((g) => g.replace(/^0+(?=.)/, ''));
  return `fe80::${groups.join(':')}`;
}

/** Go's time.ParseDuration for the simple forms whoami's `?wait=` takes (`250ms`, `2s`, `1m`). */
function parseWait(value: string | null): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(value ?? '');
  if (!match) return 0;
  const n = Number(match[1]);
  return match[2] === 'ms' ? n : match[2] === 's' ? n * 1000 : n * 60_000;
}

export class WhoamiServer {
  private constructor(private readonly tracked: TrackedServer) {}

  /** Real port on 127.0.0.1 where this container listens. */
  get port(): number {
    return this.tracked.port;
  }

  static async start(identity: WhoamiIdentity, peers: ApparentPeers): Promise<WhoamiServer> {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => answer(identity, peers, req, res, Buffer.concat(chunks)));
    });
    // Go's http.ListenAndServe has no idle timeout: a keep-alive connection stays until the client closes it.
    server.keepAliveTimeout = 0;
    return new WhoamiServer(await TrackedServer.listen(server, '127.0.0.1', 0));
  }

  close(): Promise<void> {
    return this.tracked.close();
  }
}

function answer(
  identity: WhoamiIdentity,
  peers: ApparentPeers,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
): void {
  const url = new URL(req.url ?? '/', 'http://whoami');
  const seen = peers.lookup(req.socket.remoteAddress, req.socket.remotePort);
  const remoteAddr = seen
    ? formatAddress(seen.address, seen.port)
    : formatAddress(req.socket.remoteAddress ?? '', req.socket.remotePort ?? 0);
  const ips = ['127.0.0.1', '::1', identity.podIp, linkLocal(identity.podIp)];

  switch (url.pathname) {
    case '/health':
      res.writeHead(200).end();
      return;
    case '/bench':
      res.writeHead(200, { Connection: 'keep-alive', 'Content-Type': 'text/plain' }).end('1');
      return;
    case '/api': {
      const headers: Record<string, string[]> = {};
      for (const [name, values] of headerMap(req)) if (name !== 'Host') headers[name] = values;
      const data = {
        hostname: identity.hostname,
        ip: ips,
        headers: Object.fromEntries(
          Object.keys(headers)
            .sort()
            .map((k) => [k, headers[k]]),
        ),
        url: req.url,
        host: req.headers.host,
        method: req.method,
        ...(identity.name ? { name: identity.name } : {}),
        remoteAddr,
      };
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(data) + '\n');
      return;
    }
    case '/data':
    case '/echo':
      res
        .writeHead(501, { 'Content-Type': 'text/plain; charset=utf-8' })
        .end(`the cluster double's whoami does not implement ${url.pathname}\n`);
      return;
    default: {
      const lines: string[] = [];
      if (identity.name) lines.push(`Name: ${identity.name}`);
      lines.push(`Hostname: ${identity.hostname}`);
      for (const ip of ips) lines.push(`IP: ${ip}`);
      lines.push(`RemoteAddr: ${remoteAddr}`);
      const text = lines.join('\n') + '\n' + requestText(req, body);
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(200, {
          'Content-Type': 'text/plain; charset=utf-8',
          'Content-Length': Buffer.byteLength(text, 'latin1'),
        });
        res.end(text, 'latin1');
      };
      const wait = parseWait(url.searchParams.get('wait'));
      if (wait > 0) setTimeout(send, wait).unref();
      else send();
    }
  }
}
