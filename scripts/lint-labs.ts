import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { KUBERNETES_VERSION } from '../src/cluster/versions.js';
import type { Lab, LabAction } from '../src/engine/lab.js';
import { loadLabs } from '../src/engine/lab-loader.js';
import { packageRoot } from '../src/platform/paths.js';
import { kubectlSubsetProblem } from './kubectl-subset.js';
import { schemaInfo } from './kube-schema.js';
import { lintManifestFile, type ManifestFile } from './lint-manifests.js';

/**
 * `npm run lint:labs` — what the lab schema cannot see: every step proves itself over the network, every file a lab
 * names exists, every manifest under fixtures/ validates against the Kubernetes schema of the pinned version, and
 * the post's legacy YAML (marked `# expose-labs: legacy`) fails it and is applied only where a failure is expected.
 */

export interface LintReport {
  problems: string[];
  notes: string[];
}

const HANGUL = /[\uAC00-\uD7A3]/;
const LATIN = /[A-Za-z]/;

async function yamlFilesUnder(root: string, dir: string): Promise<string[]> {
  if (!existsSync(join(root, dir))) return [];
  const entries = await readdir(join(root, dir), { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

function texts(lab: Lab): { where: string; text: { ko: string; en: string } }[] {
  const list = [
    { where: 'title', text: lab.title },
    { where: 'summary', text: lab.summary },
    { where: 'recap', text: lab.recap },
  ];
  const entryTitles = (where: string, entries: { name: string; title?: { ko: string; en: string } }[]) =>
    entries.flatMap((e, i) => (e.title ? [{ where: `${where}[${i}] (${e.name}).title`, text: e.title }] : []));
  list.push(...entryTitles('setup', lab.setup));
  for (const step of lab.steps) {
    const s = `step ${step.id}`;
    list.push(
      { where: `${s} title`, text: step.title },
      { where: `${s} explain`, text: step.explain },
      { where: `${s} hint`, text: step.hint },
      { where: `${s} solution`, text: step.solution },
      ...entryTitles(`${s} actions`, step.actions),
      ...entryTitles(`${s} checks`, step.checks),
      ...step.mistakes.flatMap((m) => [
        { where: `${s} mistake ${m.id} name`, text: m.name },
        { where: `${s} mistake ${m.id} hint`, text: m.hint },
      ]),
    );
  }
  return list;
}

function expectsError(action: LabAction): boolean {
  const spec = action.spec as { expectError?: unknown } | null;
  return typeof spec === 'object' && spec !== null && typeof spec.expectError === 'string';
}

function kubectlCalls(action: LabAction): string[][] {
  if (action.name !== 'kubectl') return [];
  const spec = action.spec as { args: string[]; undo?: string[] };
  return spec.undo ? [spec.args, spec.undo] : [spec.args];
}

/** Everything about one loaded lab that its schema does not already guarantee. */
async function lintLab(
  root: string,
  lab: Lab,
  manifests: Map<string, ManifestFile>,
  problems: string[],
): Promise<void> {
  const labFile = relative(root, lab.file).split(sep).join('/');
  const problem = (where: string, message: string) => problems.push(`${labFile}: ${where}: ${message}`);
  for (const { where, text } of texts(lab)) {
    if (!HANGUL.test(text.ko)) problem(where, 'the Korean text (ko) has no Korean in it');
    if (!LATIN.test(text.en)) problem(where, 'the English text (en) has no English in it');
    if (text.ko.trim() === text.en.trim()) problem(where, 'ko and en are the same text');
  }
  const named = async (where: string, file: string) => {
    if (isAbsolute(file) || relative(root, join(root, file)).startsWith('..'))
      return problem(where, `${file} is outside the package`);
    if (!existsSync(join(root, file))) return problem(where, `${file} does not exist`);
    if (/\.ya?ml$/.test(file) && !manifests.has(file))
      manifests.set(file, await lintManifestFile(root, file, problems));
  };
  const actions = async (where: string, list: LabAction[]) => {
    for (const [i, action] of list.entries()) {
      const here = `${where}[${i}] (${action.name})`;
      for (const file of action.def.files?.(action.spec) ?? []) {
        await named(here, file);
        if (manifests.get(file)?.legacy && !expectsError(action)) {
          problem(
            here,
            `${file} is the post's legacy YAML (rejected today): only an action with expectError may use it`,
          );
        }
      }
      for (const args of kubectlCalls(action)) {
        const outside = kubectlSubsetProblem(args);
        if (outside) problem(here, `kubectl ${args.join(' ')}: ${outside}`);
      }
    }
  };
  await actions('setup', lab.setup);
  for (const step of lab.steps) {
    const s = `step ${step.id}`;
    for (const file of step.show) await named(`${s} show`, file);
    await actions(`${s} actions`, step.actions);
    // Both languages, a hint, a solution and at least one check are already required by the lab schema (loadLabs).
    if (!step.checks.some((c) => c.def.network))
      problem(s, 'has no network check (only API reads): add one that sends traffic');
  }
  // A lab proves its checks catch wrong attempts, not only right ones (CONTRIBUTING.md, "Mistakes").
  const mistakes = lab.steps.reduce((n, step) => n + step.mistakes.length, 0);
  if (mistakes < MIN_MISTAKES)
    problem('lab', `lists ${mistakes} known mistake(s); list at least ${MIN_MISTAKES} that learners make here`);
}

const MIN_MISTAKES = 3;

export async function lintLabs(root: string): Promise<LintReport> {
  const problems: string[] = [];
  const notes: string[] = [];
  const schema = schemaInfo();
  if (schema.kubernetesVersion) {
    notes.push(
      `Kubernetes schema: kubernetes-models ${schema.packageVersion}, generated from the Kubernetes ${schema.kubernetesVersion} API ` +
        `(apiVersions removed since are rejected); the lab cluster runs Kubernetes ${KUBERNETES_VERSION}`,
    );
  } else {
    problems.push(
      `kubernetes-models ${schema.packageVersion}: unknown which Kubernetes release it models; read its CHANGELOG and add it to scripts/kube-schema.ts`,
    );
  }

  const manifests = new Map<string, ManifestFile>();
  for (const file of await yamlFilesUnder(root, 'fixtures'))
    manifests.set(file, await lintManifestFile(root, file, problems));

  let labs: Lab[] = [];
  try {
    labs = await loadLabs(root);
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  }
  for (const lab of labs) await lintLab(root, lab, manifests, problems);

  const legacy = [...manifests.values()].filter((m) => m.legacy).length;
  const steps = labs.reduce((n, lab) => n + lab.steps.length, 0);
  notes.push(
    `checked ${labs.length} labs (${steps} steps) and ${manifests.size} YAML files of manifests (${legacy} of them the post's legacy YAML, which must fail validation)`,
  );
  return { problems, notes };
}

export async function main(argv: string[], out: (line: string) => void = console.log): Promise<number> {
  const root = argv[0] ?? packageRoot();
  const { problems, notes } = await lintLabs(root);
  for (const note of notes) out(`lint-labs: ${note}`);
  if (problems.length === 0) {
    out('lint-labs: ok');
    return 0;
  }
  out(`lint-labs: ${problems.length} problem${problems.length === 1 ? '' : 's'}:`);
  for (const problem of problems) out(`  - ${problem}`);
  return 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
