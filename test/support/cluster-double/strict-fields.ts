/**
 * The API server's strict field validation (kubectl's default `--validate=strict` since kubectl 1.25): an object
 * with a field its type does not have is refused. Which fields a type has comes from the pinned kubernetes-models
 * schemas (Kubernetes v1.33): their compiled validators read every property the type declares, so a key the
 * validator never reads is unknown. Map-typed fields (labels, selector, data) are read key by key, so their keys count as known.
 *
 * The wording, from the sources:
 * - sigs.k8s.io/json internal/golang/encoding/json/kubernetes_patch.go: each field is `unknown field "<path>"`, the
 *   path joined with "." and list items as `[i]` (e.g. `spec.ports[0].nodeport`), in the order decoded;
 * - k8s.io/apimachinery v0.33.13 pkg/runtime/error.go: `strict decoding error: ` then the fields joined by ", ";
 * - k8s.io/apiserver pkg/endpoints/handlers/rest.go transformDecodeError: `%s in version %q cannot be handled as a
 *   %s: %v` (kind, the version without its group, kind, the error), sent as BadRequest.
 */
interface Validating {
  prototype: { validate(this: unknown): void };
}

const modelCache = new Map<string, Promise<Validating | undefined>>();

function modelFor(apiVersion: string, kind: string): Promise<Validating | undefined> {
  const key = `${apiVersion} ${kind}`;
  let found = modelCache.get(key);
  if (!found) {
    const specifier = `kubernetes-models/${apiVersion}`;
    found = import(/* @vite-ignore */ specifier).then(
      (mod: Record<string, unknown>) => mod[kind] as Validating | undefined,
      () => undefined,
    );
    modelCache.set(key, found);
  }
  return found;
}

function childPath(path: string, key: string, parentIsList: boolean): string {
  if (parentIsList) return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/** The unknown fields of one object, as the API server names them; empty when the type is not modelled. */
export async function unknownFields(object: Record<string, unknown>): Promise<string[]> {
  const model = await modelFor(String(object.apiVersion), String(object.kind));
  if (!model) return [];
  const read = new Set<string>();
  const watch = (value: unknown, path: string): unknown => {
    if (!value || typeof value !== 'object') return value;
    const list = Array.isArray(value);
    return new Proxy(value, {
      get(target, key, receiver) {
        const child: unknown = Reflect.get(target, key, receiver);
        if (typeof key !== 'string' || (list && !/^\d+$/.test(key))) return child;
        const at = childPath(path, key, list);
        read.add(at);
        return watch(child, at);
      },
    });
  };
  try {
    model.prototype.validate.call(watch(object, ''));
  } catch {
    // Schema errors are the validator's business (lint:labs reports them); only the keys it read matter here.
  }
  const unknown: string[] = [];
  const walk = (value: unknown, path: string): void => {
    if (!value || typeof value !== 'object') return;
    const list = Array.isArray(value);
    for (const [key, child] of Object.entries(value)) {
      const at = childPath(path, key, list);
      if (!read.has(at)) unknown.push(at);
      else walk(child, at);
    }
  };
  walk(object, '');
  return unknown;
}

/** The message after kubectl's `error when creating "<file>": `. */
export function strictDecodingMessage(object: Record<string, unknown>, fields: readonly string[]): string {
  const kind = String(object.kind);
  const version = String(object.apiVersion).split('/').pop();
  const errors = fields.map((f) => `unknown field "${f}"`).join(', ');
  return `${kind} in version "${version}" cannot be handled as a ${kind}: strict decoding error: ${errors}`;
}
