import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMap, parseAllDocuments, type Document } from 'yaml';
import type { ManifestPatch } from './lab-schema.js';

const keyPath = (path: string): (string | number)[] => path.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k));

function objectRef(doc: Document): string {
  const js = doc.toJS() as { kind?: string; metadata?: { name?: string } } | null;
  return `${js?.kind ?? '?'}/${js?.metadata?.name ?? '?'}`;
}

/** The edited text of one manifest file. Throws naming the patch when the object or a field is not there. */
export function patchManifest(text: string, patch: ManifestPatch): string {
  const parsed = parseAllDocuments(text);
  const docs: Document[] = parsed.filter((d) => isMap(d.contents));
  const targets = patch.object ? docs.filter((d) => objectRef(d) === patch.object) : docs;
  if (targets.length !== 1) {
    const found = docs.map(objectRef).join(', ');
    throw new Error(
      patch.object
        ? `${patch.file}: no single ${patch.object} (found ${found})`
        : `${patch.file} holds ${docs.length} objects (${found}): name one with object:`,
    );
  }
  const doc = targets[0]!;
  for (const [from, to] of Object.entries(patch.rename ?? {})) {
    if (!doc.hasIn(keyPath(from))) throw new Error(`${patch.file}: ${from} is not in ${objectRef(doc)}`);
    doc.setIn(keyPath(to), doc.getIn(keyPath(from)));
    doc.deleteIn(keyPath(from));
  }
  for (const path of patch.remove ?? []) {
    if (!doc.hasIn(keyPath(path))) throw new Error(`${patch.file}: ${path} is not in ${objectRef(doc)}`);
    doc.deleteIn(keyPath(path));
  }
  for (const [path, value] of Object.entries(patch.set ?? {})) doc.setIn(keyPath(path), value);
  return docs.map((d) => d.toString()).join('---\n');
}

/**
 * A package root for one mistake's try: a copy of `fixtures/` with the patched files edited, so every `apply` of
 * them (which copies from the root into the workspace) applies the wrong version. `dispose` removes it.
 */
export async function mistakeRoot(
  root: string,
  patches: readonly ManifestPatch[],
): Promise<{ root: string; dispose(): Promise<void> }> {
  if (patches.length === 0) return { root, dispose: async () => {} };
  const dir = await mkdtemp(join(tmpdir(), 'expose-labs-mistake-'));
  await cp(join(root, 'fixtures'), join(dir, 'fixtures'), { recursive: true });
  for (const patch of patches) {
    const file = join(dir, patch.file);
    await writeFile(file, patchManifest(await readFile(file, 'utf8'), patch));
  }
  return { root: dir, dispose: () => rm(dir, { recursive: true, force: true }) };
}
