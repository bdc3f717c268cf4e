/** Plain-JSON helpers for API objects: the double keeps every object as the JSON the API server would return. */

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  creationTimestamp: string;
  generation?: number;
  generateName?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: {
    apiVersion: string;
    kind: string;
    name: string;
    uid: string;
    controller: boolean;
    blockOwnerDeletion: boolean;
  }[];
}

/** An object as stored. Fields the double does not model are kept as they came (unknown fields are not dropped). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  // Spec and status shapes differ by kind; each module reads them through its own typed view.
  spec?: any;
  status?: any;
  [field: string]: unknown;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}

/** Keys sorted at every level, as Go prints a map (kubectl prints unstructured objects). */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      if (value[key] !== undefined) out[key] = sortKeys(value[key]);
    }
    return out;
  }
  return value;
}

export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

/** RFC 7386 JSON merge patch (`kubectl patch --type=merge`). */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const out: Record<string, unknown> = isObject(target) ? clone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

/**
 * The client-side apply of kubectl, reduced to what the labs meet: fields that were in the last applied
 * manifest and are gone from the new one are removed; the new manifest is laid over the live object (maps merge,
 * lists and scalars replace); fields set by others (a `kubectl patch`, the server) and absent from both stay.
 */
export function threeWayApply(live: unknown, lastApplied: unknown, desired: unknown): unknown {
  if (!isObject(desired) || !isObject(live)) return clone(desired);
  const out: Record<string, unknown> = clone(live);
  if (isObject(lastApplied)) {
    for (const key of Object.keys(lastApplied)) {
      if (!(key in desired)) delete out[key];
    }
  }
  for (const [key, value] of Object.entries(desired)) {
    const previous = isObject(lastApplied) ? lastApplied[key] : undefined;
    out[key] = isObject(value) && isObject(out[key]) ? threeWayApply(out[key], previous, value) : clone(value);
  }
  return out;
}

/** `2026-05-04T10:11:12Z`: the API server's second-precision timestamps. */
export function timestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Go's encoding/json escapes these three inside strings; kubectl's JSON output shows them escaped. */
export function goJson(value: unknown, indent = 4): string {
  return JSON.stringify(sortKeys(value), null, indent)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026');
}
