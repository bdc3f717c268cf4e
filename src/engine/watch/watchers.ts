import type { Cluster } from '../../cluster/types.js';
import type { Dependency } from '../../contract/dependencies.js';
import { InterruptedError } from '../../core/errors.js';
import { sleep } from '../../core/poll.js';
import { watchFiles } from '../../platform/file-watch.js';
import { watchNudges } from '../../platform/nudge.js';

/** At most this many `kubectl get --watch` processes per step; what does not fit is left to the slow poll. */
export const MAX_CLUSTER_WATCHES = 4;
/**
 * A watch that ended is started again after this, doubling up to the cap. The API server ends every watch after
 * 30–60 min (MinRequestTimeout 1800 s × (1 + rand), pkg/server/config.go and pkg/endpoints/handlers/get.go of
 * k8s.io/apiserver v0.36.1), and kubectl then exits: it does not re-watch.
 */
const RESTART_MS = 1000;
const RESTART_CAP_MS = 30_000;

export interface Watchers {
  /** Stop every watcher and wait until each kubectl process has exited. */
  close(): Promise<void>;
}

/** One kubectl watch per resource type and namespace; `--field-selector` when it is about one object. */
export function clusterWatchArgs(deps: readonly Dependency[]): string[][] {
  const groups = new Map<string, { resource: string; namespace: string; names: Set<string | undefined> }>();
  for (const dep of deps) {
    if (dep.type !== 'object') continue;
    const namespace = dep.namespace ?? 'default';
    // `ingress` (a check) and `ingress.networking.k8s.io` (a manifest) are one watch: the type before the group.
    const id = `${dep.resource.split('.')[0]}/${namespace}`;
    const group = groups.get(id) ?? { resource: dep.resource, namespace, names: new Set() };
    group.names.add(dep.name);
    groups.set(id, group);
  }
  return [...groups.values()].slice(0, MAX_CLUSTER_WATCHES).map(({ resource, namespace, names }) => {
    const [only] = names;
    const one = names.size === 1 && only !== undefined;
    // A named `get --watch` fails at once while the object does not exist (pkg/cmd/get/get.go watch(), kubectl
    // v0.36.1): a list watch narrowed by metadata.name waits for it instead, and prints each change.
    return [
      'get',
      resource,
      '-n',
      namespace,
      ...(one ? ['--field-selector', `metadata.name=${only}`] : []),
      '--watch',
      '-o',
      'name',
    ];
  });
}

/** Keep one kubectl watch running until `signal` aborts; every line it prints is a change. */
async function followCluster(
  cluster: Cluster & Required<Pick<Cluster, 'watch'>>,
  args: string[],
  onChange: () => void,
  signal: AbortSignal,
): Promise<void> {
  let wait = RESTART_MS;
  while (!signal.aborted) {
    const started = Date.now();
    try {
      await cluster.watch(args, onChange, { signal });
    } catch (error) {
      if (error instanceof InterruptedError || signal.aborted) return;
      // kubectl missing or failing to start: the slow poll still runs; try again later.
    }
    // A watch that ran a good while ended normally (the server closed it): start again soon.
    if (Date.now() - started > RESTART_CAP_MS) wait = RESTART_MS;
    try {
      await sleep(wait, signal);
    } catch {
      return;
    }
    wait = Math.min(wait * 2, RESTART_CAP_MS);
  }
}

/**
 * Start watching what a step depends on: its files (the hosts file, workspace files), the nudge file another
 * terminal writes, and its cluster objects through `kubectl get --watch`. Each change calls `onChange`.
 */
export async function startWatchers(
  deps: readonly Dependency[],
  target: { cluster: Cluster; nudgeFile?: string },
  onChange: () => void,
): Promise<Watchers> {
  const files = watchFiles(
    deps.flatMap((d) => (d.type === 'file' ? [d.path] : [])),
    onChange,
  );
  const nudges = target.nudgeFile ? await watchNudges(target.nudgeFile, onChange) : undefined;
  const controller = new AbortController();
  const { cluster } = target;
  const follows = cluster.watch
    ? clusterWatchArgs(deps).map((args) =>
        followCluster(cluster as Cluster & Required<Pick<Cluster, 'watch'>>, args, onChange, controller.signal),
      )
    : [];
  let closing: Promise<void> | undefined;
  return {
    close() {
      closing ??= (async () => {
        files.close();
        nudges?.close();
        controller.abort();
        await Promise.all(follows);
      })();
      return closing;
    },
  };
}
