import { gatewayApiIssues, gatewayApiSchemas } from '../../../scripts/gateway-schema.js';
import { invalid } from './kubectl-errors.js';
import { clone, isObject, sameJson, type KubeObject } from './objects.js';

/**
 * What the API server does with a Gateway API object (a custom resource of the CRDs cloud-provider-kind v0.11.1
 * installs, Gateway API v1.5.0): structural defaulting from the CRD's OpenAPI `default`s (on create, status too: a
 * new Gateway reads Accepted/Programmed Unknown "Pending" until a controller writes), then schema validation.
 */

type Schema = { default?: unknown; properties?: Record<string, Schema>; items?: Schema; type?: string };

/** The apiserver's defaulting of a structural schema: a missing field with a default gets it, at every depth. */
function applyDefaults(value: unknown, schema: Schema | undefined): unknown {
  if (!schema) return value;
  if (Array.isArray(value)) return value.map((item) => applyDefaults(item, schema.items));
  if (!isObject(value) || !schema.properties) return value;
  const out: Record<string, unknown> = { ...value };
  for (const [key, child] of Object.entries(schema.properties)) {
    if (out[key] === undefined && child.default !== undefined) out[key] = clone(child.default);
    if (out[key] !== undefined) out[key] = applyDefaults(out[key], child);
  }
  return out;
}

export function admitGatewayApi(object: KubeObject, previous: KubeObject | undefined): KubeObject {
  const kind = object.kind;
  const schema = gatewayApiSchemas()[kind] as Schema | undefined;
  if (!schema) throw new Error(`the cluster double has no schema for ${kind}`);
  const sent = clone(object);
  // Status is a subresource: what a manifest says about it is dropped; the previous status stays.
  delete sent.status;
  const admitted = applyDefaults(sent, { ...schema, properties: { ...schema.properties, status: {} } }) as KubeObject;
  if (previous) admitted.status = clone(previous.status);
  else if (schema.properties?.status?.default !== undefined) admitted.status = clone(schema.properties.status.default);
  const issues = gatewayApiIssues(kind, admitted) ?? [];
  if (issues.length > 0)
    throw invalid(
      kind,
      object.metadata.name,
      issues.map((i) => i.message),
    );
  admitted.metadata.generation = previous
    ? (previous.metadata.generation ?? 1) + (sameJson(previous.spec, admitted.spec) ? 0 : 1)
    : 1;
  return admitted;
}
