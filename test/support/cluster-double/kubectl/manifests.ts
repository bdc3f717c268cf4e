import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { KubectlError } from '../kubectl-errors.js';
import { isObject } from '../objects.js';

/** One object of a `-f` argument, with the name kubectl gives its source in messages. */
export interface ManifestDoc {
  source: string;
  object: Record<string, any>;
}

async function filesOf(file: string): Promise<string[]> {
  let info;
  try {
    info = await stat(file);
  } catch {
    throw new KubectlError(`error: the path "${file}" does not exist`);
  }
  if (!info.isDirectory()) return [file];
  const names = (await readdir(file)).filter((n) => /\.(ya?ml|json)$/.test(n)).sort();
  return names.map((n) => path.join(file, n));
}

function parse(text: string, source: string): ManifestDoc[] {
  const out: ManifestDoc[] = [];
  for (const doc of parseAllDocuments(text)) {
    const problem = doc.errors[0];
    if (problem) {
      const line = problem.linePos?.[0]?.line;
      throw new KubectlError(
        `error: error parsing ${source}: error converting YAML to JSON: yaml: ${line ? `line ${line}: ` : ''}${problem.message.split('\n')[0]}`,
      );
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    if (!isObject(value))
      throw new KubectlError(`error: error parsing ${source}: the document is not a Kubernetes object`);
    // A `kind: List` file carries its objects in items, and kubectl applies each.
    if (value.kind === 'List' && Array.isArray(value.items)) {
      for (const item of value.items) if (isObject(item)) out.push({ source, object: item });
    } else out.push({ source, object: value });
  }
  return out;
}

/** Read every `-f` argument (files, folders of manifests, or `-` for the input text) into its objects. */
export async function readManifests(files: readonly string[], input: string | undefined): Promise<ManifestDoc[]> {
  const docs: ManifestDoc[] = [];
  for (const file of files) {
    if (file === '-') {
      docs.push(...parse(input ?? '', 'STDIN'));
      continue;
    }
    for (const each of await filesOf(file)) docs.push(...parse(await readFile(each, 'utf8'), each));
  }
  return docs;
}
