import type { CheckResult } from '../../checks/types.js';
import type { LabContext } from '../../contract/context.js';
import { InterruptedError } from '../../core/errors.js';
import { nextDelay, sleep } from '../../core/poll.js';
import type { Step } from '../lab.js';
import { stepDependencies, type StepDependencies } from './dependencies.js';
import { ChangeFeed } from './feed.js';
import { startWatchers, type Watchers } from './watchers.js';

/** Cheap checks (a loopback connect) are tried again on a constant interval: this many attempts a second per step. */
export const CHEAP_ATTEMPTS_PER_SECOND = 4;
/** However many changes arrive, one check is not started again sooner than this after its last start. */
export const MIN_GAP_MS = 100;

/** The interval of each cheap check of a step, so that together they stay within CHEAP_ATTEMPTS_PER_SECOND. */
export function cheapInterval(cheap: readonly boolean[]): number {
  return (1000 * cheap.filter(Boolean).length) / CHEAP_ATTEMPTS_PER_SECOND;
}

export interface WaitOptions {
  deadlineMs: number;
  signal?: AbortSignal;
  onAttempt?: (result: CheckResult) => void;
}

/**
 * Waiting for a step's checks to pass, driven by what they depend on rather than by a growing backoff. A check runs
 * at once; after a miss it runs again as soon as something watched changes (a file, the nudge from another
 * terminal, a cluster object), on a short constant interval when it is cheap, and otherwise on the old backoff (250 ms
 * doubling to 2 s) as a safety net. Watchers start only after a first miss, and `close` ends all of them.
 */
export class StepWatch {
  private readonly feed = new ChangeFeed();
  private starting: Promise<StepDependencies> | undefined;
  private watchers: Watchers | undefined;
  private closed = false;

  constructor(
    private readonly step: Step,
    private readonly ctx: LabContext,
    private readonly start: (deps: StepDependencies, onChange: () => void) => Promise<Watchers> = (deps, onChange) =>
      startWatchers(deps.watched, { cluster: ctx.cluster, nudgeFile: ctx.paths.nudgeFile }, onChange),
  ) {}

  /** Call `attempt` until it passes, is broken, or the deadline passes; returns the last result. */
  async waitCheck(index: number, attempt: () => Promise<CheckResult>, options: WaitOptions): Promise<CheckResult> {
    const end = Date.now() + options.deadlineMs;
    let delay: number | undefined;
    for (;;) {
      if (options.signal?.aborted) throw new InterruptedError();
      const seen = this.feed.generation;
      const began = Date.now();
      const result = await attempt();
      options.onAttempt?.(result);
      if (result.verdict === 'pass' || result.verdict === 'broken') return result;
      if (end - Date.now() <= 0) return result;
      const { cheap } = await this.started();
      delay = cheap[index] ? cheapInterval(cheap) : nextDelay(delay);
      await this.feed.next(seen, Math.max(0, Math.min(delay, end - Date.now())), options.signal);
      const gap = Math.min(MIN_GAP_MS - (Date.now() - began), end - Date.now());
      if (gap > 0) await sleep(gap, options.signal);
    }
  }

  /** Stop every watcher (and wait for kubectl watch processes to exit). Safe to call more than once. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.starting) await this.starting.catch(() => undefined);
    await this.watchers?.close();
  }

  /** Work out the dependencies and start the watchers, once per step; a failure to watch leaves the poll alone. */
  private started(): Promise<StepDependencies> {
    this.starting ??= (async () => {
      const deps = await stepDependencies(this.step, this.ctx).catch((): StepDependencies => ({
        watched: [],
        cheap: this.step.checks.map(() => false),
      }));
      if (!this.closed) {
        this.watchers = await this.start(deps, () => this.feed.notify()).catch(() => undefined);
        if (this.closed) await this.watchers?.close();
      }
      return deps;
    })();
    return this.starting;
  }
}
