import { networkInterfaces } from 'node:os';
import { UserError } from '../../core/errors.js';
import type { Exec } from '../../platform/command.js';
import { KubectlCluster } from '../kubectl-cluster.js';
import { hasGatewayApi } from '../gateway-api.js';
import type { Capabilities, Cluster, ClusterOptions, ClusterProvider, ClusterStatus, Reachability } from '../types.js';
import type { Reporter } from '../../core/reporter.js';
import { toolCommand } from '../../platform/invocation.js';

/**
 * A cluster someone else made (an instructor's), reached through an existing kubectl context. Nothing is
 * created or deleted: every call is `kubectl --context <name> …`, and `capabilities` says what it can do.
 */
export class ExistingContextProvider implements ClusterProvider {
  readonly kind = 'context';

  constructor(
    private readonly exec: Exec,
    private readonly kubectlPath: string,
    private readonly interfaces: () => ReturnType<typeof networkInterfaces> = networkInterfaces,
  ) {}

  private contextName(options: ClusterOptions): string {
    if (!options.context) throw new Error('ExistingContextProvider needs options.context');
    return options.context;
  }

  cluster(options: ClusterOptions): Cluster {
    const context = this.contextName(options);
    return new KubectlCluster(options.name, context, options.ports, this.exec, this.kubectlPath, async () =>
      this.reachability(),
    );
  }

  /**
   * A remote cluster's node and LoadBalancer addresses are normally routable from a classroom machine, and
   * there is no port mapping in between: the client address a pod sees is this machine's own (unless a NAT
   * sits between; then the source-IP checks say "rewritten", which is what happened).
   */
  private reachability(): Reachability {
    const own = Object.values(this.interfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    return { hostReachesNodeNetwork: true, hostClientAddress: own?.address ?? '127.0.0.1' };
  }

  /** Reads the kubeconfig only (no cluster is contacted), so this is the one kubectl call without --context. */
  async inspect(options: ClusterOptions): Promise<ClusterStatus> {
    const context = this.contextName(options);
    const result = await this.exec({ file: this.kubectlPath, args: ['config', 'get-contexts', context, '-o', 'name'] });
    const exists = !result.failed && result.stdout.trim() === context;
    return { exists, matches: exists, differences: [] };
  }

  async connect(options: ClusterOptions): Promise<Cluster | undefined> {
    const cluster = this.cluster(options);
    const nodes = await cluster.kubectl(['get', 'nodes', '-o', 'json']);
    return nodes.failed ? undefined : cluster;
  }

  async up(options: ClusterOptions & { recreate: boolean }, reporter: Reporter, signal: AbortSignal): Promise<Cluster> {
    const context = this.contextName(options);
    return reporter.task(
      { ko: `kubectl 컨텍스트 ${context}에 연결`, en: `Connect to kubectl context ${context}` },
      async (taskSignal) => {
        const cluster = this.cluster(options);
        const result = await cluster.kubectl(['get', 'nodes', '-o', 'json'], {
          signal: AbortSignal.any([signal, taskSignal]),
        });
        if (result.failed) {
          throw new UserError(
            {
              ko: `컨텍스트 ${context}의 클러스터가 응답하지 않습니다:\n${result.stderr.trim()}`,
              en: `The cluster of context ${context} does not answer:\n${result.stderr.trim()}`,
            },
            {
              ko: `확인: ${cluster.kubectlLine(['get', 'nodes'])}`,
              en: `Check: ${cluster.kubectlLine(['get', 'nodes'])}`,
            },
          );
        }
        return cluster;
      },
    );
  }

  /**
   * Heuristic, because Kubernetes has no "LoadBalancer supported" flag. LoadBalancer: yes when some Service of
   * type LoadBalancer already has an address, or a node's providerID names a cloud whose controller provides
   * load balancers. (kind's own `kind://` providerID does not count: kind has none without cloud-provider-kind.)
   * Ingress: yes when an IngressClass `contour` exists, or a Contour controller runs (it serves Ingresses of
   * class `contour`, which the labs use, without an IngressClass object). Gateway: the GatewayClass
   * `cloud-provider-kind` exists and is accepted (the lab's Gateway names it).
   */
  async capabilities(cluster: Cluster): Promise<Capabilities> {
    return {
      loadBalancer: await hasLoadBalancer(cluster),
      ingress: await hasContourIngress(cluster),
      gateway: await hasGatewayApi(cluster),
    };
  }

  async down(options: ClusterOptions, reporter: Reporter): Promise<void> {
    reporter.note({
      ko: `컨텍스트 ${this.contextName(options)}의 클러스터는 이 도구가 만든 것이 아니라 지우지 않습니다. 실습이 만든 것은 ${toolCommand()} reset 으로 되돌리세요.`,
      en: `The cluster of context ${this.contextName(options)} was not made by this tool, so it is not deleted. Undo what the labs made with ${toolCommand()} reset.`,
    });
  }
}

const CLOUD_PROVIDER_IDS =
  /^(aws|gce|azure|digitalocean|linode|hcloud|oci|ibm|openstack|vsphere|exoscale|scaleway|vultr|upcloud):\/\//;

interface Items<T> {
  items?: T[];
}

async function getItems<T>(cluster: Cluster, args: string[]): Promise<T[]> {
  const result = await cluster.kubectl([...args, '-o', 'json']);
  if (result.failed) return [];
  try {
    return (JSON.parse(result.stdout) as Items<T>).items ?? [];
  } catch {
    return [];
  }
}

async function hasLoadBalancer(cluster: Cluster): Promise<boolean> {
  type Service = { spec?: { type?: string }; status?: { loadBalancer?: { ingress?: unknown[] } } };
  const services = await getItems<Service>(cluster, ['get', 'services', '--all-namespaces']);
  if (services.some((s) => s.spec?.type === 'LoadBalancer' && (s.status?.loadBalancer?.ingress?.length ?? 0) > 0))
    return true;
  const nodes = await getItems<{ spec?: { providerID?: string } }>(cluster, ['get', 'nodes']);
  return nodes.some((n) => CLOUD_PROVIDER_IDS.test(n.spec?.providerID ?? ''));
}

async function hasContourIngress(cluster: Cluster): Promise<boolean> {
  const classes = await getItems<{ metadata?: { name?: string } }>(cluster, ['get', 'ingressclass']);
  if (classes.some((c) => c.metadata?.name === 'contour')) return true;
  type Deployment = {
    spec?: { template?: { spec?: { containers?: { image?: string }[] } } };
    status?: { availableReplicas?: number };
  };
  const deployments = await getItems<Deployment>(cluster, ['get', 'deployments', '--all-namespaces']);
  return deployments.some(
    (d) =>
      (d.status?.availableReplicas ?? 0) > 0 &&
      (d.spec?.template?.spec?.containers ?? []).some((c) => /projectcontour\/contour[:@]/.test(c.image ?? '')),
  );
}
