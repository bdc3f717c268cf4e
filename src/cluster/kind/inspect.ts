import { run } from '../../platform/exec.js';
import type { Exec } from '../../platform/command.js';
import { listContainers } from '../docker.js';
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
