import type { Message } from '../core/i18n.js';
import type { Reporter } from '../core/reporter.js';
import type { CommandResult } from '../platform/command.js';

/**
 * Host ports on 127.0.0.1 that the lab cluster maps into its nodes (kind extraPortMappings).
 * Every one is configurable because 80/443/30000 are often taken on a learner's machine.
 */
export interface HostPorts {
  /** → ingress node :80 (Envoy hostPort). */
  http: number;
  /** → ingress node :443. */
  https: number;
  /** → worker "a" :30000, the NodePort lab's nodePort. */
  nodePort: number;
  /** → worker "a" :30080, the externalTrafficPolicy lab's nodePort on the node that runs the pod. */
  workerA: number;
  /** → worker "b" :30080, the same nodePort on the node without a pod. */
  workerB: number;
}

/** The kind cluster's name when no `--cluster-name` is given. */
export const DEFAULT_CLUSTER_NAME = 'expose-labs';

export const DEFAULT_HOST_PORTS: HostPorts = { http: 80, https: 443, nodePort: 30000, workerA: 30081, workerB: 30082 };

/** nodePorts inside the cluster that the host ports above lead to. */
export const NODE_PORTS = { nodePortLab: 30000, trafficPolicyLab: 30080 } as const;

/** Node labels the fixtures use to pin pods (kind sets them through the node field `labels:`). */
export const NODE_LABEL = 'expose-labs/node';

/** How checks can reach the cluster from where the tool runs. */
export interface Reachability {
  /** Node, NodePort and LoadBalancer addresses answer from this machine (Linux without Docker Desktop). */
  hostReachesNodeNetwork: boolean;
  /** The source address a pod sees for a client on this machine that comes in through a host port mapping, before any SNAT. */
  hostClientAddress: string;
  /**
   * Where that address must be measured rather than known (a kind cluster: it depends on the engine's port
   * forwarding): measures it, once per cluster object. Absent where `hostClientAddress` is already exact.
   */
  measureClientAddress?: () => Promise<string>;
  /** Where a throwaway curl container can run when the host cannot reach the node network. */
  networkProbe?: { network: string; image: string };
  /**
   * CIDRs of the cluster's own networks (the kind docker network, e.g. `172.18.0.0/16`, and its IPv6 range):
   * a host name that resolves inside them (a node or LoadBalancer address) points at the lab. Loopback always does.
   */
  labNetworks?: string[];
}

/**
 * The one seam between the product and a cluster. Everything that touches the cluster goes through kubectl,
 * always naming this cluster's context, so every call is a line the learner could type.
 * The kind provider implements it with the real kubectl; the test double in test/support interprets the calls.
 */
export interface Cluster {
  readonly name: string;
  /** kubectl context, e.g. `kind-expose-labs`. */
  readonly context: string;
  readonly ports: HostPorts;
  kubectl(args: readonly string[], options?: KubectlOptions): Promise<CommandResult>;
  /** The command line a learner would type for `kubectl(args)`. */
  kubectlLine(args: readonly string[]): string;
  reachability(): Promise<Reachability>;
  /**
   * Run a `kubectl get … --watch` and hand on each line it prints as it prints it. Resolves when kubectl ends (it
   * does when the API server closes the watch, or on an error); throws InterruptedError when `signal` aborts, after
   * the process is gone. Optional: a cluster without it is only polled.
   */
  watch?(
    args: readonly string[],
    onLine: (line: string) => void,
    options: { signal: AbortSignal },
  ): Promise<CommandResult>;
}

export interface KubectlOptions {
  input?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface ClusterOptions {
  /** kind cluster name; the context is `kind-<name>`. */
  name: string;
  ports: HostPorts;
  /** Existing-context mode: use this kubectl context, create nothing. */
  context?: string;
  keepOnFailure: boolean;
  /** Answer yes to every question (recreate a mismatched cluster, …). */
  yes: boolean;
  dryRun: boolean;
  verbose: boolean;
}

/** What a cluster implementation can do; an existing cluster may lack some (then some labs are unavailable). */
export interface Capabilities {
  loadBalancer: boolean;
  ingress: boolean;
  /** Gateway API served by cloud-provider-kind: its GatewayClass exists and is accepted. */
  gateway: boolean;
}

/** Whether the cluster exists, and whether it was made with the configuration asked for now. */
export interface ClusterStatus {
  exists: boolean;
  /** False when it exists but differs (port mappings cannot change on a kind cluster: it must be recreated). */
  matches: boolean;
  differences: Message[];
}

/** Creates, finds and removes the lab cluster (kind, an existing context, or in tests the double). */
export interface ClusterProvider {
  readonly kind: string;
  inspect(options: ClusterOptions): Promise<ClusterStatus>;
  /** Create (or, with `recreate`, delete and create) the cluster and its add-ons, waiting until they are ready. */
  up(options: ClusterOptions & { recreate: boolean }, reporter: Reporter, signal: AbortSignal): Promise<Cluster>;
  /** The cluster if it exists and answers; undefined when there is none. */
  connect(options: ClusterOptions): Promise<Cluster | undefined>;
  capabilities(cluster: Cluster): Promise<Capabilities>;
  /** Remove everything `up` made; a second call is a no-op. */
  down(options: ClusterOptions, reporter: Reporter, signal: AbortSignal): Promise<void>;
}
