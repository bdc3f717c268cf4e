import { InterruptedError } from './errors.js';

/** Backoff between polls: starts at 250 ms and doubles up to 2 s, so a state that becomes true early is seen within 0.5 s. */
export function nextDelay(previous: number | undefined): number {
  if (previous === undefined) return 250;
  return Math.min(previous * 2, 2000);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new InterruptedError());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new InterruptedError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Call `attempt` until `done(result)` or the deadline passes; returns the last result.
 * The first attempt runs at once; `stop(result)` ends early (an environment problem will not heal by waiting).
 */
export async function poll<T>(
  attempt: () => Promise<T>,
  options: {
    done: (r: T) => boolean;
    stop?: (r: T) => boolean;
    deadlineMs: number;
    signal?: AbortSignal;
    onAttempt?: (r: T) => void;
  },
): Promise<T> {
  const end = Date.now() + options.deadlineMs;
  let delay: number | undefined;
  for (;;) {
    if (options.signal?.aborted) throw new InterruptedError();
    const result = await attempt();
    options.onAttempt?.(result);
    if (options.done(result) || options.stop?.(result)) return result;
    delay = nextDelay(delay);
    const left = end - Date.now();
    if (left <= 0) return result;
    await sleep(Math.min(delay, left), options.signal);
  }
}
