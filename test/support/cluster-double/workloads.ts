import { createHash, randomInt } from 'node:crypto';
import { clone, sameJson, sortKeys, timestamp, type KubeObject } from './objects.js';
import type { ObjectStore } from './store.js';
import { jitter, type Timers } from './timers.js';
import type { NodeInfo, Topology } from './topology.js';
import type { ApparentPeers } from './net/apparent.js';
import { WhoamiServer } from './net/whoami.js';

/**
 * The Deployment and ReplicaSet controllers, the scheduler and the kubelet, as far as the labs need them:
 * a Deployment gets `replicas` pods named `<deploy>-<template hash>-<suffix>`, placed on the workers (honouring
 * nodeName, nodeSelector and the control-plane taint), each running a whoami container that becomes Ready
 * after a short delay. Every container is modelled as traefik/whoami: the labs run nothing else.
 */

/** Kubernetes' rand.SafeEncodeString alphabet (no vowels, no look-alike digits). */
const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

function templateHash(template: unknown): string {
  const digest = createHash('sha256')
    .update(JSON.stringify(sortKeys(template)))
    .digest();
  return Array.from(digest.subarray(0, 10), (byte) => SAFE[byte % SAFE.length]).join('');
}

function randomSuffix(): string {
  return Array.from({ length: 5 }, () => SAFE[randomInt(SAFE.length)]).join('');
}

/** Pod spec fields that would change where or how pods run, which the double does not model: refused loudly. */
export function unmodelledPodFields(podSpec: Record<string, unknown> | undefined): string[] {
  return ['affinity', 'topologySpreadConstraints', 'hostNetwork'].filter((f) => podSpec?.[f] !== undefined);
}

/** The whoami flags of the first container (`--port=8080 --name=jordy`), with the image's defaults. */
function whoamiSettings(container: Record<string, any> | undefined): { port: number; name?: string } {
  const words = [...((container?.command ?? []) as string[]).slice(1), ...((container?.args ?? []) as string[])].map(
    String,
  );
  const env = new Map(
    ((container?.env ?? []) as { name: string; value?: string }[]).map((e) => [e.name, e.value ?? '']),
  );
  const flag = (name: string): string | undefined => {
    for (let i = 0; i < words.length; i++) {
      const m = new RegExp(`^--?${name}(?:=(.*))?$`).exec(words[i]!);
      if (m) return m[1] ?? words[i + 1];
    }
    return undefined;
  };
  const port = Number(flag('port') ?? (env.get('WHOAMI_PORT_NUMBER') || '80'));
  const name = flag('name') ?? (env.get('WHOAMI_NAME') || undefined);
  return { port, ...(name ? { name } : {}) };
}

/** How the kubelet reports an image: `traefik/whoami:v1.11.0` → `docker.io/traefik/whoami:v1.11.0`. */
function fullImageName(image: string): string {
  const first = image.split('/')[0]!;
  if (image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) return image;
  return image.includes('/') ? `docker.io/${image}` : `docker.io/library/${image}`;
}

/** A readiness probe succeeds when it reaches the port whoami listens on (whoami answers every path with 200). */
function probeAnswers(container: Record<string, any> | undefined, listening: number): boolean {
  const probe = container?.readinessProbe;
  const port: number | string | undefined = probe?.httpGet?.port ?? probe?.tcpSocket?.port;
  if (port === undefined) return true;
  const named = ((container?.ports ?? []) as { name?: string; containerPort: number }[]).find((p) => p.name === port);
  return (typeof port === 'number' ? port : (named?.containerPort ?? Number(port))) === listening;
}

function tolerates(podSpec: Record<string, any>, taintKey: string): boolean {
  return ((podSpec.tolerations ?? []) as Record<string, string>[]).some(
    (t) =>
      (t.key === taintKey || (t.key === undefined && t.operator === 'Exists')) &&
      (t.effect === undefined || t.effect === '' || t.effect === 'NoSchedule'),
  );
}

interface Placement {
  node?: NodeInfo;
  /** The scheduler's message when no node fits. */
  reason?: string;
}

