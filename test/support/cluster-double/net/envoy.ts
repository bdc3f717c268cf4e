import http, { type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { SecureContext, TLSSocket } from 'node:tls';
import { randomUUID } from 'node:crypto';
import type { ServicePortSpec } from '../endpoints.js';
import type { ObjectStore } from '../store.js';
import type { ApparentPeers } from './apparent.js';
import { findRoute, findVirtualHost, hostMatches, virtualHosts, type Route, type VirtualHost } from './contour.js';
import type { KubeProxy } from './kube-proxy.js';
import { SecretContexts } from './secret-contexts.js';
import { TrackedServer } from './tcp.js';

/**
 * Contour's Envoy on the ingress node (hostPorts 80 and 443, listening while Contour configures them), an L7
 * proxy. Host then path pick a route; the request goes straight to a ready endpoint of the route's Service (Envoy balances per request, round robin),
 * from the Envoy pod's own address, unchanged but for the X-Forwarded-For / X-Forwarded-Proto / X-Envoy-…
 * headers Envoy adds. No route: 404 with an empty body. No ready endpoint: 503 `no healthy upstream`.
 * HTTPS: the certificate is chosen by SNI among the Ingress TLS hosts; an unknown name (or no SNI) gets no
 * certificate at all and the handshake fails, as Envoy has no fallback certificate by default.
 */

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
]);
/** Envoy's local reply when the upstream refuses the connection. */
export const CONNECT_REFUSED =
  'upstream connect error or disconnect/reset before headers. reset reason: remote connection failure, transport failure reason: delayed connect error: Connection refused';
/** Envoy's default route timeout, announced upstream. */
const ROUTE_TIMEOUT_MS = 15000;

function isInternal(address: string): boolean {
  return /^(127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(address.replace(/^::ffff:/, ''));
}

/** Upstream connections from the Envoy pod: each tells the pod it comes from the Envoy pod's address. */
class PodAgent extends http.Agent {
  constructor(
    private readonly peers: ApparentPeers,
    private readonly envoyPodIp: string,
  ) {
    super({ keepAlive: true });
  }

  override createConnection(options: http.ClientRequestArgs): net.Socket {
    const socket = net.connect({ host: options.host ?? '127.0.0.1', port: Number(options.port) });
    socket.once('connect', () =>
      this.peers.register(socket, { address: this.envoyPodIp, port: socket.localPort ?? 0 }),
    );
    return socket;
  }
}

export class Envoy {
  private readonly agent: PodAgent;
  private readonly turns = new Map<string, number>();
  private readonly contexts = new SecretContexts();
  private plain: TrackedServer | undefined;
  private secure: TrackedServer | undefined;

  constructor(
    private readonly store: ObjectStore,
    private readonly kubeProxy: KubeProxy,
    peers: ApparentPeers,
    envoyPodIp: string,
  ) {
    this.agent = new PodAgent(peers, envoyPodIp);
  }

  /**
   * Contour gives Envoy an HTTP listener only while some virtual host exists, and an HTTPS listener only while
   * some host has a usable certificate; without a listener, the hostPort leads nowhere (refused).
   */
  async sync(nodeIp: string): Promise<void> {
    const hosts = virtualHosts(this.store);
    const secureHosts = [...hosts.values()].filter(
      (v) => v.tls && this.secureContext(v.tls.namespace, v.tls.secretName),
    );
    this.plain = await this.toggle(this.plain, hosts.size > 0, nodeIp, 80, () =>
      http.createServer((req, res) => this.serve(req, res, 'http')),
    );
    this.secure = await this.toggle(this.secure, secureHosts.length > 0, nodeIp, 443, () =>
      https
        .createServer({ SNICallback: (name, done) => this.certificateFor(name, done) }, (req, res) =>
          this.serve(req, res, 'https'),
        )
        .on('tlsClientError', () => undefined),
    );
  }

  endpoints(): string[] {
    return [this.plain, this.secure].filter((s): s is TrackedServer => s !== undefined).map((s) => s.endpoint);
  }

  async close(): Promise<void> {
    this.agent.destroy();
    await this.plain?.close();
    await this.secure?.close();
    this.plain = this.secure = undefined;
  }

  private async toggle(
    current: TrackedServer | undefined,
    wanted: boolean,
    address: string,
    port: number,
    create: () => http.Server,
  ): Promise<TrackedServer | undefined> {
    if (wanted === (current !== undefined)) return current;
    if (current) {
      await current.close();
      return undefined;
    }
    const server = create();
    server.keepAliveTimeout = 0;
    return TrackedServer.listen(server, address, port);
  }

  private certificateFor(servername: string, done: (error: Error | null, context?: SecureContext) => void): void {
    const vhost = virtualHosts(this.store).get(servername.toLowerCase());
    const context = vhost?.tls && this.secureContext(vhost.tls.namespace, vhost.tls.secretName);
    if (context) done(null, context);
    else done(new Error(`no certificate for ${servername}`));
  }

  /** A TLS secret as Contour accepts it (type kubernetes.io/tls, a key that matches the certificate), cached per version. */
  private secureContext(namespace: string, name: string): SecureContext | undefined {
    const secret = this.store.get('Secret', namespace, name);
    if (!secret || secret.type !== 'kubernetes.io/tls') return undefined;
    return this.contexts.of(secret);
  }

  private serve(req: IncomingMessage, res: ServerResponse, scheme: 'http' | 'https'): void {
    res.sendDate = false;
    const started = Date.now();
    const hosts = virtualHosts(this.store);
    const hostHeader = req.headers.host ?? '';
    let vhost: VirtualHost | undefined;
    if (scheme === 'https') {
      const sni = (req.socket as TLSSocket).servername;
      const secureHost = typeof sni === 'string' ? hosts.get(sni.toLowerCase()) : undefined;
      vhost = secureHost && hostMatches(secureHost, hostHeader) ? secureHost : undefined;
    } else {
      vhost = findVirtualHost(hosts, hostHeader);
    }
    const path = (req.url ?? '/').split('?')[0]!;
    const route = vhost && findRoute(vhost, path);
    if (!route) return local(res, 404, '');
    const target = this.pickEndpoint(route);
    if (target === 'none') return local(res, 503, 'no healthy upstream');
    if (target === 'refused') {
      return local(res, 503, CONNECT_REFUSED);
    }
    this.proxy(req, res, scheme, target, started);
  }

  private pickEndpoint(route: Route): number | 'none' | 'refused' {
    const svc = this.store.get('Service', route.namespace, route.service);
    const port = ((svc?.spec?.ports ?? []) as ServicePortSpec[]).find(
      (p) => p.port === route.port || p.name === route.port,
    );
    if (!svc || !port) return 'none';
    const ready = this.kubeProxy.readyEndpoints(svc, port);
    if (ready.length === 0) return 'none';
    const key = `${route.namespace}/${route.service}/${route.port}`;
    const turn = this.turns.get(key) ?? 0;
    this.turns.set(key, turn + 1);
    return ready[turn % ready.length]!.dial ?? 'refused';
  }

  private proxy(req: IncomingMessage, res: ServerResponse, scheme: string, dial: number, started: number): void {
    relay(req, res, scheme, started, { host: '127.0.0.1', port: dial, agent: this.agent });
  }
}

/** The request headers Envoy sends upstream: hop-by-hop ones dropped, X-Forwarded-For/-Proto and Envoy's own added. */
export function upstreamHeaders(req: IncomingMessage, scheme: string): OutgoingHttpHeaders {
  const client = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  const headers: OutgoingHttpHeaders = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!.toLowerCase();
    if (HOP_BY_HOP.has(name) || name === 'x-forwarded-for' || name === 'x-forwarded-proto') continue;
    const value = req.rawHeaders[i + 1]!;
    const before = headers[name];
    headers[name] = before === undefined ? value : [...(Array.isArray(before) ? before : [String(before)]), value];
  }
  const forwardedFor = req.headers['x-forwarded-for'];
  headers['x-forwarded-for'] = forwardedFor ? `${[forwardedFor].flat().join(',')},${client}` : client;
  headers['x-forwarded-proto'] = scheme;
  if (isInternal(client)) headers['x-envoy-internal'] = 'true';
  headers['x-request-id'] ??= randomUUID();
  headers['x-envoy-expected-rq-timeout-ms'] = String(ROUTE_TIMEOUT_MS);
  return headers;
}

