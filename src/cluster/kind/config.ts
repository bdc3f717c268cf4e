import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { NODE_LABEL, NODE_PORTS, type HostPorts } from '../types.js';
import { KIND_VERSION } from '../versions.js';

const KIND_CONFIG_TEMPLATE = join('fixtures', 'kind', 'cluster.yaml');

export interface KindConfigValues {
  cluster: string;
  nodeImage: string;
  ports: HostPorts;
}

function templateValues(values: KindConfigValues): Record<string, string> {
  return {
    cluster: values.cluster,
    nodeImage: values.nodeImage,
    nodeLabel: NODE_LABEL,
    kindVersion: KIND_VERSION,
    'nodePorts.nodePortLab': String(NODE_PORTS.nodePortLab),
    'nodePorts.trafficPolicyLab': String(NODE_PORTS.trafficPolicyLab),
    'ports.http': String(values.ports.http),
    'ports.https': String(values.ports.https),
    'ports.nodePort': String(values.ports.nodePort),
    'ports.workerA': String(values.ports.workerA),
    'ports.workerB': String(values.ports.workerB),
  };
}

/** Fill fixtures/kind/cluster.yaml. An unknown placeholder is a bug in the template: fail loudly. */
export function renderKindConfig(template: string, values: KindConfigValues): string {
  const table = templateValues(values);
  return template.replace(/\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g, (_match, name: string) => {
    const value = table[name];
    if (value === undefined) throw new Error(`kind config template: unknown placeholder {{${name}}}`);
    return value;
  });
}

export function readKindConfigTemplate(root: string): string {
  return readFileSync(join(root, KIND_CONFIG_TEMPLATE), 'utf8');
}

const portMapping = z.object({
  containerPort: z.number().int(),
  hostPort: z.number().int(),
  listenAddress: z.string().default('0.0.0.0'),
  protocol: z.string().default('TCP'),
});

const kindConfigSchema = z.object({
  kind: z.literal('Cluster'),
  apiVersion: z.literal('kind.x-k8s.io/v1alpha4'),
  name: z.string(),
  nodes: z
    .array(
      z.object({
        role: z.enum(['control-plane', 'worker']),
        image: z.string(),
        labels: z.record(z.string(), z.string()).default({}),
        extraPortMappings: z.array(portMapping).default([]),
      }),
    )
    .min(1),
});

export type KindConfig = z.infer<typeof kindConfigSchema>;

export function parseKindConfig(text: string): KindConfig {
  return kindConfigSchema.parse(parse(text));
}

/** The container kind makes for each configured node: `<cluster>-control-plane`, `<cluster>-worker`, `<cluster>-worker2`. */
export function nodeContainerNames(config: KindConfig): string[] {
  const seen = { 'control-plane': 0, worker: 0 };
  return config.nodes.map((node) => {
    seen[node.role] += 1;
    const n = seen[node.role];
    return `${config.name}-${node.role}${n > 1 ? n : ''}`;
  });
}
