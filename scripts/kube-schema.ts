import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { GATEWAY_API_VERSION, gatewayApiIssues } from './gateway-schema.js';

/**
 * Kubernetes manifests checked against the schema of the pinned `kubernetes-models` package (OpenAPI compiled to
 * validators). That package also keeps the models of APIs that Kubernetes has since removed (it merges the specs of
 * old releases on purpose), so a manifest is valid here only if its schema passes AND its apiVersion is still served.
 */

/** Which Kubernetes release each kubernetes-models release was generated from (its CHANGELOG: 4.5.0 "Update schema version to v1.33.0"; 4.5.1 only bumped a dependency). */
const MODELLED_KUBERNETES: Record<string, string> = { '4.5.0': 'v1.33.0', '4.5.1': 'v1.33.0' };

/**
 * apiVersions that kubernetes-models still carries but no current cluster serves, with the release that removed
 * the last of their kinds and what replaced them (kubernetes.io/docs/reference/using-api/deprecation-guide/).
 */
export const REMOVED_API_VERSIONS: ReadonlyMap<string, { removedIn: string; use: string }> = new Map([
  [
    'extensions/v1beta1',
    { removedIn: 'v1.22', use: 'networking.k8s.io/v1 for Ingress and NetworkPolicy, apps/v1 for workloads' },
  ],
  ['apps/v1beta1', { removedIn: 'v1.16', use: 'apps/v1' }],
  ['apps/v1beta2', { removedIn: 'v1.16', use: 'apps/v1' }],
  ['networking.k8s.io/v1beta1', { removedIn: 'v1.22', use: 'networking.k8s.io/v1' }],
  ['admissionregistration.k8s.io/v1beta1', { removedIn: 'v1.22', use: 'admissionregistration.k8s.io/v1' }],
  ['apiextensions.k8s.io/v1beta1', { removedIn: 'v1.22', use: 'apiextensions.k8s.io/v1' }],
  ['apiregistration.k8s.io/v1beta1', { removedIn: 'v1.22', use: 'apiregistration.k8s.io/v1' }],
  ['authentication.k8s.io/v1beta1', { removedIn: 'v1.22', use: 'authentication.k8s.io/v1' }],
  ['authorization.k8s.io/v1beta1', { removedIn: 'v1.22', use: 'authorization.k8s.io/v1' }],
  ['certificates.k8s.io/v1beta1', { removedIn: 'v1.22', use: 'certificates.k8s.io/v1' }],
  ['coordination.k8s.io/v1beta1', { removedIn: 'v1.22', use: 'coordination.k8s.io/v1' }],
  ['rbac.authorization.k8s.io/v1beta1', { removedIn: 'v1.22', use: 'rbac.authorization.k8s.io/v1' }],
  ['scheduling.k8s.io/v1beta1', { removedIn: 'v1.22', use: 'scheduling.k8s.io/v1' }],
  ['storage.k8s.io/v1beta1', { removedIn: 'v1.27', use: 'storage.k8s.io/v1' }],
  ['batch/v1beta1', { removedIn: 'v1.25', use: 'batch/v1' }],
  ['discovery.k8s.io/v1beta1', { removedIn: 'v1.25', use: 'discovery.k8s.io/v1' }],
  ['events.k8s.io/v1beta1', { removedIn: 'v1.25', use: 'events.k8s.io/v1' }],
  ['policy/v1beta1', { removedIn: 'v1.25', use: 'policy/v1' }],
  ['node.k8s.io/v1beta1', { removedIn: 'v1.25', use: 'node.k8s.io/v1' }],
  ['autoscaling/v2beta1', { removedIn: 'v1.25', use: 'autoscaling/v2' }],
  ['autoscaling/v2beta2', { removedIn: 'v1.26', use: 'autoscaling/v2' }],
  ['flowcontrol.apiserver.k8s.io/v1beta1', { removedIn: 'v1.26', use: 'flowcontrol.apiserver.k8s.io/v1' }],
  ['flowcontrol.apiserver.k8s.io/v1beta2', { removedIn: 'v1.29', use: 'flowcontrol.apiserver.k8s.io/v1' }],
  ['flowcontrol.apiserver.k8s.io/v1beta3', { removedIn: 'v1.32', use: 'flowcontrol.apiserver.k8s.io/v1' }],
]);

/** Files in fixtures/ that are configuration for a tool, not objects for the API server (the kind cluster config). */
const NOT_API_OBJECTS: ReadonlySet<string> = new Set(['kind.x-k8s.io/v1alpha4 Cluster']);

export function isToolConfig(apiVersion: unknown, kind: unknown): boolean {
  return NOT_API_OBJECTS.has(`${String(apiVersion)} ${String(kind)}`);
}

export interface SchemaInfo {
  packageVersion: string;
  /** undefined when this script does not know the installed release: the table above needs a line. */
  kubernetesVersion: string | undefined;
}

