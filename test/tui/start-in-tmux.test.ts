import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shellQuote } from '../../src/platform/command.js';
import {
  isolationFlags,
  LAUNCHER,
  labText,
  learnerEnv,
  makeLabDir,
  removeLabDirs,
  requireBuiltLauncher,
  ROOT,
  type LabDir,
  type LabText,
} from './lab-run.js';

/**
 * `expose-labs start` in a real terminal, driven key by key as a learner would: tmux gives the CLI a TTY,
 * `send-keys` types, `capture-pane` reads what is on the screen. The CLI is the built one, with the cluster
 * double handed in by the test launcher, so this is the double and not kind.
 */
const hasTmux = spawnSync('tmux', ['-V']).error === undefined;
if (!hasTmux)
  console.warn('start-in-tmux: the terminal test was SKIPPED because tmux is not installed (apt-get install tmux).');

// One tmux server per test file run, on its own socket, so parallel runs never see each other's sessions.
const socket = `expose-labs-tui-${process.pid}-${randomBytes(4).toString('hex')}`;
const env = learnerEnv();

function tmux(...args: string[]): string {
  const result = spawnSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8', env });
  if (result.status !== 0) throw new Error(`tmux ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}

const WAIT_MS = 15_000;

interface Terminal {
  /** Keys as tmux names them: Enter, Up, Down, C-c. */
  press(...keys: string[]): void;
  /** Everything the session printed so far (scrollback included), wrapped lines joined. */
  screen(): string;
  /** Poll the screen every 100 ms until `pattern` matches; fail with what the screen showed last. */
  waitForScreen(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

/**
 * Start the launcher in a new tmux session. The shell prints `EXIT=<code>` when the CLI ends, and the pane stays
 * (remain-on-exit) so the tail of the screen can still be read.
 */
function launch(session: string, dir: LabDir, args: string[]): Terminal {
  // The wrapper shell shares the terminal's foreground process group with the CLI (an interactive shell would not),
  // so Ctrl-C would kill it before it prints EXIT. A trapped signal is reset to the default in the child it starts.
  const command = [
    'trap : INT;',
    `cd ${shellQuote(ROOT)} &&`,
    `NO_COLOR=1 EXPOSE_LABS_HOME=${shellQuote(dir.home)}`,
    [process.execPath, LAUNCHER, 'start', '--skip-doctor', ...args].map(shellQuote).join(' '),
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
    'history-limit',
    '50000',
    ';',
    'set-option',
    '-g',
    'default-shell',
    '/bin/sh',
    ';',
    'new-session',
    '-d',
    '-s',
    session,
    '-x',
    '110',
    '-y',
    '45',
    command,
  );
  const screen = () => tmux('capture-pane', '-p', '-J', '-S', '-', '-t', session).trimEnd();
  return {
    press: (...keys) => void tmux('send-keys', '-t', session, ...keys),
    screen,
    async waitForScreen(pattern, timeoutMs = WAIT_MS) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const text = screen();
        if (pattern.test(text)) return text;
        if (Date.now() > deadline) {
          const tail = text.split('\n').slice(-60).join('\n');
          throw new Error(`[${session}] waited ${timeoutMs} ms for ${pattern}; the terminal showed last:\n${tail}`);
        }
        await sleep(100);
      }
    },
  };
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Only the prompt waiting for an answer starts with "? "; an answered one turns into "✔ question answer".
const whatNext = /^\? What next\?/m;

describe.skipIf(!hasTmux)('start in a real terminal (tmux, cluster double)', () => {
  let lab: LabText;
  let dir: LabDir;
  let stepCount: number;

  beforeAll(async () => {
    requireBuiltLauncher();
    lab = await labText('01-nodeport');
    stepCount = lab.stepChecks.length;
    dir = await makeLabDir();
  });

  afterAll(async () => {
    // tmux leaves its socket file behind after kill-server; ask where it is while the server still runs.
    const path = spawnSync('tmux', ['-L', socket, 'display-message', '-p', '#{socket_path}'], {
      encoding: 'utf8',
      env,
    }).stdout.trim();
    spawnSync('tmux', ['-L', socket, 'kill-server'], { env });
    if (path) rmSync(path, { force: true });
    await removeLabDirs();
  });

  it('menu → step 1 → run it for me → checks pass → step 2 → back to the menu → quit (exit 0)', async () => {
    const t = launch('first', dir, await isolationFlags(dir));
    await t.waitForScreen(/^\? Create the kind cluster expose-labs\?.*\(Y\/n\)/m);
    t.press('Enter');
    await t.waitForScreen(/^\? Choose a lab\n❯ .*01 NodePort/m);
    t.press('Enter');
    await t.waitForScreen(new RegExp(`Step 1 of ${stepCount}[\\s\\S]*${whatNext.source}`, 'm'));
    t.press('Enter');
    await t.waitForScreen(/^✔ What next\? Run it for me$/m);
    // Before the checks, a prediction: the first choice is what the packets then do (jordy pods answer).
    await t.waitForScreen(/^\? Predict — /m);
    t.press('Enter');
    for (const title of lab.stepChecks[0]!) await t.waitForScreen(new RegExp(`^✔ ${escape(title)}`, 'm'));
    await t.waitForScreen(/^✔ Your prediction was right: .+$/m);
    await t.waitForScreen(new RegExp(`Step 2 of ${stepCount}[\\s\\S]*${whatNext.source}`, 'm'));
    // Up from the first choice wraps to the last one, "Back to the menu".
    t.press('Up', 'Enter');
    await t.waitForScreen(/^✔ What next\? Back to the menu\n[\s\S]*^\? Choose a lab/m);
    t.press('Up', 'Enter');
    const end = await t.waitForScreen(/^EXIT=\d+/m);
    expect(end).toMatch(/^✔ Choose a lab Quit$/m);
    expect(end).toMatch(/^Progress saved\. To continue: npx expose-labs start\nEXIT=0$/m);
  }, 45_000);

  it('resumes on step 2; Ctrl-C while watching goes back to the choices, Ctrl-C at the menu exits 130', async () => {
    const t = launch('resume', dir, await isolationFlags(dir));
    await t.waitForScreen(/^\? Create the kind cluster expose-labs\?/m);
    t.press('Enter');
    await t.waitForScreen(new RegExp(`^\\? Choose a lab\\n❯ .*01 NodePort.*\\(1/${stepCount}\\)`, 'm'));
    t.press('Enter');
    const resumed = await t.waitForScreen(new RegExp(`Step 2 of ${stepCount}[\\s\\S]*${whatNext.source}`, 'm'));
    expect(resumed).not.toContain(`Step 1 of ${stepCount}`);

    // "I'll run it myself": nobody types the commands, so the checks keep reporting "not yet" until Ctrl-C.
    t.press('Down', 'Enter');
    // The prediction comes first; Up wraps to its last choice, skipping it.
    await t.waitForScreen(/^\? Predict — /m);
    t.press('Up', 'Enter');
    await t.waitForScreen(/^✔ Predict — .* Skip the prediction$/m);
    await t.waitForScreen(/^✔ What next\? I'll run it myself.*\n[\s\S]*not yet/m);
    expect(t.screen()).not.toMatch(whatNext);
    t.press('C-c');
    const back = await t.waitForScreen(/interrupted[\s\S]*^\? What next\?/m);
    expect(back).not.toMatch(/^EXIT=/m);

    t.press('Up', 'Enter');
    await t.waitForScreen(/^✔ What next\? Back to the menu\n[\s\S]*^\? Choose a lab/m);
    t.press('C-c');
    const end = await t.waitForScreen(/^EXIT=\d+/m);
    expect(end).toMatch(/^Interrupted\. Your progress is saved\.\nEXIT=130$/m);
    expect(end).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  }, 45_000);

  it('speaks Korean with --lang ko', async () => {
    const ko = await makeLabDir();
    const t = launch('korean', ko, ['--lang', 'ko', ...(await isolationFlags(ko))]);
    await t.waitForScreen(/^\? kind 클러스터 expose-labs을\(를\) 만들까요\?/m);
    t.press('Enter');
    await t.waitForScreen(/^\? 실습을 고르세요\n❯ .*01 /m);
    t.press('Up', 'Enter');
    const end = await t.waitForScreen(/^EXIT=\d+/m);
    expect(end).toMatch(/^✔ 실습을 고르세요 끝내기$/m);
    expect(end).toMatch(/^진행 상황을 저장했습니다\. 이어서 하려면: npx expose-labs start\nEXIT=0$/m);
  }, 30_000);
});
