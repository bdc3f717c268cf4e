import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { SecureContext } from 'node:tls';
import type { ServicePortSpec } from '../endpoints.js';
import type { GatewayController } from '../gateway-controller.js';
import type { Backend, EnvoyRoute, GatewayConfig, PortConfig } from '../gateway-routing.js';
import type { ObjectStore } from '../store.js';
import type { Topology } from '../topology.js';
import type { ApparentPeers } from './apparent.js';
import { local, relay } from './envoy.js';
import type { KubeProxy } from './kube-proxy.js';
import { TrackedServer } from './tcp.js';

/**
 * The Envoy container cloud-provider-kind v0.11.1 runs per Gateway (pkg/gateway/*.go @ v0.11.1), on the Gateway's
 * own address: one Envoy listener per port, `tls_inspector` and one filter chain per HTTPS listener matched by SNI
 * (no default certificate), one route configuration per port whose virtual hosts are picked by the Host header
 * (port ignored). No virtual host or no route: 404, empty body. A rule whose backend is missing: 500 (a direct
 * response). Otherwise the request goes to the Service's ClusterIP:port (a STATIC cluster, connect timeout 5 s);
 * kube-proxy on the control-plane node (the route cloud-provider-kind adds for the Service CIDR, kindcluster.go)
 * picks a pod per *connection* and masquerades, so the pod sees that node's address. Envoy keeps its upstream
 * connections open and reuses them (default HTTP/1.1 pool), so the pod is chosen once per pooled connection, not
 * per request. X-Forwarded-For carries the client (use_remote_address). The double models one Envoy worker thread
 * (one pool per cluster); a real Envoy has one pool per worker.
 */

const CONNECT_TIMEOUT_MS = 5000;

/** Envoy's domain match: exact name, then the longest `*.suffix` wildcard, then `*`. */
function virtualHostFor(config: PortConfig, hostHeader: string): EnvoyRoute[] | undefined {
  const host = hostHeader.replace(/:\d+$/, '').toLowerCase();
  const exact = config.virtualHosts.get(host);
  if (exact) return exact;
  const wildcards = [...config.virtualHosts.keys()]
    .filter((d) => d.startsWith('*.') && host.endsWith(d.slice(1)) && host.length > d.length - 1)
    .sort((a, b) => b.length - a.length);
  if (wildcards[0]) return config.virtualHosts.get(wildcards[0]);
  return config.virtualHosts.get('*');
}

function pathMatches(route: EnvoyRoute, path: string): boolean {
  const { kind, value } = route.path;
  if (kind === 'exact') return path === value;
  if (kind === 'prefix') return path.startsWith(value);
  if (kind === 'separated') return path === value || path.startsWith(`${value}/`);
  return new RegExp(`^(?:${value})$`).test(path);
}

function routeFor(routes: EnvoyRoute[], req: IncomingMessage): EnvoyRoute | undefined {
  const url = new URL(req.url ?? '/', 'http://x');
  return routes.find(
    (r) =>
      pathMatches(r, url.pathname) &&
      r.headers.every((h) => {
        const value = req.headers[h.name];
        const text = Array.isArray(value) ? value.join(',') : value;
        return text !== undefined && (h.regex ? new RegExp(`^(?:${h.value})$`).test(text) : text === h.value);
      }) &&
      r.query.every((q) => url.searchParams.get(q.name) === q.value),
  );
}

/** SNI → filter chain: the listener hostname (exact or `*.` wildcard), else a chain without one. */
function chainContext(config: PortConfig, servername: string): SecureContext | undefined {
  const name = servername.toLowerCase();
  const chain =
    config.chains.find((c) => c.serverName === name) ??
    config.chains.find((c) => c.serverName?.startsWith('*.') && name.endsWith(c.serverName.slice(1))) ??
    config.chains.find((c) => c.serverName === undefined);
  return chain?.context;
}

/** One pool of upstream connections per Envoy cluster; each new connection is placed on a pod by kube-proxy. */
class ClusterPool extends http.Agent {
  private turn = 0;

  constructor(
    private readonly place: (turn: number) => number | 'refused' | 'blackhole',
    private readonly connected: (socket: net.Socket) => void,
  ) {
    super({ keepAlive: true });
  }

  override createConnection(): net.Socket {
    const target = this.place(this.turn++);
    if (target === 'refused' || target === 'blackhole') {
      const socket = new net.Socket();
      const code = target === 'refused' ? 'ECONNREFUSED' : 'ETIMEDOUT';
      const delay = target === 'refused' ? 0 : CONNECT_TIMEOUT_MS;
      setTimeout(() => socket.destroy(Object.assign(new Error(code), { code })), delay).unref();
      return socket;
    }
    const socket = net.connect({ host: '127.0.0.1', port: target });
    socket.once('connect', () => this.connected(socket));
    return socket;
  }
}

