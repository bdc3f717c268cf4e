import type { Cluster, HostPorts, KubectlOptions, Reachability } from '../../../src/cluster/types.js';
import { InterruptedError } from '../../../src/core/errors.js';
import { formatCommand, type CommandResult } from '../../../src/platform/command.js';
import { Api } from './api.js';
import { runKubectl } from './kubectl/run.js';
import { watchObjects } from './kubectl/watch.js';
import { KubeProxy } from './net/kube-proxy.js';
import { ApparentPeers } from './net/apparent.js';
import { IngressStatus } from './net/contour.js';
import { Envoy } from './net/envoy.js';
import { LoadBalancers } from './net/load-balancer.js';
import { Network } from './net/network.js';
import { nodeObject } from './nodes.js';
import { timestamp } from './objects.js';
import { ObjectStore } from './store.js';
import { Timers } from './timers.js';
import { randomBlock, Topology } from './topology.js';
import { Workloads } from './workloads.js';
import { DOUBLE_NETWORK, publishesFixedHostPorts, type DoublePlatform } from './platform.js';

/** How long the double's controllers take, so that code which polls meets states that are "not yet". */
export interface DoubleTiming {
  /** A new pod becomes Ready after a delay drawn from this range (ms). */
  podReadyMs: readonly [number, number];
  /** cloud-provider-kind writes a LoadBalancer's address after this delay (ms). */
  loadBalancerMs: number;
  /** Contour writes an Ingress's address after this delay (ms). */
  ingressStatusMs: number;
}

export const DEFAULT_TIMING: DoubleTiming = { podReadyMs: [100, 300], loadBalancerMs: 200, ingressStatusMs: 200 };

export interface DoubleOptions {
  /** kind cluster name; the context is `kind-<name>`. Default `expose-labs`. */
  name?: string;
  /** Host ports on 127.0.0.1 mapped into the nodes, as kind's extraPortMappings. */
  ports: HostPorts;
  timing?: Partial<DoubleTiming>;
  /** Another laptop than Linux with rootful Docker, where a lab's outcome depends on it. */
  platform?: DoublePlatform;
}

class TimedOut extends Error {}

/** Where a host client's connections appear to come from once they pass a kind port mapping. */
const HOST_CLIENT_ADDRESS = '127.0.0.1';
const BLOCK_ATTEMPTS = 20;

function listenError(error: unknown): error is NodeJS.ErrnoException & { address?: string; port?: number } {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';
}

/**
 * A kind cluster as the labs see it, inside this process: kubectl calls are interpreted against an in-memory
 * API, and Services, load balancers, Ingresses and pods are real sockets on loopback. It follows the manifests
 * it is given and knows nothing of labs or checks. Linux only: it needs the whole 127.0.0.0/8 on loopback, and
 * to bind ports 80/443 on its node and load balancer addresses (root, or net.ipv4.ip_unprivileged_port_start ≤ 80).
 */
export class ClusterDouble implements Cluster {
  readonly context: string;
  private readonly store = new ObjectStore();
  private readonly timers = new Timers();
  private readonly topology: Topology;
  private readonly workloads: Workloads;
  private readonly loadBalancers: LoadBalancers;
  private readonly ingressStatus: IngressStatus;
  private readonly network: Network;
  private readonly api: Api;
  private settling: Promise<void> = Promise.resolve();
  private serverGone: () => void = () => {};
  /** Settles when the double stops: open watches end, as kubectl's do when the API server goes away. */
  private readonly gone = new Promise<void>((resolve) => (this.serverGone = resolve));
  private watching = 0;
  private failure: Error | undefined;
  private stopped = false;

  private constructor(
    readonly name: string,
    readonly ports: HostPorts,
    block: string,
    timing: DoubleTiming,
    private readonly platform: DoublePlatform,
  ) {
    this.context = `kind-${name}`;
    this.topology = new Topology(name, block);
    const peers = new ApparentPeers();
    const changed = () => void this.settle().catch(() => undefined);
    this.workloads = new Workloads(this.store, this.topology, peers, this.timers, timing, changed);
    const kubeProxy = new KubeProxy(this.store, this.workloads, this.topology, peers);
    this.loadBalancers = new LoadBalancers(
      this.store,
      this.topology,
      kubeProxy,
      this.timers,
      timing.loadBalancerMs,
      changed,
      // Contour's envoy Service is a LoadBalancer on 80/443 too (examples/render/contour.yaml@v1.33.6), and
      // kind's 127.0.0.1 mappings hold their host ports.
      publishesFixedHostPorts(platform) ? new Set([80, 443, ...Object.values(ports)]) : undefined,
    );
    // Contour's Envoy runs as a pod on the ingress node; its Service is a LoadBalancer of its own.
    const envoyPodIp = this.topology.allocatePodIp(this.topology.ingressNode);
    const envoyAddress = this.topology.allocateLoadBalancerIp();
    this.ingressStatus = new IngressStatus(this.store, this.timers, envoyAddress, timing.ingressStatusMs);
    const envoy = new Envoy(this.store, kubeProxy, peers, envoyPodIp);
    this.network = new Network(this.store, this.topology, kubeProxy, this.loadBalancers, envoy, envoyAddress, {
      peers,
      mappingSource: platform.mappingSource,
    });
    this.api = new Api(this.store, this.workloads, () => this.settle());
  }

