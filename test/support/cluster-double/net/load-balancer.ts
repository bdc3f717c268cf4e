import type { Socket } from 'node:net';
import type { ServicePortSpec } from '../endpoints.js';
import { clone, type KubeObject } from '../objects.js';
import type { ObjectStore } from '../store.js';
import type { Timers } from '../timers.js';
import { EXCLUDE_FROM_LB_LABEL, type Topology } from '../topology.js';
import type { KubeProxy } from './kube-proxy.js';
import { forward, reject } from './tcp.js';

/**
 * cloud-provider-kind: each Service of type LoadBalancer gets, after a moment, its own Envoy container with an
 * address on the node network; the address is written to status.loadBalancer.ingress. That Envoy is an L4 proxy:
 * each client connection goes, from the container's own address, to nodeIP:nodePort of one eligible node (the
 * control-plane is excluded by its label; with externalTrafficPolicy Local, only nodes that pass the health
 * check, i.e. have a ready local endpoint), and kube-proxy there picks the pod.
 */
export class LoadBalancers {
  /** Address per Service uid. */
  private readonly addresses = new Map<string, string>();
  private readonly pending = new Set<string>();
  private readonly turns = new Map<string, number>();

  constructor(
    private readonly store: ObjectStore,
    private readonly topology: Topology,
    private readonly kubeProxy: KubeProxy,
    private readonly timers: Timers,
    private readonly delayMs: number,
    private readonly changed: () => void,
    /** Host ports taken when the controller publishes fixed host ports (see publishesFixedHostPorts); else undefined. */
    private readonly hostPorts?: Set<number>,
  ) {}

  /** Host ports each provisioned Service holds, under fixed-port publishing. */
  private readonly published = new Map<string, number[]>();

  /** Start provisioning new LoadBalancer Services; give back the addresses of those that are gone. */
  reconcile(): void {
    const current = new Map(
      this.store
        .list('Service')
        .filter((s) => s.spec?.type === 'LoadBalancer')
        .map((s) => [s.metadata.uid, s] as const),
    );
    for (const [uid, ip] of this.addresses) {
      if (!current.has(uid)) {
        this.addresses.delete(uid);
        this.topology.releaseLoadBalancerIp(ip);
        for (const port of this.published.get(uid) ?? []) this.hostPorts?.delete(port);
        this.published.delete(uid);
      }
    }
    for (const [uid, svc] of current) {
      if (this.addresses.has(uid) || this.pending.has(uid)) continue;
      this.pending.add(uid);
      const { namespace, name } = svc.metadata;
      this.timers.after(this.delayMs, () => this.provision(uid, namespace!, name));
    }
  }

  /** The address of a provisioned LoadBalancer Service. */
  addressOf(svc: KubeObject): string | undefined {
    return this.addresses.get(svc.metadata.uid);
  }

  handle(namespace: string, name: string, servicePort: number, client: Socket): void {
    const svc = this.store.get('Service', namespace, name);
    const address = svc && this.addressOf(svc);
    const port = ((svc?.spec?.ports ?? []) as ServicePortSpec[]).find((p) => p.port === servicePort);
    if (!svc || !address || !port?.nodePort) return reject(client);
    const local = svc.spec.externalTrafficPolicy === 'Local';
    const ready = local ? this.kubeProxy.readyEndpoints(svc, port) : [];
    const nodes = this.topology.nodes.filter(
      (n) => !(EXCLUDE_FROM_LB_LABEL in n.labels) && (!local || ready.some((e) => e.nodeName === n.name)),
    );
    if (nodes.length === 0) return reject(client);
    const turn = this.turns.get(svc.metadata.uid) ?? 0;
    this.turns.set(svc.metadata.uid, turn + 1);
    const node = nodes[turn % nodes.length]!;
    forward(client, { host: node.ip, port: port.nodePort, localAddress: address });
  }

  private provision(uid: string, namespace: string, name: string): void {
    this.pending.delete(uid);
    const svc = this.store.get('Service', namespace, name);
    if (!svc || svc.metadata.uid !== uid || svc.spec?.type !== 'LoadBalancer') return;
    if (this.hostPorts) {
      // `docker run --publish=0.0.0.0:<port>:<port>/TCP` fails on a host port already held: no address, ever.
      const wanted = ((svc.spec.ports ?? []) as ServicePortSpec[]).map((p) => p.port);
      if (wanted.some((port) => this.hostPorts!.has(port))) return;
      for (const port of wanted) this.hostPorts.add(port);
      this.published.set(uid, wanted);
    }
    const ip = this.topology.allocateLoadBalancerIp();
    this.addresses.set(uid, ip);
    const updated = clone(svc);
    const ports = ((svc.spec.ports ?? []) as ServicePortSpec[]).map((p) => ({
      port: p.port,
      protocol: p.protocol ?? 'TCP',
    }));
    updated.status = { loadBalancer: { ingress: [{ ip, ipMode: 'Proxy', ports }] } };
    this.store.update(updated);
    this.changed();
  }
}
