import { run } from '../../platform/exec.js';
import type { Exec } from '../../platform/command.js';
import { DOCKER_INFO_ARGS, isRootless, listContainers, parseDockerInfo } from '../docker.js';
import { engineProfile, type EngineProfile } from '../engine-profile.js';
import { nodeImageFor } from '../offline-record.js';
import type { ClusterOptions, ClusterStatus } from '../types.js';
import { NODE_IMAGE } from '../versions.js';
import { parseKindConfig, readKindConfigTemplate, renderKindConfig, type KindConfig } from './config.js';
import { compareNodes, type NodeContainer, type NodeList } from './node-state.js';
import { KIND_CLUSTER_LABEL, kindContext, type KindSettings } from './settings.js';

/** `kind get clusters`: one name per line (kind says "No kind clusters found." on stderr when there are none). */
export async function kindClusters(exec: Exec, kind: string, signal?: AbortSignal): Promise<string[]> {
  const result = await run(exec, { file: kind, args: ['get', 'clusters'] }, signal);
  return result.stdout
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

/** `docker info`, and for a rootless engine the client's endpoint (the socket the controller must mount). */
export async function readEngineProfile(settings: KindSettings, signal?: AbortSignal): Promise<EngineProfile> {
  const result = await run(settings.exec, { file: 'docker', args: [...DOCKER_INFO_ARGS] }, signal);
  // A dry run prints instead of answering: no info, the defaults of an engine on this host.
  const info = parseDockerInfo(result.stdout);
  let contextHost: string | undefined;
  if (isRootless(info) && !settings.env.DOCKER_HOST) {
    const result = await settings.exec(
      { file: 'docker', args: ['context', 'inspect', '--format', '{{.Endpoints.docker.Host}}'] },
      { signal },
    );
    contextHost = result.failed ? undefined : result.stdout.trim();
  }
  return engineProfile(info, { platform: settings.platform, env: settings.env, contextHost });
}

/**
 * A cluster kind lists but whose context the kubeconfig lacks (a shell of another user or OS, a kubeconfig
 * reset, Windows and WSL shells mixed) is not broken: `kind export kubeconfig --name` writes the context back
 * and selects it (pkg/cmd/kind/export/kubeconfig@v0.32.0). Returns whether it had to.
 */
export async function restoreContext(
  exec: Exec,
  tools: { kind: string; kubectl: string },
  name: string,
  signal?: AbortSignal,
): Promise<boolean> {
  const contexts = await exec({ file: tools.kubectl, args: ['config', 'get-contexts', '-o', 'name'] }, { signal });
  if (!contexts.failed && contexts.stdout.split('\n').some((line) => line.trim() === kindContext(name))) return false;
  await run(exec, { file: tools.kind, args: ['export', 'kubeconfig', '--name', name] }, signal);
  return true;
}

/** The configuration asked for now, as kind will read it. */
export function desiredConfig(
  settings: KindSettings,
  options: Pick<ClusterOptions, 'name' | 'ports'>,
): { text: string; config: KindConfig } {
  const text = renderKindConfig(readKindConfigTemplate(settings.root), {
    cluster: options.name,
    nodeImage: nodeImageFor(settings.cacheDir),
    ports: options.ports,
  });
  return { text, config: parseKindConfig(text) };
}

/**
 * Does the cluster exist, and was it made with the configuration asked for now? Read back from what runs:
 * the node containers (image, port bindings, state) and the nodes' labels.
 */
export async function inspectKindCluster(
  settings: KindSettings,
  tools: { kind: string; kubectl: string },
  options: ClusterOptions,
  signal?: AbortSignal,
): Promise<ClusterStatus> {
  const { exec } = settings;
  if (!(await kindClusters(exec, tools.kind, signal)).includes(options.name)) {
    return { exists: false, matches: false, differences: [] };
  }
  await restoreContext(exec, tools, options.name, signal);
  const names = await listContainers(exec, `${KIND_CLUSTER_LABEL}=${options.name}`, signal);
  let containers: NodeContainer[] = [];
  if (names.length > 0) {
    const inspected = await run(exec, { file: 'docker', args: ['inspect', ...names] }, signal);
    containers = JSON.parse(inspected.stdout) as NodeContainer[];
  }
  const nodesResult = await exec(
    { file: tools.kubectl, args: ['--context', kindContext(options.name), 'get', 'nodes', '-o', 'json'] },
    { signal },
  );
  const nodes = nodesResult.failed ? undefined : (JSON.parse(nodesResult.stdout) as NodeList);
  const { config } = desiredConfig(settings, options);
  const differences = compareNodes(config, containers, nodes, [NODE_IMAGE, nodeImageFor(settings.cacheDir)]);
  return { exists: true, matches: differences.length === 0, differences };
}
