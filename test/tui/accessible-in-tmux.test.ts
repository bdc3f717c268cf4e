import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shellQuote } from '../../src/platform/command.js';
import { isolationFlags, makeLabDir, removeLabDirs, requireBuiltLauncher, type LabDir } from './lab-run.js';
import { launcherLine, tmuxAvailable, tmuxServer, waitUntil } from './tmux-session.js';

/**
 * Accessible mode (ACCESSIBLE=1) in a real terminal: tmux gives the CLI a TTY, and `pipe-pane` records every byte
 * the CLI writes to it. A screen reader follows line output: so the record may hold text, newlines and tabs, and no
 * escape sequence (no colour, no cursor movement), no carriage return that is not part of a newline, no backspace.
 * The CLI is the built one with the cluster double, so this is the double and not kind.
 */
const hasTmux = tmuxAvailable('accessible-in-tmux');
const server = tmuxServer('a11y');

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
    server.close();
    await removeLabDirs();
  });

  /** What the CLI wrote so far, as bytes turned to text. */
  const written = () => (existsSync(record) ? readFileSync(record, 'utf8') : '');

  const waitFor = (pattern: RegExp) =>
    waitUntil(() => written().replace(/\r\n/g, '\n'), pattern, 'the record of what the CLI wrote');

  it('a step with its path as text, a prediction, the checks and the marked path: nothing but lines', async () => {
    // The CLI waits for `go` so that pipe-pane records from its very first byte.
    const command = launcherLine(
      ['start', '--skip-doctor', ...(await isolationFlags(dir))],
      { ACCESSIBLE: '1', EXPOSE_LABS_HOME: dir.home },
      `while [ ! -e ${shellQuote(go)} ]; do sleep 0.05; done;`,
    );
    const pane = server.open('a11y', command, { width: 100 });
    server.tmux('pipe-pane', '-o', '-t', pane.target, `cat >> ${shellQuote(record)}`);
    writeFileSync(go, '');

    await waitFor(/Create the kind cluster expose-labs\? \(takes a few minutes\) \(y\/n\) \[default y\]: $/);
    pane.type('y');
    await waitFor(
      /Choose a lab\n {2}1\.\s+01 NodePort[^\n]*\n[\s\S]*Type a number \(1-\d+\) and press Enter \[default 1\]: $/,
    );
    pane.type('1');
    const step = await waitFor(/What next\?\n {2}1\. Run it for me\n[\s\S]*press Enter[^\n]*: $/);
    expect(step).toContain('Traffic path, 5 hops.\nno check has run yet.\n1. Your machine (curl).\n');
    pane.type('1');
    await waitFor(/Predict — [^\n]*\n {2}1\. [^\n]+\n[\s\S]*press Enter[^\n]*: $/);
    pane.type('1');
    // After a pass the results stay until Enter, then the next step's screen and its choices.
    const checked = await waitFor(
      /✔ Your prediction was right: [^\n]+\n[\s\S]*Press Enter for the next step…[^\n]*\s*$/,
    );
    expect(checked).toMatch(/Traffic path, 5 hops\.\nMarked: [^\n]+\.\n1\. Your machine \(curl\): went through/);
    expect(checked).toMatch(/5\. A jordy pod :8080: answered — HTTP 200 \(jordy-[^)]+\)\./);
    pane.type('');
    await waitFor(/Step 2 of 2[\s\S]*What next\?\n {2}1\. Run it for me\n[\s\S]*press Enter[^\n]*: $/);
    // Back to the menu (the last of six choices), then Quit (the last entry of the menu).
    pane.type('6');
    const menu = await waitFor(/Choose a lab\n[\s\S]*Choose a lab\n[\s\S]*press Enter[^\n]*: $/);
    pane.type(/ {2}(\d+)\. Quit\n[^\n]*$/.exec(menu)![1]!);
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
