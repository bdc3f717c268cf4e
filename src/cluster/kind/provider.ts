import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InterruptedError, UserError, isAbortError } from '../../core/errors.js';
import { run } from '../../platform/exec.js';
import { listContainers } from '../docker.js';
import { assertDistinctPorts, findTakenPorts, portTakenError, portTakenMessage } from '../host-ports.js';
import { KubectlCluster } from '../kubectl-cluster.js';
import { imagesForCluster, nodeImageFor } from '../offline-record.js';
import type { Capabilities, Cluster, ClusterOptions, ClusterProvider, ClusterStatus } from '../types.js';
import type { Reporter } from '../../core/reporter.js';
import { CLOUD_PROVIDER_KIND_IMAGE, CONTOUR_NAMESPACE } from '../versions.js';
import { ensureCloudProviderKind, installContour, waitForLoadBalancer } from './addons.js';
import { desiredConfig, inspectKindCluster, kindClusters } from './inspect.js';
import { kindReachability } from './reachability.js';
import {
  CCM_CLUSTER_LABEL,
  MANAGED_LABEL,
  ccmContainerName,
  kindConfigPath,
  kindContext,
  tools,
  type KindSettings,
} from './settings.js';
import { TITLES } from './titles.js';
import { toolCommand } from '../../platform/invocation.js';

type UpOptions = ClusterOptions & { recreate: boolean };

/** What this run of `up` made, so a failure removes exactly that. */
interface Made {
  cluster: boolean;
  ccm: boolean;
}

const within = (outer: AbortSignal, inner: AbortSignal): AbortSignal => AbortSignal.any([outer, inner]);

/**
 * The kind provider: a create pipeline of small steps (in the manner of kind's own create actions), each shown
 * as a task, each a command the learner could type.
 */
export class KindProvider implements ClusterProvider {
  readonly kind = 'kind';

  constructor(private readonly settings: KindSettings) {}

  private get tools(): { kind: string; kubectl: string } {
    return tools(this.settings);
  }

  cluster(options: Pick<ClusterOptions, 'name' | 'ports'>): Cluster {
    const { exec, platform, cacheDir } = this.settings;
    return new KubectlCluster(options.name, kindContext(options.name), options.ports, exec, this.tools.kubectl, () =>
      kindReachability(exec, { platform, probeImage: nodeImageFor(cacheDir) }),
    );
  }

  inspect(options: ClusterOptions, signal?: AbortSignal): Promise<ClusterStatus> {
    return inspectKindCluster(this.settings, this.tools, options, signal);
  }

  async connect(options: ClusterOptions): Promise<Cluster | undefined> {
    if (!(await kindClusters(this.settings.exec, this.tools.kind)).includes(options.name)) return undefined;
    const cluster = this.cluster(options);
    const nodes = await cluster.kubectl(['get', 'nodes', '-o', 'json']);
    return nodes.failed ? undefined : cluster;
  }

  async capabilities(cluster: Cluster): Promise<Capabilities> {
    const ccm = await this.settings.exec({
      file: 'docker',
      args: ['inspect', '--format', '{{.State.Status}} {{.Config.Image}}', ccmContainerName(cluster.name)],
    });
    const contour = await cluster.kubectl(['-n', CONTOUR_NAMESPACE, 'get', 'deployment', 'contour', '-o', 'json']);
    let available = 0;
    try {
      if (!contour.failed)
        available = Number(
          (JSON.parse(contour.stdout) as { status?: { availableReplicas?: number } } | null)?.status
            ?.availableReplicas ?? 0,
        );
    } catch {
      // Not a Deployment's JSON (a dry run prints instead of answering): no Contour seen.
    }
    return {
      loadBalancer: !ccm.failed && ccm.stdout.trim() === `running ${CLOUD_PROVIDER_KIND_IMAGE}`,
      ingress: available > 0,
    };
  }

