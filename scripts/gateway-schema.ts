import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

/**
 * Gateway API objects checked against the OpenAPI schema of the CRDs the lab cluster installs: cloud-provider-kind
 * v0.11.1 embeds the standard channel of Gateway API v1.5.0 (pkg/gateway/crds/standard/, bundle-version v1.5.0)
 * and creates them at start. No kept npm package covers that release on Node 20: @kubernetes-models/gateway-api
 * 2.0.0 needs Node ≥ 22, 0.5.1 models Gateway API v1.0 (its v1 has no GRPCRoute). scripts/schemas/ holds the v1
 * `openAPIV3Schema` of each CRD, descriptions removed. The CRDs' CEL rules (x-kubernetes-validations) are not
 * evaluated here; the API server checks them.
 */

export const GATEWAY_API_VERSION = 'gateway.networking.k8s.io/v1';
export const GATEWAY_SCHEMA_SOURCE =
  'the v1 schemas of the Gateway API v1.5.0 CRDs (standard channel) cloud-provider-kind v0.11.1 installs (GatewayClass, Gateway, HTTPRoute; CEL rules left to the API server)';

interface SchemaFile {
  source: string;
  kinds: Record<string, object>;
}

const here = dirname(fileURLToPath(import.meta.url));
/** The same relative place from scripts/ (tsx, vitest) and dist/scripts/ (the built lint). */
function schemaPath(): string {
  const name = 'gateway-api-v1.5.0.json';
  const direct = join(here, 'schemas', name);
  return existsSync(direct) ? direct : join(here, '..', '..', 'scripts', 'schemas', name);
}

let validators: Map<string, ValidateFunction> | undefined;
let schemas: SchemaFile | undefined;

/** The schema of each kind, as the CRDs have it (their `default`s included). */
export function gatewayApiSchemas(): Record<string, object> {
  schemas ??= JSON.parse(readFileSync(schemaPath(), 'utf8')) as SchemaFile;
  return schemas.kinds;
}

function compiled(): Map<string, ValidateFunction> {
  if (validators) return validators;
  // Kubernetes' OpenAPI carries its own keywords (x-kubernetes-…) and formats (int32, date-time) that JSON Schema
  // does not know; they are annotations for this check.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  validators = new Map(Object.entries(gatewayApiSchemas()).map(([kind, schema]) => [kind, ajv.compile(schema)]));
  return validators;
}

export function gatewayApiKinds(): string[] {
  return [...compiled().keys()];
}

export interface GatewayIssue {
  path: (string | number)[];
  message: string;
}

function pathOf(instancePath: string): (string | number)[] {
  return instancePath
    .split('/')
    .filter(Boolean)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

function describe(error: ErrorObject): GatewayIssue {
  const path = pathOf(error.instancePath);
  const where = path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${key}` : key),
    '',
  );
  const params = error.params as Record<string, unknown>;
  const extra =
    'allowedValues' in params
      ? ` (${(params.allowedValues as unknown[]).join(', ')})`
      : 'additionalProperty' in params
        ? ` (${String(params.additionalProperty)})`
        : '';
  return { path, message: `${where || '(document)'} ${error.message ?? 'is invalid'}${extra}` };
}

/** undefined when `kind` has no schema here; otherwise the problems (empty when valid). */
export function gatewayApiIssues(kind: string, doc: unknown): GatewayIssue[] | undefined {
  const validate = compiled().get(kind);
  if (!validate) return undefined;
  if (validate(doc)) return [];
  return (validate.errors ?? []).map(describe);
}
