import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ACTIONS } from '../actions/registry.js';
import { CHECKS } from '../checks/registry.js';
import { readCatalogue } from './catalogue.js';
import type { Lab, LabAction, LabCheck, Mistake, Step } from './lab.js';

/**
 * Every lab as the build validated it, in `dist/labs.json`: a command that needs the labs themselves (`show`,
 * `start`, `verify`, …) reads them without parsing YAML or running the schemas, which took most of their start
 * (measured by `npm run bench`). Only data is stored; each action and check is bound to its definition again by
 * name. Used only while the catalogue matches every lab.yaml on disk and the schemas are the ones that validated
 * them, so an edited lab (or schema) is loaded and validated.
 */
export const COMPILED_LABS_FILE = join('dist', 'labs.json');

export interface CompiledLabsFile {
  /** sha256 of the schemas that validated the labs (schemaDigest()). */
  schemas: string;
  labs: CompiledLab[];
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
 * never trust what the build compiled); a `tsc` without the catalogue step leaves labs.json behind, and this says so.
 */
export function schemaDigest(): string {
  const here = fileURLToPath(import.meta.url);
  const ext = here.endsWith('.ts') ? 'ts' : 'js';
  const hash = createHash('sha256');
  for (const module of VALIDATORS) hash.update(readFileSync(join(dirname(here), `${module}.${ext}`)));
  return hash.digest('hex');
}

type Unbound<T> = Omit<T, 'def'>;

export type CompiledLab = Omit<Lab, 'file' | 'setup' | 'steps'> & { folder: string } & Bindings<
    Unbound<LabAction>,
    Unbound<LabCheck>
  >;

/** A lab's setup and steps with each action and check mapped: one walk for compiling and for binding again. */
interface Bindings<A, C> {
  setup: A[];
  steps: (Omit<Step, 'actions' | 'checks' | 'mistakes'> & {
    actions: A[];
    checks: C[];
    mistakes: (Omit<Mistake, 'actions' | 'before'> & { actions?: A[]; before: A[] })[];
  })[];
}

function mapBindings<A, C, A2, C2>(lab: Bindings<A, C>, action: (a: A) => A2, check: (c: C) => C2): Bindings<A2, C2> {
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

const unbindAction = ({ def: _def, ...rest }: LabAction): Unbound<LabAction> => rest;
const unbindCheck = ({ def: _def, ...rest }: LabCheck): Unbound<LabCheck> => rest;

/** The data of a loaded lab, for the build. */
export function compileLab(lab: Lab): CompiledLab {
  const { file, setup, steps, ...rest } = lab;
  return { ...rest, folder: basename(dirname(file)), ...mapBindings({ setup, steps }, unbindAction, unbindCheck) };
}

function bindAction(action: Unbound<LabAction>): LabAction {
  const def = ACTIONS.get(action.name);
  if (!def) throw new Error(`compiled labs name an unknown action "${action.name}"`);
  return { ...action, def };
}

function bindCheck(check: Unbound<LabCheck>): LabCheck {
  const def = CHECKS.get(check.name);
  if (!def) throw new Error(`compiled labs name an unknown check "${check.name}"`);
  return { ...check, def };
}

function bindLab(root: string, compiled: CompiledLab): Lab {
  const { folder, setup, steps, ...rest } = compiled;
  return {
    ...rest,
    file: join(root, 'labs', folder, 'lab.yaml'),
    ...mapBindings({ setup, steps }, bindAction, bindCheck),
  };
}

/** The compiled labs when they describe exactly the lab files on disk; otherwise undefined (load them instead). */
export function readCompiledLabs(root: string): Lab[] | undefined {
  const catalogue = readCatalogue(root);
  if (!catalogue) return undefined;
  let file: CompiledLabsFile;
  try {
    file = JSON.parse(readFileSync(join(root, COMPILED_LABS_FILE), 'utf8')) as CompiledLabsFile;
    if (file.schemas !== schemaDigest()) return undefined;
  } catch {
    return undefined;
  }
  const compiled = file.labs;
  const same =
    Array.isArray(compiled) &&
    compiled.length === catalogue.length &&
    compiled.every((lab, i) => lab.folder === catalogue[i]!.folder && lab.id === catalogue[i]!.id);
  if (!same) return undefined;
  try {
    return compiled.map((lab) => bindLab(root, lab));
  } catch {
    return undefined;
  }
}