  async up(options: UpOptions, reporter: Reporter, signal: AbortSignal): Promise<Cluster> {
    assertDistinctPorts(options.ports);
    const made: Made = { cluster: false, ccm: false };
    const cluster = this.cluster(options);
    try {
      const status = await reporter.task(TITLES.inspect, (s) => this.inspect(options, within(signal, s)));
      if (status.exists && !status.matches && !options.recreate) throw mismatch(options, status);
      const reuse = status.exists && status.matches;
      if (reuse) reporter.note(TITLES.reusing(options.name));
      if (status.exists && !reuse) {
        await reporter.task(TITLES.deleteOld(options.name), (s) =>
          this.removeAll(options, reporter, within(signal, s)),
        );
      }
      if (!reuse) {
        await reporter.task(TITLES.ports, () => this.checkPorts(options, reporter));
        const configFile = await reporter.task(TITLES.config, () => this.writeConfig(options, reporter));
        // Set before kind runs: a create that fails half-way can leave node containers behind.
        made.cluster = true;
        await reporter.task(TITLES.create(options.name), (s) =>
          this.createCluster(options, configFile, within(signal, s)),
        );
      }
      await reporter.task(TITLES.nodes, (s) => this.waitForNodes(cluster, within(signal, s)));
      const packed = imagesForCluster(this.settings.cacheDir);
      if (packed.length > 0) {
        await reporter.task(TITLES.loadImages, (s) =>
          loadPackedImages(this.settings, this.tools.kind, options.name, packed, within(signal, s)),
        );
      }
      made.ccm = await reporter.task(TITLES.ccm, (s) =>
        ensureCloudProviderKind(this.settings, options.name, options.dryRun, within(signal, s)),
      );
      await reporter.task(TITLES.contour, (s) =>
        installContour(this.settings, cluster, reporter, options.dryRun, within(signal, s)),
      );
      await reporter.task(TITLES.loadBalancer, (s) =>
        waitForLoadBalancer(this.settings, cluster, options.dryRun, within(signal, s)),
      );
      return cluster;
    } catch (error) {
      const failure = signal.aborted || isAbortError(error) ? new InterruptedError() : error;
      await this.cleanUp(options, made, reporter);
      throw failure;
    }
  }

  async down(options: ClusterOptions, reporter: Reporter, signal: AbortSignal): Promise<void> {
    await this.removeAll(options, reporter, signal);
  }

  /** The kind config from fixtures/kind/cluster.yaml, written to the workspace so the learner can read it. */
  private async writeConfig(options: UpOptions, reporter: Reporter): Promise<string> {
    const path = kindConfigPath(this.settings.home, options.name);
    const { text } = desiredConfig(this.settings, options);
    if (options.dryRun) {
      reporter.note({ ko: `# kind 설정 (${path}):\n${text}`, en: `# kind config (${path}):\n${text}` });
      return path;
    }
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
    reporter.note({ ko: `kind 설정: ${path}`, en: `kind config: ${path}` });
    return path;
  }

  /** Host ports must be free before kind starts: it fails late and half-made when one is taken. */
  private async checkPorts(options: UpOptions, reporter: Reporter): Promise<void> {
    const taken = await findTakenPorts(options.ports, this.settings.probePort);
    if (taken.length === 0) return;
    if (!options.dryRun) throw portTakenError(taken);
    for (const port of taken) reporter.note(portTakenMessage(port));
  }

  private async createCluster(options: UpOptions, configFile: string, signal: AbortSignal): Promise<void> {
    const args = ['create', 'cluster', '--name', options.name, '--config', configFile];
    // --retain keeps kind's own half-made nodes for inspection; without it kind removes them itself.
    if (options.keepOnFailure) args.push('--retain');
    await run(this.settings.exec, { file: this.tools.kind, args }, signal);
  }

