import { writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InterruptedError, UserError, isAbortError } from '../../core/errors.js';
import { run } from '../../platform/exec.js';
import { CleanupError } from '../cleanup-error.js';
import { listContainers } from '../docker.js';
import type { EngineProfile } from '../engine-profile.js';
import { assertDistinctPorts, findTakenPorts, portTakenError, portTakenMessage } from '../host-ports.js';
import { KubectlCluster } from '../kubectl-cluster.js';
import { nodeImageFor } from '../offline-record.js';
import { hasGatewayApi } from '../gateway-api.js';
import type { Capabilities, Cluster, ClusterOptions, ClusterProvider, ClusterStatus } from '../types.js';
import type { Reporter } from '../../core/reporter.js';
import { CONTOUR_NAMESPACE } from '../versions.js';
import { installContour, waitForLoadBalancer } from './addons.js';
import { CONTROLLER_NAME, controllerState, ensureController } from './controller.js';
import { CLUSTER_IMAGES, hostImages, loadIntoNodes, pullImages } from './images.js';
import { desiredConfig, inspectKindCluster, kindClusters, readEngineProfile, restoreContext } from './inspect.js';
import { kindReachability } from './reachability.js';
import { CCM_CLUSTER_LABEL, MANAGED_LABEL, kindConfigPath, kindContext, tools, type KindSettings } from './settings.js';
import { TITLES } from './titles.js';
import { toolCommand } from '../../platform/invocation.js';
import { withParticle } from '../../core/korean.js';
import { makeFolders } from '../../platform/folders.js';

type UpOptions = ClusterOptions & { recreate: boolean };

const within = (outer: AbortSignal, inner: AbortSignal): AbortSignal => AbortSignal.any([outer, inner]);

/**
 * The kind provider: a create pipeline of small steps (in the manner of kind's own create actions), each shown
 * as a task, each a command the learner could type.
 */
export class KindProvider implements ClusterProvider {
  readonly kind = 'kind';
  private profiled: Promise<EngineProfile> | undefined;

  constructor(private readonly settings: KindSettings) {}

  private get tools(): { kind: string; kubectl: string } {
    return tools(this.settings);
  }

  /** What kind of engine runs (asked once per provider; a failed ask is asked again). */
  profile(signal?: AbortSignal): Promise<EngineProfile> {
    this.profiled ??= readEngineProfile(this.settings, signal).catch((error: unknown) => {
      this.profiled = undefined;
      throw error;
    });
    return this.profiled;
  }

  cluster(options: Pick<ClusterOptions, 'name' | 'ports'>): Cluster {
    const { exec, cacheDir, fetch } = this.settings;
    return new KubectlCluster(
      options.name,
      kindContext(options.name),
      options.ports,
      exec,
      this.tools.kubectl,
      async () => kindReachability(exec, { profile: await this.profile(), probeImage: nodeImageFor(cacheDir), fetch }),
    );
  }

  inspect(options: ClusterOptions, signal?: AbortSignal): Promise<ClusterStatus> {
    return inspectKindCluster(this.settings, this.tools, options, signal);
  }

  async connect(options: ClusterOptions): Promise<Cluster | undefined> {
    if (!(await kindClusters(this.settings.exec, this.tools.kind)).includes(options.name)) return undefined;
    await restoreContext(this.settings.exec, this.tools, options.name);
    const cluster = this.cluster(options);
    const nodes = await cluster.kubectl(['get', 'nodes', '-o', 'json']);
    return nodes.failed ? undefined : cluster;
  }

