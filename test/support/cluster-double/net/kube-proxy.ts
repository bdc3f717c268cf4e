import type { Socket } from 'node:net';
import { endpointsOf, type Endpoint, type ServicePortSpec } from '../endpoints.js';
import type { KubeObject } from '../objects.js';
import type { ObjectStore } from '../store.js';
import type { NodeInfo, Topology } from '../topology.js';
import type { Workloads } from '../workloads.js';
import type { ApparentPeers } from './apparent.js';
import { forward, hold, reject } from './tcp.js';

/**
 * kube-proxy on one node, for a connection that arrived at nodeIP:nodePort. Per connection, as conntrack does:
 * - no ready endpoint anywhere: REJECT (closed at once);
 * - externalTrafficPolicy Local: only this node's ready endpoints; none here → the packet is DROPPED (the
 *   connection is held, never answered); the pod sees the client's own address;
 * - Cluster: any ready endpoint; the source is masqueraded, so the pod sees this node's address (or, for a pod
 *   on this very node, the node's side of the pod network, 10.244.N.1).
 * New connections take the endpoints in turn (round robin, as IPVS does by default; iptables mode picks at
 * random): spreading stays visible and tests stay deterministic.
 * sessionAffinity ClientIP: pkg/proxy/iptables/proxier.go keeps, on each node, a `-m recent` list per endpoint and
 * sends a client address seen within `timeoutSeconds` (default 10800) to the same endpoint again; so one client
 * (such as a LoadBalancer's proxy) sticks to one pod per node.
 */
export class KubeProxy {
  private readonly turns = new Map<string, number>();
  /** ClientIP affinity per node and Service port: client address → endpoint dial port and when it was last seen. */
  private readonly affinity = new Map<string, { dial: number; at: number }>();

  constructor(
    private readonly store: ObjectStore,
    private readonly workloads: Workloads,
    private readonly topology: Topology,
    private readonly peers: ApparentPeers,
  ) {}

  /** Ready endpoints of the Service port behind `nodePort` (used to decide whether the node port rejects). */
  readyEndpoints(svc: KubeObject, port: ServicePortSpec): Endpoint[] {
    return endpointsOf(this.store, this.workloads, svc, port).filter((e) => e.ready);
  }

  private next(key: string, candidates: Endpoint[]): Endpoint {
    const turn = this.turns.get(key) ?? 0;
    this.turns.set(key, turn + 1);
    return candidates[turn % candidates.length]!;
  }

  private sticky(svc: KubeObject, node: NodeInfo, key: string, client: Socket, candidates: Endpoint[]) {
    if (svc.spec.sessionAffinity !== 'ClientIP') return undefined;
    const seen = this.affinity.get(`${node.name}/${key}/${client.remoteAddress ?? ''}`);
    const timeoutMs = Number(svc.spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800) * 1000;
    if (!seen || Date.now() - seen.at > timeoutMs) return undefined;
    return candidates.find((e) => e.dial === seen.dial);
  }

  handle(node: NodeInfo, namespace: string, name: string, nodePort: number, client: Socket): void {
    const svc = this.store.get('Service', namespace, name);
    const port = ((svc?.spec?.ports ?? []) as ServicePortSpec[]).find((p) => p.nodePort === nodePort);
    if (!svc || !port) return reject(client);
    const ready = this.readyEndpoints(svc, port);
    if (ready.length === 0) return reject(client);
    const local = svc.spec.externalTrafficPolicy === 'Local';
    const candidates = local ? ready.filter((e) => e.nodeName === node.name) : ready;
    if (candidates.length === 0) return hold(client);
    const key = `${namespace}/${name}/${nodePort}/${local ? node.name : '*'}`;
    const endpoint = this.sticky(svc, node, key, client, candidates) ?? this.next(key, candidates);
    if (svc.spec.sessionAffinity === 'ClientIP' && endpoint.dial !== undefined)
      this.affinity.set(`${node.name}/${key}/${client.remoteAddress ?? ''}`, { dial: endpoint.dial, at: Date.now() });
    if (endpoint.dial === undefined) return reject(client);
    const masquerade = endpoint.nodeName === node.name ? this.topology.podGateway(node) : node.ip;
    // What arrived at the node: a port forwarding in front of it may have replaced the client's address (it
    // registered that when its own connection opened, before this one to the pod could).
    const arrived = () =>
      this.peers.lookup(client.remoteAddress, client.remotePort) ?? {
        address: client.remoteAddress ?? '',
        port: client.remotePort ?? 0,
      };
    forward(client, {
      host: '127.0.0.1',
      port: endpoint.dial,
      onConnected: (upstream) =>
        this.peers.register(upstream, local ? arrived() : { address: masquerade, port: upstream.localPort ?? 0 }),
    });
  }
}
