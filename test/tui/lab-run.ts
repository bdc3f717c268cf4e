import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { freeHostPorts } from '../support/cluster-double/index.js';

/** What the terminal tests share: the built launcher, an isolated place to run it, and the lab text it shows. */

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const LAUNCHER = join(ROOT, 'dist/test/support/launcher.js');

/** These tests drive the built CLI, not the sources: say how to build it instead of failing obscurely. */
export function requireBuiltLauncher(): void {
  if (!existsSync(LAUNCHER)) {
    throw new Error(
      `${LAUNCHER} is missing: build first with \`npx tsc -p .\` (\`npm test\` builds before running vitest).`,
    );
  }
}

export interface LabDir {
  home: string;
  hostsFile: string;
}

const made: string[] = [];

/** A fresh EXPOSE_LABS_HOME and a private hosts file, so a run touches nothing of this machine's. */
export async function makeLabDir(): Promise<LabDir> {
  const dir = await mkdtemp(join(tmpdir(), 'expose-labs-tui-'));
  made.push(dir);
  const hostsFile = join(dir, 'hosts');
  await writeFile(hostsFile, '127.0.0.1\tlocalhost\n');
  return { home: join(dir, 'home'), hostsFile };
}

/** Remove every directory made by makeLabDir (call once the runs using them have ended). */
export async function removeLabDirs(): Promise<void> {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** Flags that put the double's port mappings on free loopback ports and point the labs at the private hosts file. */
export async function isolationFlags(dir: LabDir): Promise<string[]> {
  const ports = await freeHostPorts();
  return [
    '--http-port',
    String(ports.http),
    '--https-port',
    String(ports.https),
    '--nodeport-port',
    String(ports.nodePort),
    '--worker-a-port',
    String(ports.workerA),
    '--worker-b-port',
    String(ports.workerB),
    '--hosts-file',
    dir.hostsFile,
  ];
}

/**
 * The environment a learner's shell would have: no CI marker (it turns prompts off), no colour forcing, no
 * language override from the machine running the tests.
 */
export function learnerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LANG: 'C.UTF-8', ...extra };
  for (const name of [
    'CI',
    'FORCE_COLOR',
    'NO_COLOR',
    'LC_ALL',
    'LC_MESSAGES',
    'EXPOSE_LABS_LANG',
    'TMUX',
    'TMUX_PANE',
  ]) {
    if (!(name in extra)) delete env[name];
  }
  return env;
}

interface TextEn {
  en: string;
}

export interface LabText {
  title: string;
  recap: string;
  /** English titles of each step's checks, as the task list names them. */
  stepChecks: string[][];
}

/** The English texts of one lab, read from its lab.yaml so the tests follow the content rather than copy it. */
export async function labText(folder: string): Promise<LabText> {
  const data = parse(await readFile(join(ROOT, 'labs', folder, 'lab.yaml'), 'utf8')) as {
    title: TextEn;
    recap: TextEn;
    steps: { id: string; checks: { title?: TextEn }[] }[];
  };
  return {
    title: data.title.en,
    recap: data.recap.en,
    stepChecks: data.steps.map((step) =>
      step.checks.map((check, i) => {
        if (!check.title)
          throw new Error(
            `${folder}: check ${i + 1} of step ${step.id} has no title; the terminal tests look for titles`,
          );
        return check.title.en;
      }),
    ),
  };
}