/** A small seeded generator (mulberry32): the same seed gives the same placements, so a test run is repeatable. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function schedule(
  podSpec: Record<string, any>,
  nodes: readonly NodeInfo[],
  load: (node: NodeInfo) => number,
  random: () => number,
): Placement {
  if (podSpec.nodeName) {
    const node = nodes.find((n) => n.name === podSpec.nodeName);
    return node ? { node } : { reason: `node "${podSpec.nodeName}" not found` };
  }
  const selector = (podSpec.nodeSelector ?? {}) as Record<string, string>;
  let tainted = 0;
  let unmatched = 0;
  const fits = nodes.filter((node) => {
    if (node.controlPlane && !tolerates(podSpec, 'node-role.kubernetes.io/control-plane')) {
      tainted++;
      return false;
    }
    if (Object.entries(selector).some(([k, v]) => node.labels[k] !== v)) {
      unmatched++;
      return false;
    }
    return true;
  });
  if (fits.length === 0) {
    const parts: string[] = [];
    if (tainted) parts.push(`${tainted} node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }`);
    if (unmatched) parts.push(`${unmatched} node(s) didn't match Pod's node affinity/selector`);
    return {
      reason: `0/${nodes.length} nodes are available: ${parts.join(', ')}. preemption: 0/${nodes.length} nodes are available: ${nodes.length} Preemption is not helpful for scheduling.`,
    };
  }
  // The pods of one Deployment are spread over the nodes that fit; between equally good nodes the scheduler's
  // selectHost (pkg/scheduler/schedule_one.go) picks by reservoir sampling, i.e. at random: no node is favoured.
  const least = Math.min(...fits.map(load));
  const best = fits.filter((node) => load(node) === least);
  return { node: best[Math.floor(random() * best.length)]! };
}

interface Runtime {
  /** uid of the Deployment that owns the pod. */
  owner: string;
  server?: WhoamiServer;
  /** The port the container listens on inside the pod (whoami --port). */
  containerPort: number;
  ip?: string;
  node?: NodeInfo;
}

export interface WorkloadTiming {
  /** A new pod turns Ready after a delay in this range (ms). */
  podReadyMs: readonly [number, number];
}

function podKey(pod: KubeObject): string {
  return `${pod.metadata.namespace}/${pod.metadata.name}`;
}

export function isPodReady(pod: KubeObject): boolean {
  return ((pod.status?.conditions ?? []) as { type: string; status: string }[]).some(
    (c) => c.type === 'Ready' && c.status === 'True',
  );
}

export class Workloads {
  private readonly runtimes = new Map<string, Runtime>();
  private readonly revisions = new Map<string, string[]>();

  constructor(
    private readonly store: ObjectStore,
    private readonly topology: Topology,
    private readonly peers: ApparentPeers,
    private readonly timers: Timers,
    private readonly timing: WorkloadTiming,
    /** Something changed on its own (a pod became Ready): the rest of the cluster must catch up. */
    private readonly changed: () => void,
    /** Breaks ties between equally loaded nodes. */
    private readonly random: () => number = seededRandom(14),
  ) {}

  /** The 127.0.0.1 port to dial for `pod`'s `port`, or undefined when nothing listens there (a wrong targetPort). */
  listenerFor(pod: KubeObject, port: number): number | undefined {
    const runtime = this.runtimes.get(podKey(pod));
    return runtime?.server && runtime.containerPort === port ? runtime.server.port : undefined;
  }

