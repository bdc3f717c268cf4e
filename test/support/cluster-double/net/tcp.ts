import net, { type Socket } from 'node:net';

/**
 * A listening server whose accepted connections are all known, so that closing it ends them too (a deleted
 * Service, `down`) instead of leaving sockets that keep a test process alive.
 */
export class TrackedServer {
  private readonly sockets = new Set<Socket>();

  private constructor(
    readonly server: net.Server,
    readonly address: string,
    readonly port: number,
  ) {
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  static listen(server: net.Server, address: string, port: number): Promise<TrackedServer> {
    return new Promise((resolve, reject) => {
      const failed = (error: Error) => reject(error);
      server.once('error', failed);
      server.listen({ host: address, port, exclusive: true }, () => {
        server.off('error', failed);
        const bound = server.address() as net.AddressInfo;
        resolve(new TrackedServer(server, address, bound.port));
      });
    });
  }

  get endpoint(): string {
    return `${this.address}:${this.port}`;
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A plain TCP server calling `onConnection` for each client (half-open allowed: the proxies end each side in turn). */
export function tcpServer(onConnection: (socket: Socket) => void): net.Server {
  return net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, onConnection);
}

export interface ForwardTarget {
  host: string;
  port: number;
  /** Source address of the new connection (a load balancer connects from its own address). */
  localAddress?: string;
  /** Runs once connected, before any byte is relayed: the moment to register an apparent peer. */
  onConnected?: (upstream: Socket) => void;
}

/**
 * Relay one client connection to one target for its whole life (an L4 proxy: kube-proxy, docker-proxy,
 * cloud-provider-kind's Envoy). When the target cannot be reached the client is closed without a byte, as
 * docker-proxy and Envoy do.
 */
export function forward(client: Socket, target: ForwardTarget): void {
  const upstream = net.connect({
    host: target.host,
    port: target.port,
    localAddress: target.localAddress,
    allowHalfOpen: true,
  });
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
  client.once('close', () => upstream.destroy());
  upstream.once('close', (hadError) => (hadError ? client.destroy() : client.end()));
  upstream.once('connect', () => {
    target.onConnected?.(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.resume();
  });
}

/** Keep a connection open and never answer: what a client sees when its SYN is dropped behind a proxy. */
export function hold(client: Socket): void {
  client.on('error', () => undefined);
}

/** Close at once: kube-proxy's REJECT for a Service without endpoints, seen through a proxy. */
export function reject(client: Socket): void {
  client.destroy();
}