export function schemaInfo(): SchemaInfo {
  const require = createRequire(import.meta.url);
  const manifest = join(dirname(require.resolve('kubernetes-models')), 'package.json');
  const packageVersion = String((JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version);
  return { packageVersion, kubernetesVersion: MODELLED_KUBERNETES[packageVersion] };
}

/** One problem inside a manifest; `path` points into the document (for a line number). */
export interface ManifestIssue {
  path: (string | number)[];
  message: string;
}

export type ManifestVerdict =
  | { kind: 'valid' }
  | { kind: 'skipped'; reason: string }
  | {
      kind: 'removed';
      issue: ManifestIssue;
      /** Problems against the model of the removed apiVersion itself. */ legacyIssues: ManifestIssue[];
    }
  | { kind: 'invalid'; issues: ManifestIssue[] };

interface ModelClass {
  apiVersion: string;
  kind: string;
  new (data: unknown): { validate(): void };
}

const modelCache = new Map<string, Promise<ModelClass | undefined>>();

/** kubernetes-models lays its modules out as `<group>/<version>`, the core group as plain `v1`. */
async function modelFor(apiVersion: string, kind: string): Promise<ModelClass | undefined> {
  const key = `${apiVersion} ${kind}`;
  let found = modelCache.get(key);
  if (!found) {
    const specifier = `kubernetes-models/${apiVersion}`;
    found = import(specifier).then(
      (mod: Record<string, unknown>) => {
        const model = mod[kind] as ModelClass | undefined;
        return typeof model === 'function' && model.apiVersion === apiVersion && model.kind === kind
          ? model
          : undefined;
      },
      () => undefined,
    );
    modelCache.set(key, found);
  }
  return found;
}

interface AjvError {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

function pathOf(instancePath: string): (string | number)[] {
  return instancePath
    .split('/')
    .filter(Boolean)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

export function pathText(path: (string | number)[]): string {
  return path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${key}` : key),
    '',
  );
}

function schemaIssues(model: ModelClass, doc: Record<string, unknown>): ManifestIssue[] {
  try {
    new model(doc).validate();
    return [];
  } catch (error) {
    const errors = (error as { errors?: AjvError[] }).errors;
    if (!Array.isArray(errors)) return [{ path: [], message: String((error as Error).message ?? error) }];
    return errors.map((e) => {
      const path = pathOf(e.instancePath ?? '');
      const extra =
        e.params && 'allowedValues' in e.params ? ` (${(e.params.allowedValues as unknown[]).join(', ')})` : '';
      return { path, message: `${pathText(path) || '(document)'} ${e.message ?? 'is invalid'}${extra}` };
    });
  }
}

/** Validate one parsed YAML document against the pinned Kubernetes schema. */
export async function validateManifest(doc: unknown): Promise<ManifestVerdict> {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    return {
      kind: 'invalid',
      issues: [{ path: [], message: 'a manifest must be a mapping with apiVersion, kind and metadata' }],
    };
  }
  const object = doc as Record<string, unknown>;
  const { apiVersion, kind } = object;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    return {
      kind: 'invalid',
      issues: [{ path: [], message: 'apiVersion and kind are required (is this a Kubernetes manifest?)' }],
    };
  }
  if (isToolConfig(apiVersion, kind))
    return { kind: 'skipped', reason: `${apiVersion} ${kind} is a tool's configuration, not an API object` };
  const name = (object.metadata as Record<string, unknown> | undefined)?.name;
  const nameIssues: ManifestIssue[] =
    typeof name === 'string' && name.length > 0
      ? []
      : [{ path: ['metadata'], message: 'metadata.name is required by kubectl apply' }];
  if (apiVersion === GATEWAY_API_VERSION) {
    const gatewayIssues = gatewayApiIssues(kind, object);
    if (!gatewayIssues)
      return { kind: 'invalid', issues: [{ path: ['kind'], message: `no Gateway API schema for kind ${kind}` }] };
    const issues = [...nameIssues, ...gatewayIssues];
    return issues.length ? { kind: 'invalid', issues } : { kind: 'valid' };
  }
  const model = await modelFor(apiVersion, kind);
  const removed = REMOVED_API_VERSIONS.get(apiVersion);
  if (removed) {
    const issue = {
      path: ['apiVersion'],
      message: `${kind} in ${apiVersion} is no longer served (removed in Kubernetes ${removed.removedIn}; use ${removed.use})`,
    };
    const legacyIssues = model ? [...nameIssues, ...schemaIssues(model, object)] : [];
    return { kind: 'removed', issue, legacyIssues };
  }
  if (!model) {
    return {
      kind: 'invalid',
      issues: [{ path: ['kind'], message: `no Kubernetes schema for kind ${kind} in ${apiVersion}` }],
    };
  }
  const issues = [...nameIssues, ...schemaIssues(model, object)];
  return issues.length ? { kind: 'invalid', issues } : { kind: 'valid' };
}
