import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shellQuote } from '../../src/platform/command.js';
import {
  isolationFlags,
  LAUNCHER,
  learnerEnv,
  makeLabDir,
  removeLabDirs,
  requireBuiltLauncher,
  ROOT,
  type LabDir,
} from './lab-run.js';

/**
 * Accessible mode (ACCESSIBLE=1) in a real terminal: tmux gives the CLI a TTY, and `pipe-pane` records every byte
 * the CLI writes to it. A screen reader follows line output: so the record may hold text, newlines and tabs, and no
 * escape sequence (no colour, no cursor movement), no carriage return that is not part of a newline, no backspace.
 * The CLI is the built one with the cluster double, so this is the double and not kind.
 */
const hasTmux = spawnSync('tmux', ['-V']).error === undefined;
if (!hasTmux)
  console.warn(
    'accessible-in-tmux: the terminal test was SKIPPED because tmux is not installed (apt-get install tmux).',
  );

const socket = `expose-labs-a11y-${process.pid}-${randomBytes(4).toString('hex')}`;
const env = learnerEnv();

function tmux(...args: string[]): string {
  const result = spawnSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8', env });
  if (result.status !== 0) throw new Error(`tmux ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}

const WAIT_MS = 20_000;

describe.skipIf(!hasTmux)('accessible mode in a real terminal (tmux, cluster double)', () => {
  let dir: LabDir;
  let record: string;
  let go: string;

  beforeAll(async () => {
    requireBuiltLauncher();
    dir = await makeLabDir();
    record = join(dir.home, '..', 'pane.bytes');
    go = join(dir.home, '..', 'go');
  });

  afterAll(async () => {
    const path = spawnSync('tmux', ['-L', socket, 'display-message', '-p', '#{socket_path}'], {
      encoding: 'utf8',
      env,
    }).stdout.trim();
    spawnSync('tmux', ['-L', socket, 'kill-server'], { env });
    if (path) rmSync(path, { force: true });
    await removeLabDirs();
  });

  /** What the CLI wrote so far, as bytes turned to text. */
  const written = () => (existsSync(record) ? readFileSync(record, 'utf8') : '');

  async function waitFor(pattern: RegExp): Promise<string> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const text = written().replace(/\r\n/g, '\n');
      if (pattern.test(text)) return text;
      if (Date.now() > deadline)
        throw new Error(
          `waited ${WAIT_MS} ms for ${pattern}; the CLI wrote last:\n${text.split('\n').slice(-40).join('\n')}`,
        );
      await sleep(100);
    }
  }

  const type = (line: string) =>
    void tmux('send-keys', '-t', 'a11y', '-l', line, ';', 'send-keys', '-t', 'a11y', 'Enter');

  it('a step with its path as text, a prediction, the checks and the marked path: nothing but lines', async () => {
    // The CLI waits for `go` so that pipe-pane records from its very first byte.
    const command = [
      'trap : INT;',
      `while [ ! -e ${shellQuote(go)} ]; do sleep 0.05; done;`,
      `cd ${shellQuote(ROOT)} &&`,
      `ACCESSIBLE=1 EXPOSE_LABS_HOME=${shellQuote(dir.home)}`,
      [process.execPath, LAUNCHER, 'start', '--skip-doctor', ...(await isolationFlags(dir))].map(shellQuote).join(' '),
      '; echo EXIT=$?',
    ].join(' ');
    tmux(
      'start-server',
      ';',
      'set-option',
      '-g',
      'remain-on-exit',
      'on',
      ';',
      'set-option',
      '-g',
      'default-shell',
      '/bin/sh',
      ';',
      'new-session',
      '-d',
      '-s',
      'a11y',
      '-x',
      '100',
      // Tall enough that a step screen fits on one page (a taller screen than the terminal is paged).
      '-y',
      '200',
      command,
    );
    tmux('pipe-pane', '-o', '-t', 'a11y', `cat >> ${shellQuote(record)}`);
    writeFileSync(go, '');

    await waitFor(/Create the kind cluster expose-labs\? \(takes a few minutes\) \(y\/n\) \[default y\]: $/);
    type('y');
    await waitFor(
      /Choose a lab\n {2}1\.\s+01 NodePort[^\n]*\n[\s\S]*Type a number \(1-\d+\) and press Enter \[default 1\]: $/,
    );
    type('1');
    const step = await waitFor(/What next\?\n {2}1\. Run it for me\n[\s\S]*press Enter[^\n]*: $/);
    expect(step).toContain('Traffic path, 5 hops.\nno check has run yet.\n1. Your machine (curl).\n');
    type('1');
    await waitFor(/Predict — [^\n]*\n {2}1\. [^\n]+\n[\s\S]*press Enter[^\n]*: $/);
    type('1');
    // After a pass the results stay until Enter, then the next step's screen and its choices.
    const checked = await waitFor(
      /✔ Your prediction was right: [^\n]+\n[\s\S]*Press Enter for the next step…[^\n]*\s*$/,
    );
    expect(checked).toMatch(/Traffic path, 5 hops\.\nMarked: [^\n]+\.\n1\. Your machine \(curl\): went through/);
    expect(checked).toMatch(/5\. A jordy pod :8080: answered — HTTP 200 \(jordy-[^)]+\)\./);
    type('');
    await waitFor(/Step 2 of 2[\s\S]*What next\?\n {2}1\. Run it for me\n[\s\S]*press Enter[^\n]*: $/);
    // Back to the menu (the last of six choices), then Quit (the last entry of the menu).
    type('6');
    const menu = await waitFor(/Choose a lab\n[\s\S]*Choose a lab\n[\s\S]*press Enter[^\n]*: $/);
    type(/ {2}(\d+)\. Quit\n[^\n]*$/.exec(menu)![1]!);
    const end = await waitFor(/EXIT=\d+\n/);
    expect(end).toMatch(/Progress saved\. To continue: npx expose-labs start\nEXIT=0\n/);

    const bytes = written();
    const controls = [...bytes.replace(/\r\n/g, '\n')].filter((c) => c < ' ' && c !== '\n' && c !== '\t');
    expect(
      controls.map((c) => c.charCodeAt(0).toString(16)),
      'control characters written to the terminal',
    ).toEqual([]);
    expect(bytes).not.toContain('\x1b');
  }, 60_000);
});