export class GatewayEnvoy {
  private readonly servers = new Map<string, { server: TrackedServer; protocol: PortConfig['protocol'] }>();
  private readonly pools = new Map<string, ClusterPool>();
  private readonly turns = new Map<string, number>();

  constructor(
    private readonly store: ObjectStore,
    private readonly controller: GatewayController,
    private readonly kubeProxy: KubeProxy,
    private readonly topology: Topology,
    private readonly peers: ApparentPeers,
  ) {}

  /** Listen on each programmed port of each Gateway; close what is no longer configured. */
  async sync(): Promise<void> {
    const wanted = new Map<string, PortConfig['protocol']>();
    for (const gw of this.controller.gateways())
      for (const p of gw.ports) wanted.set(`${gw.address}:${p.port}`, p.protocol);
    for (const [endpoint, entry] of this.servers) {
      if (wanted.get(endpoint) === entry.protocol) continue;
      this.servers.delete(endpoint);
      await entry.server.close();
    }
    for (const [endpoint, protocol] of wanted) {
      if (this.servers.has(endpoint)) continue;
      const [address, port] = endpoint.split(':') as [string, string];
      const server =
        protocol === 'HTTP'
          ? http.createServer((req, res) => this.serve(endpoint, req, res, 'http'))
          : https
              .createServer(
                {
                  SNICallback: (name, done) => {
                    const context = this.config(endpoint)?.port && chainContext(this.config(endpoint)!.port, name);
                    if (context) done(null, context);
                    else done(new Error(`no filter chain for ${name}`));
                  },
                },
                (req, res) => this.serve(endpoint, req, res, 'https'),
              )
              .on('tlsClientError', () => undefined);
      server.keepAliveTimeout = 0;
      this.servers.set(endpoint, { server: await TrackedServer.listen(server, address, Number(port)), protocol });
    }
  }

  endpoints(): string[] {
    return [...this.servers.values()].map((s) => s.server.endpoint);
  }

  async close(): Promise<void> {
    for (const pool of this.pools.values()) pool.destroy();
    this.pools.clear();
    await Promise.all([...this.servers.values()].map((s) => s.server.close()));
    this.servers.clear();
  }

  private config(endpoint: string): { gateway: GatewayConfig; port: PortConfig } | undefined {
    for (const gateway of this.controller.gateways()) {
      for (const port of gateway.ports) if (`${gateway.address}:${port.port}` === endpoint) return { gateway, port };
    }
    return undefined;
  }

  private serve(endpoint: string, req: IncomingMessage, res: ServerResponse, scheme: 'http' | 'https'): void {
    res.sendDate = false;
    const started = Date.now();
    const found = this.config(endpoint);
    const routes = found && virtualHostFor(found.port, req.headers.host ?? '');
    const route = routes && routeFor(routes, req);
    if (!route) return local(res, 404, '');
    if (route.action.kind === 'direct') return local(res, route.action.status, '');
    const backend = this.pick(route.name, route.action.backends);
    relay(req, res, scheme, started, { host: '127.0.0.1', port: 0, agent: this.pool(backend) });
  }

  /** Weighted clusters, taken in turn by weight. */
  private pick(routeName: string, backends: Backend[]): Backend {
    const total = backends.reduce((n, b) => n + b.weight, 0);
    const turn = this.turns.get(routeName) ?? 0;
    this.turns.set(routeName, turn + 1);
    let at = turn % total;
    for (const b of backends) {
      if (at < b.weight) return b;
      at -= b.weight;
    }
    return backends[0]!;
  }

  /** Cluster name format of cloud-provider-kind: <namespace>_<name>_<group>_<kind>_<port>. */
  private pool(backend: Backend): ClusterPool {
    const name = `${backend.namespace}_${backend.service}_core_Service_${backend.port}`;
    let pool = this.pools.get(name);
    if (!pool) {
      pool = new ClusterPool(
        (turn) => this.place(backend, turn),
        (socket) => this.masquerade(socket),
      );
      this.pools.set(name, pool);
    }
    return pool;
  }

  /** kube-proxy on the control-plane node for ClusterIP:port: REJECT without endpoints, no rule for an unknown port. */
  private place(backend: Backend, turn: number): number | 'refused' | 'blackhole' {
    const svc = this.store.get('Service', backend.namespace, backend.service);
    const port = ((svc?.spec?.ports ?? []) as ServicePortSpec[]).find((p) => p.port === backend.port);
    if (!svc || !port) return 'blackhole';
    const ready = this.kubeProxy.readyEndpoints(svc, port);
    if (ready.length === 0) return 'refused';
    const endpoint = ready[turn % ready.length]!;
    if (endpoint.dial === undefined) return 'refused';
    return endpoint.dial;
  }

  /** The pod sees the control-plane node's address (SNAT: the Envoy container is outside the pod network). */
  private masquerade(socket: net.Socket): void {
    const controlPlane = this.topology.nodes.find((n) => n.controlPlane);
    if (controlPlane) this.peers.register(socket, { address: controlPlane.ip, port: socket.localPort ?? 0 });
  }
}
