import { InterruptedError } from '../../core/errors.js';

/**
 * "Something a step depends on changed": a counter every watcher bumps, and a way to wait for the next bump with a
 * time limit. A waiter that saw an older count returns at once, so a change during an attempt is never lost.
 */
export class ChangeFeed {
  private count = 0;
  private readonly waiters = new Set<() => void>();

  get generation(): number {
    return this.count;
  }

  notify(): void {
    this.count += 1;
    for (const wake of [...this.waiters]) wake();
  }

  /**
   * Resolve with `true` at the first change after `seen` (at once if there was one already), `false` after
   * `timeoutMs`; reject with InterruptedError when `signal` aborts. Nothing is left registered afterwards.
   */
  next(seen: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return Promise.reject(new InterruptedError());
    if (this.count !== seen) return Promise.resolve(true);
    return new Promise((resolve, reject) => {
      const finish = (changed: boolean | undefined) => {
        clearTimeout(timer);
        this.waiters.delete(onChange);
        signal?.removeEventListener('abort', onAbort);
        if (changed === undefined) reject(new InterruptedError());
        else resolve(changed);
      };
      const onChange = () => finish(true);
      const onAbort = () => finish(undefined);
      const timer = setTimeout(() => finish(false), timeoutMs);
      this.waiters.add(onChange);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
