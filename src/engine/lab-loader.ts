import { readdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { ACTIONS } from '../actions/registry.js';
import { ACTION_SPECS } from '../actions/specs.js';
import { CHECKS } from '../checks/registry.js';
import { CHECK_SPECS } from '../checks/specs.js';
import { UserError } from '../core/errors.js';
import type { Lab, LabAction, LabCheck, Mistake } from './lab.js';
import { labSchema, type ActionEntry, type CheckEntry, type MistakeData } from './lab-schema.js';
import { isKnownPlaceholder, placeholders } from './template.js';
import { positionOf, type YamlPath } from './yaml-position.js';

/** A lab file that cannot be used: one paragraph naming file, line, column and the problem. */
export class LabLoadError extends UserError {
  override readonly name = 'LabLoadError';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly problem: string,
  ) {
    super({
      ko: `실습 파일 ${file}:${line}:${column} 에 문제가 있습니다: ${problem}`,
      en: `Lab file ${file}:${line}:${column} has a problem: ${problem}`,
    });
  }
}

const LAB_DIR = /^(\d{2})-([a-z0-9][a-z0-9-]*)$/;
const ACTION_COMMON = new Set(['title']);
const CHECK_COMMON = new Set(['title', 'from', 'id']);

type Path = YamlPath;

function pathText(path: Path): string {
  return path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${key}` : key),
    '',
  );
}

class LabFileReader {
  readonly lines = new LineCounter();
  readonly doc: Document;
  constructor(
    readonly displayPath: string,
    text: string,
  ) {
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
    const error = this.doc.errors[0];
    if (error) {
      const pos = this.lines.linePos(error.pos[0]);
      throw new LabLoadError(displayPath, pos.line, pos.col, `YAML syntax: ${error.message.split('\n')[0]}`);
    }
  }

  fail(path: Path, problem: string): never {
    const pos = positionOf(this.doc, this.lines, path);
    throw new LabLoadError(
      this.displayPath,
      pos.line,
      pos.col,
      path.length ? `${pathText(path)}: ${problem}` : problem,
    );
  }

  validate<T>(schema: z.ZodType<T>, value: unknown, at: Path): T {
    const result = schema.safeParse(value, { reportInput: true });
    if (result.success) return result.data;
    const issue = result.error.issues[0]!;
    const path = [...at, ...(issue.path as Path)];
    if (issue.code === 'invalid_type' && issue.input === undefined)
      this.fail(path, `required, but missing (${issue.message})`);
    if (issue.code === 'unrecognized_keys') this.fail(path, `unknown field(s): ${issue.keys.join(', ')}`);
    this.fail(path, issue.message);
  }
}

function registryKey(
  reader: LabFileReader,
  entry: Record<string, unknown>,
  at: Path,
  known: ReadonlyMap<string, unknown>,
  what: string,
  common: ReadonlySet<string>,
): string {
  const keys = Object.keys(entry).filter((k) => !common.has(k));
  const list = [...known.keys()].join(', ');
  if (keys.length === 0) reader.fail(at, `a ${what} needs one of: ${list}`);
  if (keys.length > 1) reader.fail(at, `a ${what} has exactly one kind, found ${keys.join(', ')}`);
  const key = keys[0]!;
  if (!known.has(key)) reader.fail([...at, key], `unknown ${what} "${key}"; known ${what}s: ${list}`);
  return key;
}

function checkPlaceholders(reader: LabFileReader, value: unknown, at: Path): void {
  if (typeof value === 'string') {
    for (const name of placeholders(value)) {
      if (!isKnownPlaceholder(name)) reader.fail(at, `unknown placeholder {{${name}}}`);
    }
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => checkPlaceholders(reader, v, [...at, i]));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) checkPlaceholders(reader, v, [...at, k]);
  }
}

function bindAction(reader: LabFileReader, entry: ActionEntry, at: Path, root?: string): LabAction {
  const name = registryKey(reader, entry, at, ACTIONS, 'action', ACTION_COMMON);
  const def = ACTIONS.get(name)!;
  const spec: unknown = reader.validate(ACTION_SPECS.get(name)!, entry[name], [...at, name]);
  checkPlaceholders(reader, entry[name], [...at, name]);
  // A missing fixture is found when the lab loads, not halfway through a step.
  if (root === undefined) return { name, title: entry.title, spec, def };
  for (const named of def.files?.(spec) ?? []) {
    if (isAbsolute(named) || relative(root, join(root, named)).startsWith('..'))
      reader.fail([...at, name], `${named} is outside the package`);
    if (!existsSync(join(root, named))) reader.fail([...at, name], `${named} does not exist`);
  }
  return { name, title: entry.title, spec, def };
}

function bindCheck(reader: LabFileReader, entry: CheckEntry, at: Path): LabCheck {
  const name = registryKey(reader, entry, at, CHECKS, 'check', CHECK_COMMON);
  const def = CHECKS.get(name)!;
  const spec: unknown = reader.validate(CHECK_SPECS.get(name)!, entry[name], [...at, name]);
  checkPlaceholders(reader, entry[name], [...at, name]);
  return { name, id: entry.id, title: entry.title, from: entry.from ?? 'auto', spec, def };
}

/** A mistake's actions bound, and its `caughtBy`, `verdict` and `seen` checked against the step. */
function bindMistake(reader: LabFileReader, mistake: MistakeData, checks: LabCheck[], at: Path): Mistake {
  const ids = checks.flatMap((c) => (c.id ? [c.id] : []));
  if (mistake.caughtBy === 'kubectl') {
    if (mistake.verdict !== 'refused')
      reader.fail([...at, 'verdict'], 'a mistake caught by kubectl has the verdict "refused"');
  } else {
    if (!ids.includes(mistake.caughtBy))
      reader.fail(
        [...at, 'caughtBy'],
        `no check of this step has the id "${mistake.caughtBy}" (ids: ${ids.join(', ') || 'none'}, or kubectl)`,
      );
    if (mistake.verdict === 'refused') reader.fail([...at, 'verdict'], '"refused" is for caughtBy: kubectl');
  }
  if (mistake.verdict !== 'pass' && mistake.seen === undefined)
    reader.fail([...at, 'seen'], 'required: what the check sees for this mistake, so the learner is told its name');
  if (mistake.verdict === 'pass' && mistake.before.length === 0)
    reader.fail([...at, 'verdict'], '"pass" is for a left-over the lab must cope with: give it before:');
  if (mistake.seen !== undefined) {
    try {
      new RegExp(mistake.seen);
    } catch (error) {
      reader.fail([...at, 'seen'], `not a regular expression: ${(error as Error).message}`);
    }
  }
  return {
    ...mistake,
    actions: mistake.actions?.map((a, j) => bindAction(reader, a, [...at, 'actions', j])),
    before: mistake.before.map((a, j) => bindAction(reader, a, [...at, 'before', j])),
  };
}

const filesOf = (actions: LabAction[]): string[] => actions.flatMap((a) => a.def.files?.(a.spec) ?? []);

/** A patch must edit a file that the try applies, or it would change nothing and prove nothing. */
function checkPatchedFiles(reader: LabFileReader, lab: Pick<Lab, 'setup' | 'steps'>): void {
  lab.steps.forEach((step, i) => {
    const earlier = [...filesOf(lab.setup), ...lab.steps.slice(0, i).flatMap((s) => filesOf(s.actions))];
    step.mistakes.forEach((mistake, j) => {
      const applied = new Set([...earlier, ...filesOf(mistake.actions ?? step.actions)]);
      mistake.patch.forEach((patch, k) => {
        if (!applied.has(patch.file))
          reader.fail(
            ['steps', i, 'mistakes', j, 'patch', k, 'file'],
            `${patch.file} is not applied by the setup, an earlier step or this step's actions`,
          );
      });
    });
  });
}

