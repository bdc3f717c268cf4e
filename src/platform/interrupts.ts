import { EXIT } from '../core/errors.js';

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
    if (target.signal.aborted) proc.exit(EXIT.interrupted);
    target.abort();
  });
  proc.on('SIGTERM', () => root!.abort());
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
