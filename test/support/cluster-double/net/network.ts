import type { Socket } from 'node:net';
import type { HostPorts } from '../../../../src/cluster/types.js';
import { NODE_PORTS } from '../../../../src/cluster/types.js';
import type { ServicePortSpec } from '../endpoints.js';
import type { ObjectStore } from '../store.js';
import type { Topology } from '../topology.js';
import type { ApparentPeers } from './apparent.js';
import type { Envoy } from './envoy.js';
import type { KubeProxy } from './kube-proxy.js';
import type { LoadBalancers } from './load-balancer.js';
import { forward, tcpServer, TrackedServer } from './tcp.js';

/**
 * Every socket the double listens on, kept in step with the objects:
 * - fixed from the start: the Envoy Service's load balancer (cloud-provider-kind) in front of the ingress node's
 *   :80/:443, and the kind port mappings on 127.0.0.1 (docker-proxy: each client connection is relayed to
 *   nodeIP:port; when nothing listens there the client is accepted and closed without a byte);
 * - following the objects: Envoy's :80/:443 on the ingress node (see Envoy.sync), nodeIP:nodePort on every node
 *   while the Service has a ready endpoint somewhere (without one kube-proxy REJECTs, which a client on the node
 *   network sees as "connection refused"), and each provisioned load balancer's address:port.
 * Ports of 127.0.0.1 that kind did not map are never listened on: they are refused.
 */
export class Network {
  private readonly fixed: TrackedServer[] = [];
  private readonly dynamic = new Map<string, TrackedServer>();
  /** What a dynamic listener does with a connection, looked up per connection so a change needs no re-listen. */
  private readonly routes = new Map<string, (client: Socket) => void>();

  constructor(
    private readonly store: ObjectStore,
    private readonly topology: Topology,
    private readonly kubeProxy: KubeProxy,
    private readonly loadBalancers: LoadBalancers,
    private readonly envoy: Envoy,
    private readonly envoyAddress: string,
    /** A port forwarding that does not keep the client's address (DoublePlatform.mappingSource). */
    private readonly mapping: { peers?: ApparentPeers; mappingSource?: string } = {},
  ) {}

  /** The fixed listeners. Block addresses first: a clash with another instance shows before any host port is taken. */
  async start(ports: HostPorts): Promise<void> {
    const ingress = this.topology.ingressNode;
    for (const port of [80, 443]) {
      const relay = tcpServer((client) => forward(client, { host: ingress.ip, port, localAddress: this.envoyAddress }));
      this.fixed.push(await TrackedServer.listen(relay, this.envoyAddress, port));
    }
    const mappings: [number, string, number][] = [
      [ports.http, ingress.ip, 80],
      [ports.https, ingress.ip, 443],
      [ports.nodePort, this.topology.workerA.ip, NODE_PORTS.nodePortLab],
      [ports.workerA, this.topology.workerA.ip, NODE_PORTS.trafficPolicyLab],
      [ports.workerB, this.topology.workerB.ip, NODE_PORTS.trafficPolicyLab],
    ];
    const { peers, mappingSource } = this.mapping;
    const rewrite =
      peers && mappingSource
        ? (upstream: Socket) => peers.register(upstream, { address: mappingSource, port: upstream.localPort ?? 0 })
        : undefined;
    for (const [hostPort, nodeIp, nodePort] of mappings) {
      const relay = tcpServer((client) => forward(client, { host: nodeIp, port: nodePort, onConnected: rewrite }));
      this.fixed.push(await TrackedServer.listen(relay, '127.0.0.1', hostPort));
    }
  }

  async sync(): Promise<void> {
    await this.envoy.sync(this.topology.ingressNode.ip);
    this.routes.clear();
    for (const svc of this.store.list('Service')) {
      const { type } = svc.spec ?? {};
      if (type !== 'NodePort' && type !== 'LoadBalancer') continue;
      const { namespace, name } = svc.metadata;
      for (const port of (svc.spec.ports ?? []) as ServicePortSpec[]) {
        const nodePort = port.nodePort;
        if (nodePort === undefined || this.kubeProxy.readyEndpoints(svc, port).length === 0) continue;
        for (const node of this.topology.nodes) {
          this.routes.set(`${node.ip}:${nodePort}`, (c) => this.kubeProxy.handle(node, namespace!, name, nodePort, c));
        }
      }
      const address = type === 'LoadBalancer' ? this.loadBalancers.addressOf(svc) : undefined;
      if (!address) continue;
      for (const port of (svc.spec.ports ?? []) as ServicePortSpec[]) {
        this.routes.set(`${address}:${port.port}`, (c) => this.loadBalancers.handle(namespace!, name, port.port, c));
      }
    }
    for (const [endpoint, server] of this.dynamic) {
      if (this.routes.has(endpoint)) continue;
      this.dynamic.delete(endpoint);
      await server.close();
    }
    for (const endpoint of this.routes.keys()) {
      if (this.dynamic.has(endpoint)) continue;
      const [address, port] = endpoint.split(':') as [string, string];
      const server = tcpServer((client) => {
        const route = this.routes.get(endpoint);
        if (route) route(client);
        else client.destroy();
      });
      this.dynamic.set(endpoint, await TrackedServer.listen(server, address, Number(port)));
    }
  }

  /** `address:port` of every socket listening now. */
  listening(): string[] {
    return [...this.fixed, ...this.dynamic.values()].map((s) => s.endpoint).concat(this.envoy.endpoints());
  }

  async stop(): Promise<void> {
    await Promise.all([...this.fixed, ...this.dynamic.values()].map((s) => s.close()));
    this.fixed.length = 0;
    this.dynamic.clear();
    this.routes.clear();
    await this.envoy.close();
  }
}