  async capabilities(cluster: Cluster): Promise<Capabilities> {
    const [state, profile] = await Promise.all([controllerState(this.settings.exec), this.profile()]);
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
      loadBalancer: state?.status === 'running' && state.image === profile.controllerImage,
      ingress: available > 0,
      gateway: await hasGatewayApi(cluster),
    };
  }

  /**
   * Only what failed to be made is removed: a `kind create` that fails or is interrupted leaves half-made node
   * containers, so those go (unless --keep-on-failure); once the cluster exists, a later failure (an add-on wait
   * that timed out on slow Wi-Fi, Ctrl-C) keeps it, and the next run finds it and resumes.
   */
  async up(options: UpOptions, reporter: Reporter, signal: AbortSignal): Promise<Cluster> {
    assertDistinctPorts(options.ports);
    let creating = false;
    let exists = false;
    const cluster = this.cluster(options);
    // Pulls run beside `kind create`; stopped when the run fails before they are awaited.
    const pulling = new AbortController();
    let pulls: Promise<Set<string>> | undefined;
    try {
      const profile = await reporter.task(TITLES.engine, (s) => this.profile(within(signal, s)));
      const status = await reporter.task(TITLES.inspect, (s) => this.inspect(options, within(signal, s)));
      if (status.exists && !status.matches && !options.recreate) throw mismatch(options, status);
      const reuse = status.exists && status.matches;
      exists = reuse;
      if (reuse) reporter.note(TITLES.reusing(options.name));
      if (status.exists && !reuse) {
        await reporter.task(TITLES.deleteOld(options.name), (s) =>
          this.removeAll(options, reporter, within(signal, s)),
        );
      }
      if (!reuse) {
        await reporter.task(TITLES.ports, () => this.checkPorts(options, reporter));
      }
      const configFile = reuse
        ? undefined
        : await reporter.task(TITLES.config, () => this.writeConfig(options, reporter));
      pulls = pullImages(
        this.settings.exec,
        [...hostImages(profile), ...CLUSTER_IMAGES],
        reporter,
        within(signal, pulling.signal),
      );
      pulls.catch(() => undefined);
      if (configFile !== undefined) {
        creating = true;
        await reporter.task(TITLES.create(options.name), (s) =>
          this.createCluster(options, configFile, within(signal, s)),
        );
        creating = false;
        exists = true;
      }
      await reporter.task(TITLES.nodes, (s) => this.waitForNodes(cluster, within(signal, s)));
      const onHost = await pulls;
      await reporter.task(TITLES.images, (s) =>
        loadIntoNodes(this.settings, this.tools.kind, options.name, profile, onHost, reporter, within(signal, s)),
      );
      await reporter.task(TITLES.ccm, (s) =>
        ensureController(this.settings, profile, options.dryRun, within(signal, s)),
      );
      await reporter.task(TITLES.contour, (s) =>
        installContour(this.settings, cluster, reporter, options.dryRun, within(signal, s)),
      );
      await reporter.task(TITLES.loadBalancer, (s) =>
        waitForLoadBalancer(this.settings, cluster, options.dryRun, within(signal, s)),
      );
      return cluster;
    } catch (error) {
      pulling.abort();
      await pulls?.catch(() => undefined);
      const failure = signal.aborted || isAbortError(error) ? new InterruptedError() : error;
      if (creating) await this.cleanUp(options, reporter);
      else if (exists && !options.dryRun) reporter.note(TITLES.resumable(options.name));
      throw failure;
    }
  }

  /** Every part is tried; a CleanupError after that names what could not be removed. */
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
    await makeFolders(dirname(path));
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
   * Everything `up` made for this cluster, each part tried even when another fails: the `kindccm-…` load
   * balancer containers the controller started for it, a controller an earlier expose-labs ran for it, the kind
   * cluster, and the shared controller once no kind cluster is left for it to serve. Each is looked up first, so
   * a second run finds nothing and does nothing. A dry run cannot look, so it prints what it would remove.
   * Throws, after trying everything, a CleanupError naming what could not be removed.
   */
  private async removeAll(options: ClusterOptions, reporter: Reporter, signal: AbortSignal): Promise<void> {
    const { exec } = this.settings;
    const failed: string[] = [];
    const attempt = async (what: string, work: () => Promise<void>) => {
      try {
        await work();
      } catch (error) {
        if (signal.aborted || isAbortError(error)) throw error;
        failed.push(`${what}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      }
    };
    for (const label of [`${CCM_CLUSTER_LABEL}=${options.name}`, `${MANAGED_LABEL}=${options.name}`]) {
      await attempt(`docker ps --filter label=${label}`, async () => {
        const names = await listContainers(exec, label, signal);
        if (options.dryRun) reporter.note(TITLES.removeListed);
        else if (names.length > 0) await run(exec, { file: 'docker', args: ['rm', '-f', ...names] }, signal);
      });
    }
    let remaining: string[] | undefined;
    await attempt(`kind delete cluster --name ${options.name}`, async () => {
      const clusters = options.dryRun ? [options.name] : await kindClusters(exec, this.tools.kind, signal);
      if (clusters.includes(options.name)) {
        await run(exec, { file: this.tools.kind, args: ['delete', 'cluster', '--name', options.name] }, signal);
      }
      remaining = options.dryRun ? undefined : clusters.filter((c) => c !== options.name);
    });
    if (remaining && remaining.length > 0) reporter.note(TITLES.controllerKept(remaining));
    if (remaining?.length === 0) {
      await attempt(`docker rm -f ${CONTROLLER_NAME}`, async () => {
        if (await controllerState(exec, signal)) {
          await run(exec, { file: 'docker', args: ['rm', '-f', CONTROLLER_NAME] }, signal);
        }
      });
    }
    if (failed.length > 0) throw new CleanupError(failed);
  }

  /** After `kind create` failed or was interrupted: remove the half-made cluster, or say how to, with --keep-on-failure. */
  private async cleanUp(options: UpOptions, reporter: Reporter): Promise<void> {
    if (options.keepOnFailure) {
      reporter.note(TITLES.kept(options.name));
      return;
    }
    // A fresh signal: the one that was just aborted must not stop the cleanup.
    const signal = new AbortController().signal;
    try {
      await reporter.task(TITLES.cleanUp, () => this.removeAll({ ...options, dryRun: false }, reporter, signal));
    } catch {
      reporter.note(TITLES.cleanUpFailed(options.name));
    }
  }
}

function mismatch(options: ClusterOptions, status: ClusterStatus): UserError {
  const list = (lang: 'ko' | 'en') =>
    status.differences.map((d) => `  - ${typeof d === 'string' ? d : d[lang]}`).join('\n');
  return new UserError(
    {
      ko: `클러스터 ${withParticle(options.name, '이/가')} 이미 있지만 지금 설정과 다릅니다:\n${list('ko')}`,
      en: `Cluster ${options.name} exists but differs from the configuration asked for:\n${list('en')}`,
    },
    {
      ko: `kind 클러스터의 포트 매핑은 바꿀 수 없어 다시 만들어야 합니다: --recreate 를 붙이거나 ${toolCommand()} down 후 다시 시작하세요.`,
      en: `A kind cluster’s port mappings cannot change; it must be recreated: add --recreate, or run ${toolCommand()} down and start again.`,
    },
  );
}
