import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isolationFlags,
  LAUNCHER,
  labText,
  learnerEnv,
  makeLabDir,
  removeLabDirs,
  requireBuiltLauncher,
  ROOT,
  type LabText,
} from './lab-run.js';

/**
 * `expose-labs start` with no terminal (CI, a pipe): the built CLI with the cluster double, stdin and stdout pipes.
 * It must never wait for an answer, and what it prints must read as plain text.
 */
interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Run the launcher with piped stdio. stdin stays open and empty, as in a pipeline whose writer is still there: a
 * CLI that tried to ask would hang, and the time limit turns that into a failure showing what it printed.
 */
function startPiped(args: string[], home: string, limitMs: number): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LAUNCHER, 'start', '--skip-doctor', ...args], {
      cwd: ROOT,
      env: learnerEnv({ EXPOSE_LABS_HOME: home }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `still running after ${limitMs} ms (waiting for input?)\n--- stdout\n${stdout}\n--- stderr\n${stderr}`,
        ),
      );
    }, limitMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ code, stdout, stderr });
    });
  });
}

const normalize = (text: string) => text.replace(/[^\p{L}\p{N}]+/gu, '');

describe('start without a terminal (pipes, cluster double)', () => {
  let lab: LabText;

  beforeAll(async () => {
    requireBuiltLauncher();
    lab = await labText('01-nodeport');
  });

  afterAll(removeLabDirs);

  it('does not wait for an answer: exits 2 (a flag is missing) at once and names the flag to pass', async () => {
    const dir = await makeLabDir();
    const menu = await startPiped(['nodeport', ...(await isolationFlags(dir))], dir.home, 10_000);
    expect(menu.code, menu.stderr).toBe(2);
    expect(menu.stderr).toMatch(/--auto\b/);
    const run = await startPiped(['nodeport', '--auto', ...(await isolationFlags(dir))], dir.home, 10_000);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/--yes\b/);
    expect(run.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(run.stdout).not.toContain('(Y/n)');
  });

  it('with --yes --auto runs the lab to the end in plain text and prints the recap', async () => {
    const dir = await makeLabDir();
    const run = await startPiped(['nodeport', '--yes', '--auto', ...(await isolationFlags(dir))], dir.home, 30_000);
    expect(run.code, `${run.stdout}\n--- stderr\n${run.stderr}`).toBe(0);

    expect(run.stdout + run.stderr).not.toContain('\x1b');
    expect(run.stdout).not.toContain('\r');
    // listr2's spinner frames are braille dots.
    expect(run.stdout).not.toMatch(/[\u2800-\u28ff]/u);

    const lines = run.stdout.split('\n');
    const stepsAt = lab.stepChecks.map((_, i) =>
      lines.findIndex((line) => line.includes(`Step ${i + 1} of ${lab.stepChecks.length}`)),
    );
    expect(
      stepsAt.every((at) => at >= 0),
      'every step screen is printed',
    ).toBe(true);
    expect([...stepsAt].sort((a, b) => a - b)).toEqual(stepsAt);
    lab.stepChecks.forEach((titles, i) => {
      const section = lines.slice(stepsAt[i], stepsAt[i + 1] ?? lines.length);
      for (const title of titles)
        expect(
          section.some((line) => line.startsWith('✔') && line.includes(title)),
          `✔ ${title}`,
        ).toBe(true);
    });

    const finished = run.stdout.indexOf(`Lab finished: ${lab.title}`);
    expect(finished).toBeGreaterThan(0);
    // The recap is Markdown re-wrapped for the terminal: compare its words, not its layout.
    expect(normalize(run.stdout.slice(finished))).toContain(normalize(lab.recap));
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('Progress saved. To continue: npx expose-labs start');
  });
});
