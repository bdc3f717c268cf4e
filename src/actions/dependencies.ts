import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Dependency } from '../contract/dependencies.js';

interface ManifestObject {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: unknown; namespace?: unknown };
}

/** kubectl's fully qualified resource type for a manifest's kind: `Deployment` of `apps/v1` → `deployment.apps`. */
function resourceType(apiVersion: string, kind: string): string {
  const slash = apiVersion.indexOf('/');
  const group = slash > 0 ? apiVersion.slice(0, slash) : '';
  return group ? `${kind.toLowerCase()}.${group}` : kind.toLowerCase();
}

/**
 * The objects a manifest makes (what `kubectl apply -f` of it changes), and the manifest file itself: a learner edits
 * the workspace copy before applying it. A document that names no kind or name adds nothing; an unreadable file adds
 * only itself.
 */
export async function manifestDependencies(
  root: string,
  fixture: string,
  workspaceCopy: string,
): Promise<Dependency[]> {
  const out: Dependency[] = [{ type: 'file', path: workspaceCopy }];
  let text: string;
  try {
    text = await readFile(join(root, fixture), 'utf8');
  } catch {
    return out;
  }
  // YAML only here, when a step is watched: `show` and the menu bind the actions without it.
  const { parseAllDocuments } = await import('yaml');
  for (const doc of parseAllDocuments(text)) {
    if (!('toJS' in doc)) continue;
    const object = doc.toJS() as ManifestObject | null;
    const { apiVersion, kind, metadata } = object ?? {};
    if (typeof apiVersion !== 'string' || typeof kind !== 'string' || typeof metadata?.name !== 'string') continue;
    out.push({
      type: 'object',
      resource: resourceType(apiVersion, kind),
      name: metadata.name,
      ...(typeof metadata.namespace === 'string' ? { namespace: metadata.namespace } : {}),
    });
  }
  return out;
}

/** Verbs whose first words after the verb name one object: `delete service x`, `patch svc/x …`. */
const ONE_OBJECT = new Set(['delete', 'patch', 'label', 'annotate', 'scale', 'edit', 'set']);

/** The object a `kubectl` action changes, when its arguments name one (`-n` honoured); none for reads. */
export function kubectlArgsDependencies(args: readonly string[]): Dependency[] {
  const words: string[] = [];
  let namespace: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-n' || arg === '--namespace') namespace = args[++i];
    else if (arg.startsWith('--namespace=')) namespace = arg.slice('--namespace='.length);
    else if (!arg.startsWith('-')) words.push(arg);
  }
  const [verb, first, second] = words;
  if (verb === undefined || !ONE_OBJECT.has(verb) || first === undefined) return [];
  const [resource, name] = first.includes('/') ? first.split('/', 2) : [first, second];
  if (!resource || !name || /[<{]/.test(name)) return [];
  return [{ type: 'object', resource, name, ...(namespace ? { namespace } : {}) }];
}
