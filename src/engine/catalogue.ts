import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab } from './lab.js';

/**
 * What `list` and `status` need of every lab (ids, titles, step ids), compiled at build time from the validated
 * labs into `dist/catalogue.json`, so those commands start without parsing YAML or loading the schemas (measured by
 * `npm run bench`). Each entry carries the sha256 of its lab.yaml: after an edit the catalogue no longer matches and
 * the labs are loaded and validated as usual.
 */
export interface LabSummary {
  id: string;
  order: number;
  folder: string;
  sha256: string;
  title: Lab['title'];
  summary: Lab['summary'];
  requires: Lab['requires'];
  steps: { id: string; title: Lab['steps'][number]['title'] }[];
}

export const CATALOGUE_FILE = join('dist', 'catalogue.json');

export function labFileDigest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function summarise(lab: Lab, folder: string, text: string): LabSummary {
  return {
    id: lab.id,
    order: lab.order,
    folder,
    sha256: labFileDigest(text),
    title: lab.title,
    summary: lab.summary,
    requires: lab.requires,
    steps: lab.steps.map((step) => ({ id: step.id, title: step.title })),
  };
}

function labFolders(root: string): string[] {
  return readdirSync(join(root, 'labs'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/**
 * The compiled catalogue's entries while they name exactly the lab folders on disk, each lab file not yet compared:
 * enough to find a lab by name, then `isCurrent` for the one that is read.
 */
export function readCatalogueEntries(root: string): LabSummary[] | undefined {
  try {
    const entries = JSON.parse(readFileSync(join(root, CATALOGUE_FILE), 'utf8')) as LabSummary[];
    const folders = labFolders(root);
    if (!Array.isArray(entries) || entries.length !== folders.length) return undefined;
    return entries.every((entry, i) => entry.folder === folders[i]) ? entries : undefined;
  } catch {
    return undefined;
  }
}

/** Does this entry still describe its lab.yaml? */
export function isCurrent(root: string, entry: LabSummary): boolean {
  try {
    return entry.sha256 === labFileDigest(readFileSync(join(root, 'labs', entry.folder, 'lab.yaml'), 'utf8'));
  } catch {
    return false;
  }
}

/** The compiled catalogue when it describes exactly the lab files on disk; otherwise undefined. */
export function readCatalogue(root: string): LabSummary[] | undefined {
  const entries = readCatalogueEntries(root);
  return entries?.every((entry) => isCurrent(root, entry)) ? entries : undefined;
}