/** Send the request upstream over `target` and the answer back, as Envoy's router does. */
export function relay(
  req: IncomingMessage,
  res: ServerResponse,
  scheme: string,
  started: number,
  target: { host: string; port: number; agent: http.Agent },
): void {
  const upstream = http.request(
    { ...target, method: req.method, path: req.url, headers: upstreamHeaders(req, scheme) },
    (answer) => {
      const out: OutgoingHttpHeaders = {};
      for (let i = 0; i < answer.rawHeaders.length; i += 2) {
        const name = answer.rawHeaders[i]!.toLowerCase();
        if (!HOP_BY_HOP.has(name)) out[name] = answer.rawHeaders[i + 1]!;
      }
      out.server = 'envoy';
      out['x-envoy-upstream-service-time'] = String(Date.now() - started);
      res.writeHead(answer.statusCode ?? 502, out);
      answer.pipe(res);
    },
  );
  upstream.on('error', (error: NodeJS.ErrnoException) => {
    if (res.headersSent) return res.destroy();
    const reason =
      error.code === 'ECONNREFUSED'
        ? CONNECT_REFUSED
        : error.code === 'ETIMEDOUT'
          ? 'upstream connect error or disconnect/reset before headers. reset reason: connection timeout'
          : 'upstream connect error or disconnect/reset before headers. reset reason: connection termination';
    local(res, 503, reason);
  });
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}

/** A response Envoy makes itself (no route, no upstream): lower-case headers, `server: envoy`. */
export function local(res: ServerResponse, status: number, body: string): void {
  const headers: OutgoingHttpHeaders = { 'content-length': String(Buffer.byteLength(body)) };
  if (body) headers['content-type'] = 'text/plain';
  headers.date = new Date().toUTCString();
  headers.server = 'envoy';
  res.writeHead(status, headers).end(body);
}
