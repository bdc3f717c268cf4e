import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isCurrent, readCatalogue, type LabSummary } from './catalogue.js';
import type { Lab, LabAction, LabCheck, LabData } from './lab.js';

/**
 * Every lab as the build validated it, in `dist/labs/<folder>.json`: a command that needs the labs themselves (`show`,
 * `start`, `verify`, …) reads them without parsing YAML or running the schemas, which took most of their start
 * (measured by `npm run bench`). Only data is stored: `show` reads it as it is, and bind-labs.ts binds each action
 * and check to its definition again by name for the commands that run steps. A lab is used only while its lab.yaml
 * matches the catalogue's sha256 of it and the schemas are the ones that validated it, so an edited lab (or schema)
 * is loaded and validated.
 */
export const COMPILED_LABS_DIR = join('dist', 'labs');

export function compiledLabFile(root: string, folder: string): string {
  return join(root, COMPILED_LABS_DIR, `${folder}.json`);
}

export interface CompiledLabFile {
  /** sha256 of the schemas that validated the lab (schemaDigest()). */
  schemas: string;
  lab: CompiledLab;
}

/** The modules that decide whether a lab is valid: the loader's own rules, the lab schema and the spec schemas. */
const VALIDATORS = [
  'lab-loader',
  'lab-schema',
  'template',
  '../checks/specs',
  '../checks/spec-fields',
  '../actions/specs',
  '../core/host-names',
];

/**
 * Those modules as this running code has them, beside this one (.js when built, .ts under the tests, so the tests
 * never trust what the build compiled); a `tsc` without the catalogue step leaves the compiled labs behind, and this says so.
 */
export function schemaDigest(): string {
  const here = fileURLToPath(import.meta.url);
  const ext = here.endsWith('.ts') ? 'ts' : 'js';
  const hash = createHash('sha256');
  for (const module of VALIDATORS) hash.update(readFileSync(join(dirname(here), `${module}.${ext}`)));
  return hash.digest('hex');
}

type Unbound<T> = Omit<T, 'def'>;

export type CompiledLab = LabData & { folder: string };

/** A lab's setup and steps with each action and check mapped: one walk for compiling and for binding again. */
export function mapBindings<A, C, A2, C2>(
  lab: Bindings<A, C>,
  action: (a: A) => A2,
  check: (c: C) => C2,
): Bindings<A2, C2> {
  return {
    setup: lab.setup.map(action),
    steps: lab.steps.map((step) => ({
      ...step,
      actions: step.actions.map(action),
      checks: step.checks.map(check),
      mistakes: step.mistakes.map((m) => ({ ...m, actions: m.actions?.map(action), before: m.before.map(action) })),
    })),
  };
}

interface Bindings<A, C> {
  setup: A[];
  steps: (Omit<LabData['steps'][number], 'actions' | 'checks' | 'mistakes'> & {
    actions: A[];
    checks: C[];
    mistakes: (Omit<LabData['steps'][number]['mistakes'][number], 'actions' | 'before'> & {
      actions?: A[];
      before: A[];
    })[];
  })[];
}

const unbindAction = ({ def: _def, ...rest }: LabAction): Unbound<LabAction> => rest;
const unbindCheck = ({ def: _def, ...rest }: LabCheck): Unbound<LabCheck> => rest;

/** The data of a loaded lab, for the build. */
export function compileLab(lab: Lab): CompiledLab {
  const { file, setup, steps, ...rest } = lab;
  return { ...rest, folder: basename(dirname(file)), ...mapBindings({ setup, steps }, unbindAction, unbindCheck) };
}

/** The compiled labs when they describe exactly the lab files on disk; otherwise undefined (load them instead). */
export function readCompiledLabData(root: string): CompiledLab[] | undefined {
  const catalogue = readCatalogue(root);
  if (!catalogue) return undefined;
  const digest = schemaDigest();
  const labs = catalogue.map((entry) => compiledLab(root, entry, digest));
  return labs.every((lab) => lab !== undefined) ? labs : undefined;
}

/** One lab as the build compiled it, found in the catalogue, while it describes its lab.yaml; otherwise undefined. */
export function readCompiledLab(root: string, entry: LabSummary): CompiledLab | undefined {
  return isCurrent(root, entry) ? compiledLab(root, entry, schemaDigest()) : undefined;
}

function compiledLab(root: string, entry: LabSummary, digest: string): CompiledLab | undefined {
  try {
    const file = JSON.parse(readFileSync(compiledLabFile(root, entry.folder), 'utf8')) as CompiledLabFile;
    const { lab } = file;
    const same = file.schemas === digest && lab.folder === entry.folder && lab.id === entry.id;
    return same && Array.isArray(lab.steps) && Array.isArray(lab.setup) ? lab : undefined;
  } catch {
    return undefined;
  }
}
