import { EXIT, InterruptedError } from '../core/errors.js';
import { sleep } from '../core/poll.js';

/**
 * Ctrl-C routing. The innermost scope gets the interrupt first (watching checks: back to the menu); with no scope
 * open, the whole command is aborted so it can stop its child process and exit 130. A second Ctrl-C on an
 * already-aborted target leaves at once.
 */
const scopes: AbortController[] = [];
let root: AbortController | undefined;

export function installInterruptHandler(controller: AbortController, proc: NodeJS.Process = process): void {
  root = controller;
  // `on`, not `once`: execa's signal-exit hook must not re-raise the signal before cleanup has run.
  proc.on('SIGINT', () => {
    const target = scopes[scopes.length - 1] ?? root!;
    if (target.signal.aborted) proc.exit(exitCodeOf(target.signal));
    target.abort('SIGINT');
  });
  proc.on('SIGTERM', () => {
    if (root!.signal.aborted) proc.exit(EXIT.terminated);
    root!.abort('SIGTERM');
  });
}

/** 143 when SIGTERM ended the run, else 130 (Ctrl-C). */
export function exitCodeOf(signal: AbortSignal): number {
  return signal.reason === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted;
}

/** How long a command may take to clean up after the signal before the run ends without it. */
export const CLEANUP_GRACE_MS = 500;

/**
 * The command's result, unless `signal` aborts first: then it gets CLEANUP_GRACE_MS to finish what it was doing
 * (its own handlers see the same signal), and the run counts as interrupted whatever it returns. A command that
 * never looks at the signal (a key being generated) still ends within a second.
 */
export async function unlessAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) throw new InterruptedError();
  let onAbort!: () => void;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => {
      const settled = work.then(
        () => undefined,
        () => undefined,
      );
      const grace = sleep(CLEANUP_GRACE_MS);
      void Promise.race([settled, grace]).then(() => reject(new InterruptedError()));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => undefined);
  try {
    const value = await Promise.race([work, aborted]);
    if (signal.aborted) throw new InterruptedError();
    return value;
  } catch (error) {
    throw signal.aborted ? new InterruptedError() : error;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** Run `work` so that Ctrl-C aborts only it: resolves `interrupted: true` instead of leaving the program. */
export async function interruptible<T>(
  parent: AbortSignal,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<{ interrupted: true } | { interrupted: false; value: T }> {
  const controller = new AbortController();
  const follow = () => controller.abort();
  parent.addEventListener('abort', follow, { once: true });
  scopes.push(controller);
  try {
    return { interrupted: false, value: await work(controller.signal) };
  } catch (error) {
    if (controller.signal.aborted && !parent.aborted) return { interrupted: true };
    throw error;
  } finally {
    scopes.splice(scopes.indexOf(controller), 1);
    parent.removeEventListener('abort', follow);
  }
}
