import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { shellQuote } from '../../src/platform/command.js';
import { LAUNCHER, learnerEnv, ROOT } from './lab-run.js';

/**
 * What the real-terminal tests share: tmux gives the CLI a TTY, `send-keys` types, `capture-pane` (or `pipe-pane`)
 * reads what the CLI wrote. Each test file runs its own tmux server on its own socket, so parallel runs never see
 * each other's sessions.
 */

/** Whether tmux is installed; when it is not, says (once per file) that `name` is skipped rather than passing. */
export function tmuxAvailable(name: string): boolean {
  const found = spawnSync('tmux', ['-V']).error === undefined;
  if (!found)
    console.warn(`${name}: the terminal test was SKIPPED because tmux is not installed (apt-get install tmux).`);
  return found;
}

/** How long a wait lasts unless a test says otherwise: generous, since the machine may be busy. */
export const WAIT_MS = 20_000;

/** Read `read()` every `everyMs` until `pattern` matches; fail with the last 60 lines it gave, named by `what`. */
export async function waitUntil(
  read: () => string,
  pattern: RegExp,
  what: string,
  timeoutMs = WAIT_MS,
  everyMs = 100,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = read();
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) {
      const tail = text.split('\n').slice(-60).join('\n');
      throw new Error(`waited ${timeoutMs} ms for ${pattern}; ${what} showed last:\n${tail}`);
    }
    await sleep(everyMs);
  }
}

/**
 * The shell line a pane runs: `before` (if any), the built launcher from the repository root with `env` set, then
 * `EXIT=<code>` once the CLI ends. The wrapper shell shares the terminal's foreground process group with the CLI
 * (an interactive shell would not), so Ctrl-C would kill it before it prints EXIT; a trapped signal is reset to the
 * default in the child it starts, so the CLI still gets it.
 */
export function launcherLine(args: string[], env: Record<string, string>, before = ''): string {
  return [
    'trap : INT;',
    ...(before ? [before] : []),
    `cd ${shellQuote(ROOT)} &&`,
    ...Object.entries(env).map(([k, v]) => `${k}=${shellQuote(v)}`),
    [process.execPath, LAUNCHER, ...args].map(shellQuote).join(' '),
    '; echo EXIT=$?',
  ].join(' ');
}

export interface Pane {
  target: string;
  /** Keys as tmux names them: Enter, Up, Down, C-c. */
  press(...keys: string[]): void;
  /** `text` typed literally, then Enter. */
  type(text: string): void;
  /** Everything the pane printed so far (scrollback included), wrapped lines joined. */
  screen(): string;
  /** Poll the screen every `everyMs` until `pattern` matches; fail with what the screen showed last. */
  waitForScreen(pattern: RegExp, timeoutMs?: number, everyMs?: number): Promise<string>;
}

export interface Size {
  width?: number;
  /** Tall by default, so a step screen fits on one page (a screen taller than the terminal is paged). */
  height?: number;
}

export interface TmuxServer {
  /** Any tmux command on this server; throws with tmux's message when it fails. */
  tmux(...args: string[]): string;
  /** A detached session running `command`; its pane stays after the command ends, so its tail can still be read. */
  open(session: string, command: string, size?: Size): Pane;
  /** A second window of a session (a second terminal), running `command`. */
  openWindow(target: string, command: string): Pane;
  /** Stop the server and remove its socket file. */
  close(): void;
}

export function tmuxServer(label: string): TmuxServer {
  const socket = `expose-labs-${label}-${process.pid}-${randomBytes(4).toString('hex')}`;
  const env = learnerEnv();
  const tmux = (...args: string[]): string => {
    const result = spawnSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8', env });
    if (result.status !== 0) throw new Error(`tmux ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
    return result.stdout;
  };
  const pane = (target: string): Pane => {
    const screen = () => tmux('capture-pane', '-p', '-J', '-S', '-', '-t', target).trimEnd();
    return {
      target,
      press: (...keys) => void tmux('send-keys', '-t', target, ...keys),
      type: (text) => void tmux('send-keys', '-t', target, '-l', text, ';', 'send-keys', '-t', target, 'Enter'),
      screen,
      waitForScreen: (pattern, timeoutMs, everyMs) =>
        waitUntil(screen, pattern, `the terminal ${target}`, timeoutMs, everyMs),
    };
  };
  return {
    tmux,
    open(session, command, { width = 110, height = 200 } = {}) {
      // -g options before the session exists: the first new-session starts the server with them.
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
        String(width),
        '-y',
        String(height),
        command,
      );
      return pane(`${session}:0`);
    },
    openWindow(target, command) {
      tmux('new-window', '-d', '-t', target, command);
      return pane(target);
    },
    close() {
      // tmux leaves its socket file behind after kill-server; ask where it is while the server still runs.
      const path = spawnSync('tmux', ['-L', socket, 'display-message', '-p', '#{socket_path}'], {
        encoding: 'utf8',
        env,
      }).stdout.trim();
      spawnSync('tmux', ['-L', socket, 'kill-server'], { env });
      if (path) rmSync(path, { force: true });
    },
  };
}