  /** Start an instance on a free 127.X.Y block (another one is tried when a parallel instance holds it). */
  static async start(options: DoubleOptions): Promise<ClusterDouble> {
    const timing = { ...DEFAULT_TIMING, ...options.timing };
    for (let attempt = 1; ; attempt++) {
      const double = new ClusterDouble(
        options.name ?? 'expose-labs',
        options.ports,
        randomBlock(),
        timing,
        options.platform ?? {},
      );
      try {
        await double.network.start(options.ports);
        double.registerNodes();
        return double;
      } catch (error) {
        await double.stop();
        if (!listenError(error)) throw error;
        const onHost = error.address === '127.0.0.1';
        if (error.code === 'EADDRINUSE' && !onHost && attempt < BLOCK_ATTEMPTS) continue;
        if (error.code === 'EADDRINUSE' && onHost) {
          throw new Error(`the cluster double cannot map host port 127.0.0.1:${error.port}: it is already in use`, {
            cause: error,
          });
        }
        if (error.code === 'EACCES') {
          throw new Error(
            `the cluster double cannot listen on ${error.address}:${error.port}: ports below 1024 need root ` +
              'or sysctl net.ipv4.ip_unprivileged_port_start=0',
            { cause: error },
          );
        }
        throw error;
      }
    }
  }

  async kubectl(args: readonly string[], options: KubectlOptions = {}): Promise<CommandResult> {
    if (this.stopped)
      return failed(
        'The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?\n',
      );
    if (this.failure) return failed(`the cluster double broke: ${this.failure.message}\n`);
    // Like the real exec: a cancelled call throws InterruptedError; a call over its time limit reports timedOut.
    if (options.signal?.aborted) throw new InterruptedError();
    const controller = new AbortController();
    const cancel = () => controller.abort(new InterruptedError());
    options.signal?.addEventListener('abort', cancel);
    const timer = options.timeoutMs ? setTimeout(() => controller.abort(new TimedOut()), options.timeoutMs) : undefined;
    try {
      const out = await runKubectl(this.api, args, { input: options.input, signal: controller.signal });
      return {
        exitCode: out.exitCode,
        stdout: out.stdout,
        stderr: out.stderr,
        failed: out.exitCode !== 0,
        timedOut: false,
      };
    } catch (error) {
      if (error instanceof TimedOut)
        return { exitCode: undefined, stdout: '', stderr: '', failed: true, timedOut: true };
      throw error;
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', cancel);
    }
  }

  /** `kubectl get … --watch`, streamed: see kubectl/watch.ts. */
  async watch(
    args: readonly string[],
    onLine: (line: string) => void,
    options: { signal: AbortSignal },
  ): Promise<CommandResult> {
    if (this.stopped)
      return failed(
        'The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?\n',
      );
    if (options.signal.aborted) throw new InterruptedError();
    this.watching += 1;
    try {
      const out = await watchObjects(this.api, this.store, args, onLine, {
        signal: options.signal,
        serverGone: this.gone,
      });
      return { exitCode: out.exitCode, stdout: '', stderr: out.stderr, failed: out.exitCode !== 0, timedOut: false };
    } finally {
      this.watching -= 1;
    }
  }

  /** How many watches are open now (for tests that nothing outlives its step). */
  openWatches(): number {
    return this.watching;
  }

  kubectlLine(args: readonly string[]): string {
    return formatCommand({ file: 'kubectl', args: ['--context', this.context, ...args] });
  }

  async reachability(): Promise<Reachability> {
    // Node and load balancer addresses are loopback addresses here, so the host reaches them directly.
    const reach: Reachability =
      this.platform.hostReachesNodeNetwork === false
        ? {
            hostReachesNodeNetwork: false,
            hostClientAddress: HOST_CLIENT_ADDRESS,
            networkProbe: { network: DOUBLE_NETWORK, image: 'kindest/node:double' },
            // The block is the double's node network: its loopback addresses are not "this machine" then.
            labNetworks: [`${this.topology.block}.0/24`],
          }
        : { hostReachesNodeNetwork: true, hostClientAddress: HOST_CLIENT_ADDRESS };
    const measured = this.platform.mappingSource;
    return measured ? { ...reach, measureClientAddress: async () => measured } : reach;
  }

  /** `address:port` of every socket the double listens on (for tests of its own clean-up). */
  listening(): string[] {
    return this.network.listening();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.serverGone();
    this.timers.stop();
    await this.settling;
    await this.network.stop();
    await this.workloads.stop();
  }

  private registerNodes(): void {
    const since = timestamp(new Date());
    for (const node of this.topology.nodes) this.store.create(nodeObject(node, this.name, since));
    this.store.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        uid: '',
        resourceVersion: '',
        creationTimestamp: '',
        labels: { component: 'apiserver', provider: 'kubernetes' },
      },
      spec: {
        clusterIP: '10.96.0.1',
        clusterIPs: ['10.96.0.1'],
        internalTrafficPolicy: 'Cluster',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
        sessionAffinity: 'None',
        type: 'ClusterIP',
      },
      status: { loadBalancer: {} },
    });
  }

  /** Let controllers and the network catch up; one pass at a time. A failure is kept and reported by kubectl. */
  private settle(): Promise<void> {
    const pass = this.settling.then(async () => {
      if (this.stopped) return;
      await this.workloads.reconcile();
      this.loadBalancers.reconcile();
      this.ingressStatus.reconcile();
      await this.network.sync();
    });
    this.settling = pass.catch((error: Error) => {
      this.failure ??= error;
    });
    return pass;
  }
}

function failed(stderr: string): CommandResult {
  return { exitCode: 1, stdout: '', stderr, failed: true, timedOut: false };
}