  async reconcile(): Promise<void> {
    const deployments = this.store.list('Deployment');
    const live = new Set(deployments.map((d) => d.metadata.uid));
    for (const [key, runtime] of this.runtimes) {
      const [namespace, name] = key.split('/') as [string, string];
      if (!live.has(runtime.owner) || !this.store.get('Pod', namespace, name)) await this.removePod(namespace, name);
    }
    for (const deploy of deployments) await this.reconcileDeployment(deploy);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.runtimes.values()].map(async (r) => r.server?.close()));
    this.runtimes.clear();
  }

  private owned(deploy: KubeObject): KubeObject[] {
    return this.store
      .list('Pod', deploy.metadata.namespace)
      .filter((pod) => this.runtimes.get(podKey(pod))?.owner === deploy.metadata.uid);
  }

  private async reconcileDeployment(deploy: KubeObject): Promise<void> {
    const hash = templateHash(deploy.spec.template);
    const revision = this.revision(deploy, hash);
    for (const pod of this.owned(deploy)) {
      if (pod.metadata.labels?.['pod-template-hash'] !== hash)
        await this.removePod(pod.metadata.namespace!, pod.metadata.name);
    }
    const replicas = Number(deploy.spec.replicas ?? 1);
    let current = this.owned(deploy);
    for (let i = current.length; i < replicas; i++) await this.createPod(deploy, hash);
    if (current.length > replicas) {
      // Like the ReplicaSet controller: not-ready pods go first, then the newest.
      const victims = [...current]
        .sort(
          (a, b) =>
            Number(isPodReady(a)) - Number(isPodReady(b)) ||
            b.metadata.creationTimestamp.localeCompare(a.metadata.creationTimestamp),
        )
        .slice(0, current.length - replicas);
      for (const pod of victims) await this.removePod(pod.metadata.namespace!, pod.metadata.name);
    }
    current = this.owned(deploy);
    this.writeDeploymentStatus(deploy, hash, revision, current);
  }

  private revision(deploy: KubeObject, hash: string): number {
    const seen = this.revisions.get(deploy.metadata.uid) ?? [];
    if (!seen.includes(hash)) seen.push(hash);
    this.revisions.set(deploy.metadata.uid, seen);
    return seen.indexOf(hash) + 1;
  }

  private async createPod(deploy: KubeObject, hash: string): Promise<void> {
    const namespace = deploy.metadata.namespace!;
    const replicaSet = `${deploy.metadata.name}-${hash}`;
    let name: string;
    do name = `${replicaSet}-${randomSuffix()}`;
    while (this.store.get('Pod', namespace, name));
    const template = clone(deploy.spec.template) as {
      metadata?: { labels?: Record<string, string> };
      spec: Record<string, any>;
    };
    const placement = schedule(
      template.spec,
      this.topology.nodes,
      (node) => this.owned(deploy).filter((p) => p.spec?.nodeName === node.name).length,
      this.random,
    );
    const container = (template.spec.containers as Record<string, any>[])[0];
    const settings = whoamiSettings(container);
    const runtime: Runtime = { owner: deploy.metadata.uid, containerPort: settings.port };
    const rsUid = createHash('sha256')
      .update(deploy.metadata.uid + hash)
      .digest('hex');
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        generateName: `${replicaSet}-`,
        namespace,
        uid: '',
        resourceVersion: '',
        creationTimestamp: '',
        labels: { ...(template.metadata?.labels ?? {}), 'pod-template-hash': hash },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            name: replicaSet,
            uid: `${rsUid.slice(0, 8)}-${rsUid.slice(8, 12)}-${rsUid.slice(12, 16)}-${rsUid.slice(16, 20)}-${rsUid.slice(20, 32)}`,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: {
        ...template.spec,
        enableServiceLinks: true,
        preemptionPolicy: 'PreemptLowerPriority',
        priority: 0,
        serviceAccount: 'default',
        serviceAccountName: 'default',
        ...(placement.node ? { nodeName: placement.node.name } : {}),
      },
      status: {},
    };
    if (placement.node) {
      runtime.node = placement.node;
      runtime.ip = this.topology.allocatePodIp(placement.node);
      pod.status = this.creatingStatus(pod, placement.node);
    } else {
      pod.status = {
        conditions: [
          {
            lastProbeTime: null,
            lastTransitionTime: timestamp(new Date()),
            message: placement.reason,
            reason: 'Unschedulable',
            status: 'False',
            type: 'PodScheduled',
          },
        ],
        phase: 'Pending',
        qosClass: 'BestEffort',
      };
    }
    const stored = this.store.create(pod);
    this.runtimes.set(podKey(stored), runtime);
    if (!placement.node) return;
    runtime.server = await WhoamiServer.start({ hostname: name, name: settings.name, podIp: runtime.ip! }, this.peers);
    this.timers.after(jitter(this.timing.podReadyMs), () => this.markRunning(namespace, name));
  }

  private creatingStatus(pod: KubeObject, node: NodeInfo): Record<string, unknown> {
    const now = timestamp(new Date());
    const containers = (pod.spec.containers as Record<string, any>[]).map((c) => c.name as string);
    const notReady = {
      reason: 'ContainersNotReady',
      message: `containers with unready status: [${containers.join(' ')}]`,
    };
    return {
      conditions: [
        { lastProbeTime: null, lastTransitionTime: now, status: 'False', type: 'PodReadyToStartContainers' },
        { lastProbeTime: null, lastTransitionTime: now, status: 'True', type: 'Initialized' },
        { lastProbeTime: null, lastTransitionTime: now, ...notReady, status: 'False', type: 'Ready' },
        { lastProbeTime: null, lastTransitionTime: now, ...notReady, status: 'False', type: 'ContainersReady' },
        { lastProbeTime: null, lastTransitionTime: now, status: 'True', type: 'PodScheduled' },
      ],
      containerStatuses: (pod.spec.containers as Record<string, any>[]).map((c) => ({
        image: c.image,
        imageID: '',
        lastState: {},
        name: c.name,
        ready: false,
        restartCount: 0,
        started: false,
        state: { waiting: { reason: 'ContainerCreating' } },
      })),
      hostIP: node.ip,
      hostIPs: [{ ip: node.ip }],
      phase: 'Pending',
      qosClass: 'BestEffort',
      startTime: now,
    };
  }

  /** The container started; it is Ready unless its readiness probe looks where it does not listen. */
  private markRunning(namespace: string, name: string): void {
    const pod = this.store.get('Pod', namespace, name);
    const runtime = this.runtimes.get(`${namespace}/${name}`);
    if (!pod || !runtime?.node || !runtime.ip) return;
    const containers = pod.spec.containers as Record<string, any>[];
    const ready = probeAnswers(containers[0], runtime.containerPort);
    const now = timestamp(new Date());
    const unready = {
      reason: 'ContainersNotReady',
      message: `containers with unready status: [${containers.map((c) => c.name).join(' ')}]`,
    };
    const condition = (type: string) => ({
      lastProbeTime: null,
      lastTransitionTime: now,
      ...(!ready && (type === 'Ready' || type === 'ContainersReady')
        ? { ...unready, status: 'False' }
        : { status: 'True' }),
      type,
    });
    const updated = clone(pod);
    updated.status = {
      conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(
        condition,
      ),
      containerStatuses: containers.map((c) => ({
        image: fullImageName(String(c.image)),
        imageID: '',
        lastState: {},
        name: c.name,
        ready,
        restartCount: 0,
        started: true,
        state: { running: { startedAt: now } },
      })),
      hostIP: runtime.node.ip,
      hostIPs: [{ ip: runtime.node.ip }],
      phase: 'Running',
      podIP: runtime.ip,
      podIPs: [{ ip: runtime.ip }],
      qosClass: 'BestEffort',
      startTime: pod.status?.startTime ?? now,
    };
    this.store.update(updated);
    this.changed();
  }

  private async removePod(namespace: string, name: string): Promise<void> {
    this.store.remove('Pod', namespace, name);
    const runtime = this.runtimes.get(`${namespace}/${name}`);
    this.runtimes.delete(`${namespace}/${name}`);
    if (runtime?.ip) this.topology.releasePodIp(runtime.ip);
    await runtime?.server?.close();
  }

  private writeDeploymentStatus(deploy: KubeObject, hash: string, revision: number, pods: KubeObject[]): void {
    const replicas = Number(deploy.spec.replicas ?? 1);
    const ready = pods.filter(isPodReady).length;
    const updated = pods.filter((p) => p.metadata.labels?.['pod-template-hash'] === hash).length;
    const complete = ready === replicas && updated === replicas && pods.length === replicas;
    const replicaSet = `${deploy.metadata.name}-${hash}`;
    const previous = (deploy.status?.conditions ?? []) as {
      type: string;
      status: string;
      reason: string;
      lastTransitionTime: string;
    }[];
    const now = timestamp(new Date());
    const condition = (type: string, status: string, reason: string, message: string) => {
      const before = previous.find((c) => c.type === type);
      const since = before && before.status === status ? before.lastTransitionTime : now;
      const updatedAt =
        before && before.reason === reason ? ((before as { lastUpdateTime?: string }).lastUpdateTime ?? since) : now;
      return { lastTransitionTime: since, lastUpdateTime: updatedAt, message, reason, status, type };
    };
    const status: Record<string, unknown> = {
      ...(ready ? { availableReplicas: ready } : {}),
      conditions: [
        ready >= replicas
          ? condition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.')
          : condition(
              'Available',
              'False',
              'MinimumReplicasUnavailable',
              'Deployment does not have minimum availability.',
            ),
        complete
          ? condition(
              'Progressing',
              'True',
              'NewReplicaSetAvailable',
              `ReplicaSet "${replicaSet}" has successfully progressed.`,
            )
          : condition('Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${replicaSet}" is progressing.`),
      ],
      observedGeneration: deploy.metadata.generation ?? 1,
      ...(ready ? { readyReplicas: ready } : {}),
      ...(pods.length ? { replicas: pods.length } : {}),
      ...(pods.length - ready > 0 ? { unavailableReplicas: pods.length - ready } : {}),
      ...(updated ? { updatedReplicas: updated } : {}),
    };
    const annotations = {
      ...(deploy.metadata.annotations ?? {}),
      'deployment.kubernetes.io/revision': String(revision),
    };
    if (sameJson(status, deploy.status) && sameJson(annotations, deploy.metadata.annotations)) return;
    this.store.update({ ...deploy, metadata: { ...deploy.metadata, annotations }, status });
  }
}