  private async waitForNodes(cluster: Cluster, signal: AbortSignal): Promise<void> {
    const seconds = this.settings.waits.nodesSeconds;
    const result = await cluster.kubectl(['wait', '--for=condition=Ready', 'nodes', '--all', `--timeout=${seconds}s`], {
      signal,
      timeoutMs: (seconds + 30) * 1000,
    });
    if (result.failed) {
      throw new UserError(
        {
          ko: `노드가 ${seconds}초 안에 Ready가 되지 않았습니다.`,
          en: `The nodes did not become Ready within ${seconds} s.`,
        },
        {
          ko: `상태를 보세요: ${cluster.kubectlLine(['get', 'nodes', '-o', 'wide'])}\n다중 노드에서 흔한 원인(inotify 한도)은 ${toolCommand()} doctor 가 점검합니다.`,
          en: `Look at them: ${cluster.kubectlLine(['get', 'nodes', '-o', 'wide'])}\n${toolCommand()} doctor checks the usual multi-node cause (inotify limits).`,
        },
      );
    }
  }

  /**
   * Everything `up` makes for this cluster: the cloud-provider-kind container, the `kindccm-…` load balancer
   * containers it started for this cluster, and the kind cluster. Each is looked up first, so a second run
   * finds nothing and does nothing. A dry run cannot look, so it prints what it would remove.
   */
  private async removeAll(options: ClusterOptions, reporter: Reporter, signal: AbortSignal): Promise<void> {
    const { exec } = this.settings;
    for (const label of [`${MANAGED_LABEL}=${options.name}`, `${CCM_CLUSTER_LABEL}=${options.name}`]) {
      const names = await listContainers(exec, label, signal);
      if (options.dryRun) reporter.note(TITLES.removeListed);
      else if (names.length > 0) await run(exec, { file: 'docker', args: ['rm', '-f', ...names] }, signal);
    }
    const exists = options.dryRun || (await kindClusters(exec, this.tools.kind, signal)).includes(options.name);
    if (exists) await run(exec, { file: this.tools.kind, args: ['delete', 'cluster', '--name', options.name] }, signal);
  }

  /** After a failed or interrupted `up`: remove what this run made, or say how to, with --keep-on-failure. */
  private async cleanUp(options: UpOptions, made: Made, reporter: Reporter): Promise<void> {
    if (!made.cluster && !made.ccm) return;
    if (options.keepOnFailure) {
      reporter.note(TITLES.kept(options.name));
      return;
    }
    // A fresh signal: the one that was just aborted must not stop the cleanup.
    const signal = new AbortController().signal;
    try {
      await reporter.task(TITLES.cleanUp, async () => {
        if (made.cluster) {
          await this.removeAll({ ...options, dryRun: false }, reporter, signal);
        } else {
          await run(this.settings.exec, { file: 'docker', args: ['rm', '-f', ccmContainerName(options.name)] }, signal);
        }
      });
    } catch {
      reporter.note(TITLES.cleanUpFailed(options.name));
    }
  }
}

/** `kind load docker-image`: copy images an offline pack put on the host into every node, so nothing is pulled. */
export async function loadPackedImages(
  settings: Pick<KindSettings, 'exec'>,
  kind: string,
  clusterName: string,
  images: readonly string[],
  signal?: AbortSignal,
): Promise<void> {
  if (images.length === 0) return;
  await run(settings.exec, { file: kind, args: ['load', 'docker-image', '--name', clusterName, ...images] }, signal);
}

function mismatch(options: ClusterOptions, status: ClusterStatus): UserError {
  const list = (lang: 'ko' | 'en') =>
    status.differences.map((d) => `  - ${typeof d === 'string' ? d : d[lang]}`).join('\n');
  return new UserError(
    {
      ko: `클러스터 ${options.name}이(가) 이미 있지만 지금 설정과 다릅니다:\n${list('ko')}`,
      en: `Cluster ${options.name} exists but differs from the configuration asked for:\n${list('en')}`,
    },
    {
      ko: `kind 클러스터의 포트 매핑은 바꿀 수 없어 다시 만들어야 합니다: --recreate 를 붙이거나 ${toolCommand()} down 후 다시 시작하세요.`,
      en: `A kind cluster’s port mappings cannot change; it must be recreated: add --recreate, or run ${toolCommand()} down and start again.`,
    },
  );
}