/** Parse and validate one lab file; `folder` is its directory name `NN-id`; with `root`, named files must exist. */
export function parseLab(text: string, file: string, displayPath: string, folder: string, root?: string): Lab {
  const reader: LabFileReader = new LabFileReader(displayPath, text);
  const data = reader.validate(labSchema, reader.doc.toJS(), []);
  const match = LAB_DIR.exec(folder);
  if (!match) reader.fail([], `the folder name "${folder}" must look like NN-id (e.g. 01-nodeport)`);
  if (match[2] !== data.id)
    reader.fail(['id'], `id "${data.id}" must match the folder name "${folder}" (expected "${match[2]}")`);
  const seen = new Set<string>();
  data.steps.forEach((step, i) => {
    if (seen.has(step.id)) reader.fail(['steps', i, 'id'], `duplicate step id "${step.id}"`);
    seen.add(step.id);
    const names = new Set<string>();
    step.checks.forEach((check, j) => {
      if (check.id === undefined) return;
      if (names.has(check.id)) reader.fail(['steps', i, 'checks', j, 'id'], `duplicate check id "${check.id}"`);
      names.add(check.id);
    });
    const mistakeIds = new Set<string>();
    step.mistakes.forEach((mistake, j) => {
      if (mistakeIds.has(mistake.id))
        reader.fail(['steps', i, 'mistakes', j, 'id'], `duplicate mistake id "${mistake.id}"`);
      mistakeIds.add(mistake.id);
    });
  });
  const lab: Lab = {
    id: data.id,
    order: Number(match[1]),
    file,
    title: data.title,
    summary: data.summary,
    requires: data.requires,
    recap: data.recap,
    path: data.path,
    setup: data.setup.map((a, i) => bindAction(reader, a, ['setup', i], root)),
    steps: data.steps.map((step, i) => {
      const checks = step.checks.map((c, j) => bindCheck(reader, c, ['steps', i, 'checks', j]));
      return {
        ...step,
        actions: step.actions.map((a, j) => bindAction(reader, a, ['steps', i, 'actions', j], root)),
        checks,
        mistakes: step.mistakes.map((m, j) => bindMistake(reader, m, checks, ['steps', i, 'mistakes', j])),
      };
    }),
  };
  checkPatchedFiles(reader, lab);
  return lab;
}

/** Every lab under `<root>/labs`, in folder order. Throws LabLoadError for the first broken file. */
export async function loadLabs(root: string): Promise<Lab[]> {
  const labsDir = join(root, 'labs');
  const folders = (await readdir(labsDir, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const labs: Lab[] = [];
  for (const folder of folders) {
    const file = join(labsDir, folder, 'lab.yaml');
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      throw new LabLoadError(relative(root, file), 1, 1, 'lab.yaml is missing or unreadable');
    }
    labs.push(parseLab(text, file, relative(root, file), folder, root));
  }
  const ids = new Set<string>();
  for (const lab of labs) {
    if (ids.has(lab.id))
      throw new LabLoadError(relative(root, lab.file), 1, 1, `another lab already has the id "${lab.id}"`);
    ids.add(lab.id);
  }
  return labs;
}
