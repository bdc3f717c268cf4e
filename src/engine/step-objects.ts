import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Lab, LabAction, Step } from './lab.js';

/** A Service or Ingress a step's manifests make, by namespace and name. */
export interface ObjectRef {
  kind: 'Service' | 'Ingress';
  namespace: string;
  name: string;
  /** Services an Ingress routes to (its backends). */
  backends: string[];
}

function applied(actions: LabAction[]): string[] {
  return actions.flatMap((a) => {
    if (a.name !== 'apply') return [];
    const spec = a.spec as string | { file: string; expectError?: string };
    if (typeof spec === 'string') return [spec];
    return spec.expectError === undefined ? [spec.file] : [];
  });
}

async function objectsIn(root: string, files: string[]): Promise<ObjectRef[]> {
  const found: ObjectRef[] = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(await readFile(join(root, file), 'utf8'))) {
      const o = doc.toJS() as {
        kind?: string;
        metadata?: { name?: string; namespace?: string };
        spec?: { defaultBackend?: unknown; rules?: { http?: { paths?: { backend?: unknown }[] } }[] };
      } | null;
      if (!o?.metadata?.name || (o.kind !== 'Service' && o.kind !== 'Ingress')) continue;
      const backends = JSON.stringify(o.spec ?? {}).match(/"service":\{"name":"([^"]+)"/g) ?? [];
      found.push({
        kind: o.kind,
        namespace: o.metadata.namespace ?? 'default',
        name: o.metadata.name,
        backends: [...new Set(backends.map((b) => b.slice('"service":{"name":"'.length, -1)))],
      });
    }
  }
  return found;
}

const key = (o: ObjectRef) => `${o.kind}/${o.namespace}/${o.name}`;

/**
 * What a step stands on in the cluster: the Ingresses applied up to it (setup and earlier steps included), and the
 * Services it is about — those it applies itself, else those its Ingresses route to, else all applied so far.
 */
export async function stepObjects(
  root: string,
  lab: Lab,
  step: Step,
): Promise<{ services: ObjectRef[]; ingresses: ObjectRef[] }> {
  const upTo = lab.steps.slice(0, lab.steps.indexOf(step) + 1);
  const all = await objectsIn(root, applied([...lab.setup, ...upTo.flatMap((s) => s.actions)]));
  const latest = [...new Map(all.map((o) => [key(o), o])).values()];
  const ingresses = latest.filter((o) => o.kind === 'Ingress');
  const services = latest.filter((o) => o.kind === 'Service');
  const own = (await objectsIn(root, applied(step.actions))).filter((o) => o.kind === 'Service');
  if (own.length > 0) return { services: own, ingresses };
  // A backend may come from another lab's manifests (the apps and their Services are shared).
  const behind = [
    ...new Map(
      ingresses.flatMap((i) =>
        i.backends.map((name): [string, ObjectRef] => [
          `${i.namespace}/${name}`,
          { kind: 'Service', namespace: i.namespace, name, backends: [] },
        ]),
      ),
    ).values(),
  ];
  return { services: behind.length > 0 ? behind : services, ingresses };
}
