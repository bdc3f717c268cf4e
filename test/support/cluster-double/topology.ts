import { NODE_LABEL } from '../../../src/cluster/types.js';

/**
 * The double's stand-in for the `kind` docker network: one 127.X.Y.0/24 block per instance (the whole of
 * 127.0.0.0/8 is loopback on Linux). .1 is left for the network's gateway, .2–.4 are the nodes, and
 * cloud-provider-kind's load balancers take the next free addresses from .5 on.
 */
export interface NodeInfo {
  name: string;
  ip: string;
  /** Third octet of the node's pod CIDR 10.244.N.0/24. */
  podSubnet: number;
  controlPlane: boolean;
  labels: Record<string, string>;
}

export const CONTROL_PLANE_LABEL = 'node-role.kubernetes.io/control-plane';
export const EXCLUDE_FROM_LB_LABEL = 'node.kubernetes.io/exclude-from-external-load-balancers';

export class Topology {
  readonly nodes: readonly NodeInfo[];
  /** The worker that runs Contour's Envoy with hostPorts 80/443 (and has the host mappings for 80/443). */
  readonly ingressNode: NodeInfo;
  readonly workerA: NodeInfo;
  readonly workerB: NodeInfo;
  private readonly lbAddresses = new Set<string>();
  private readonly podAddresses = new Set<string>();

  constructor(
    readonly clusterName: string,
    readonly block: string,
  ) {
    const base = (name: string): Record<string, string> => ({
      'beta.kubernetes.io/arch': goArch(),
      'beta.kubernetes.io/os': 'linux',
      'kubernetes.io/arch': goArch(),
      'kubernetes.io/hostname': name,
      'kubernetes.io/os': 'linux',
    });
    const cp = `${clusterName}-control-plane`;
    const a = `${clusterName}-worker`;
    const b = `${clusterName}-worker2`;
    this.nodes = [
      {
        name: cp,
        ip: `${block}.2`,
        podSubnet: 0,
        controlPlane: true,
        labels: { ...base(cp), [CONTROL_PLANE_LABEL]: '', [EXCLUDE_FROM_LB_LABEL]: '' },
      },
      { name: a, ip: `${block}.3`, podSubnet: 1, controlPlane: false, labels: { ...base(a), [NODE_LABEL]: 'a' } },
      { name: b, ip: `${block}.4`, podSubnet: 2, controlPlane: false, labels: { ...base(b), [NODE_LABEL]: 'b' } },
    ];
    this.workerA = this.nodes[1]!;
    this.workerB = this.nodes[2]!;
    this.ingressNode = this.workerA;
  }

  node(name: string): NodeInfo | undefined {
    return this.nodes.find((n) => n.name === name);
  }

  /** The network's gateway address: what a pod sees when traffic was masqueraded on its own node. */
  podGateway(node: NodeInfo): string {
    return `10.244.${node.podSubnet}.1`;
  }

  allocateLoadBalancerIp(): string {
    for (let last = 5; last < 255; last++) {
      const ip = `${this.block}.${last}`;
      if (!this.lbAddresses.has(ip)) {
        this.lbAddresses.add(ip);
        return ip;
      }
    }
    throw new Error('the cluster double ran out of load balancer addresses');
  }

  releaseLoadBalancerIp(ip: string): void {
    this.lbAddresses.delete(ip);
  }

  allocatePodIp(node: NodeInfo): string {
    for (let last = 2; last < 255; last++) {
      const ip = `10.244.${node.podSubnet}.${last}`;
      if (!this.podAddresses.has(ip)) {
        this.podAddresses.add(ip);
        return ip;
      }
    }
    throw new Error(`the cluster double ran out of pod addresses on ${node.name}`);
  }

  releasePodIp(ip: string): void {
    this.podAddresses.delete(ip);
  }
}

/** Node architecture as Kubernetes names it (kind nodes run on the host's kernel and CPU). */
export function goArch(): string {
  return process.arch === 'x64' ? 'amd64' : process.arch;
}

/** A random 127.X.Y block, away from 127.0.0.0/16 (the host's own loopback addresses live there). */
export function randomBlock(): string {
  const x = 16 + Math.floor(Math.random() * 238);
  const y = Math.floor(Math.random() * 256);
  return `127.${x}.${y}`;
}
