import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CheckDefinition, CheckResult } from '../../../src/checks/types.js';
import type { Cluster } from '../../../src/cluster/types.js';
import type { LabContext } from '../../../src/contract/context.js';
import type { Dependency } from '../../../src/contract/dependencies.js';
import { InterruptedError } from '../../../src/core/errors.js';
import type { Step } from '../../../src/engine/lab.js';
import type { StepDependencies } from '../../../src/engine/watch/dependencies.js';
import { CHEAP_ATTEMPTS_PER_SECOND, MIN_GAP_MS, StepWatch } from '../../../src/engine/watch/step-watch.js';

/**
 * The schedule of a step's re-checks, on a fake clock (the timing is the engine's): changes wake a check at once
 * however long it has waited, cheap checks repeat on a constant interval within the step's budget, others back off,
 * and watchers exist only between a first miss and the end of the step.
 */
const cluster: Cluster = {
  name: 'expose-labs',
  context: 'kind-expose-labs',
  ports: { http: 80, https: 443, nodePort: 30000, workerA: 30081, workerB: 30082 },
  kubectl: async () => {
    throw new Error('no cluster here');
  },
  kubectlLine: (args) => `kubectl ${args.join(' ')}`,
  reachability: async () => ({ hostReachesNodeNetwork: true, hostClientAddress: '127.0.0.1' }),
};

function check(deps: Dependency[]): CheckDefinition<string> {
  return {
    name: 'fake',
    network: false,
    describe: (spec) => spec,
    run: async () => ({ verdict: 'not-yet', observed: '', expected: '', command: '' }),
    dependsOn: () => deps,
  };
}

function step(...checks: Dependency[][]): Step {
  return {
    id: 's',
    title: { ko: 's', en: 's' },
    explain: { ko: '', en: '' },
    show: [],
    hint: { ko: '', en: '' },
    solution: { ko: '', en: '' },
    within: 60,
    actions: [],
    checks: checks.map((deps) => ({ name: 'fake', from: 'host', spec: 'x', def: check(deps) })),
  } as unknown as Step;
}

const ctx = (): LabContext => ({
  lang: 'en',
  cluster,
  exec: async () => {
    throw new Error('no processes here');
  },
  paths: { root: '/pkg', workspace: '/ws', hostsFile: '/etc/hosts' },
  noHosts: false,
  dryRun: false,
  signal: new AbortController().signal,
  log: { info() {}, command() {}, output() {}, warn() {}, verbose() {} },
});

/** A StepWatch whose watchers are a hand: `change()` is what a file, nudge or kubectl watch would report. */
function harness(s: Step) {
  let notify: (() => void) | undefined;
  const started: StepDependencies[] = [];
  const closed = vi.fn(async () => {});
  const watch = new StepWatch(s, ctx(), async (deps, onChange) => {
    started.push(deps);
    notify = onChange;
    return { close: closed };
  });
  return {
    watch,
    started,
    closed,
    change: () => notify?.(),
  };
}

/** An attempt that records when it ran (fake ms since the start) and passes once `passing` says so. */
function attempts(passing: () => boolean) {
  const times: number[] = [];
  const start = Date.now();
  const run = async (): Promise<CheckResult> => {
    times.push(Date.now() - start);
    return { verdict: passing() ? 'pass' : 'not-yet', observed: '', expected: '', command: '' };
  };
  return { times, run };
}

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe('StepWatch', () => {
  it('re-checks at once when something watched changes, after any wait (W = 1 … 60 s)', async () => {
    for (const waitS of [1, 5, 15, 30, 60]) {
      const h = harness(step([{ type: 'file', path: '/etc/hosts' }]));
      let done = false;
      const a = attempts(() => done);
      let passedAt: number | undefined;
      const start = Date.now();
      void h.watch.waitCheck(0, a.run, { deadlineMs: 120_000 }).then(() => (passedAt = Date.now() - start));
      await vi.advanceTimersByTimeAsync(waitS * 1000);
      done = true;
      h.change();
      // A change wakes it: no timer needs to fire beyond the minimum gap between two starts.
      await vi.advanceTimersByTimeAsync(MIN_GAP_MS);
      expect(passedAt, `W = ${waitS}`).toBeDefined();
      expect(passedAt! - waitS * 1000, `W = ${waitS}`).toBeLessThanOrEqual(MIN_GAP_MS);
      await h.watch.close();
    }
  });

  it('without a change, an ordinary check backs off to one attempt every 2 s (no busy loop)', async () => {
    const h = harness(step([{ type: 'object', resource: 'ingress', name: 'x' }]));
    const a = attempts(() => false);
    void h.watch.waitCheck(0, a.run, { deadlineMs: 30_000 });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(a.times.slice(0, 5)).toEqual([0, 250, 750, 1750, 3750]);
    // 30 s: five attempts while backing off, one every 2 s after (3.75 … 29.75 s), a last one at the deadline.
    expect(a.times.length).toBe(19);
    expect(a.times.at(-1)).toBe(30_000);
    await h.watch.close();
  });

  it('cheap checks repeat on a constant interval, all of a step within its budget of attempts a second', async () => {
    const h = harness(step([{ type: 'cheap' }], [{ type: 'cheap' }], [{ type: 'object', resource: 'svc' }]));
    const runs = [attempts(() => false), attempts(() => false), attempts(() => false)];
    runs.forEach((r, i) => void h.watch.waitCheck(i, r.run, { deadlineMs: 10_000 }));
    await vi.advanceTimersByTimeAsync(10_000);
    const cheap = runs[0]!.times.length + runs[1]!.times.length;
    expect(cheap).toBeLessThanOrEqual(CHEAP_ATTEMPTS_PER_SECOND * 10 + 2);
    expect(cheap).toBeGreaterThanOrEqual(CHEAP_ATTEMPTS_PER_SECOND * 10 - 2);
    const gaps = runs[0]!.times.slice(2).map((t, i) => t - runs[0]!.times[i + 1]!);
    expect(new Set(gaps)).toEqual(new Set([500]));
    expect(runs[2]!.times.length).toBeLessThanOrEqual(9);
    await h.watch.close();
  });

  it('a storm of changes runs a check at most once per minimum gap', async () => {
    const h = harness(step([{ type: 'file', path: '/etc/hosts' }]));
    const a = attempts(() => false);
    void h.watch.waitCheck(0, a.run, { deadlineMs: 5_000 });
    await vi.advanceTimersByTimeAsync(0);
    const storm = setInterval(() => h.change(), 1);
    await vi.advanceTimersByTimeAsync(2_000);
    clearInterval(storm);
    expect(a.times.length).toBeLessThanOrEqual(2_000 / MIN_GAP_MS + 2);
    await h.watch.close();
  });

  it('a change that happens during an attempt is not lost', async () => {
    const h = harness(step([{ type: 'file', path: '/etc/hosts' }]));
    let done = false;
    const times: number[] = [];
    const start = Date.now();
    let first = true;
    const slow = async (): Promise<CheckResult> => {
      times.push(Date.now() - start);
      const seenDone = done;
      if (first) {
        first = false;
        await vi.advanceTimersByTimeAsync(0);
      }
      await new Promise((r) => setTimeout(r, 300));
      return { verdict: seenDone ? 'pass' : 'not-yet', observed: '', expected: '', command: '' };
    };
    const result = h.watch.waitCheck(0, slow, { deadlineMs: 60_000 });
    await vi.advanceTimersByTimeAsync(5_000);
    // The second attempt is in flight (a 300 ms request) when the file changes.
    const inFlight = times.length;
    setTimeout(() => {
      done = true;
      h.change();
    }, 100);
    await vi.advanceTimersByTimeAsync(100 + 300 + MIN_GAP_MS + 300);
    expect(times.length).toBe(inFlight + 1);
    await expect(result).resolves.toMatchObject({ verdict: 'pass' });
    await h.watch.close();
  });

  it('starts its watchers only after a first miss, and none at all when the first attempt passes', async () => {
    const passing = harness(step([{ type: 'file', path: '/etc/hosts' }]));
    await passing.watch.waitCheck(0, attempts(() => true).run, { deadlineMs: 60_000 });
    await passing.watch.close();
    expect(passing.started).toEqual([]);

    const missing = harness(step([{ type: 'file', path: '/etc/hosts' }]));
    void missing.watch.waitCheck(0, attempts(() => false).run, { deadlineMs: 60_000 });
    await vi.advanceTimersByTimeAsync(0);
    expect(missing.started).toHaveLength(1);
    expect(missing.started[0]!.watched).toEqual([{ type: 'file', path: '/etc/hosts' }]);
    await missing.watch.close();
    expect(missing.closed).toHaveBeenCalledTimes(1);
  });

  it('the deadline still ends the wait, and an abort ends it with InterruptedError', async () => {
    const h = harness(step([{ type: 'file', path: '/etc/hosts' }]));
    let ended: number | undefined;
    const start = Date.now();
    void h.watch
      .waitCheck(0, attempts(() => false).run, { deadlineMs: 10_000 })
      .then(() => (ended = Date.now() - start));
    await vi.advanceTimersByTimeAsync(12_000);
    expect(ended).toBeGreaterThanOrEqual(10_000);
    expect(ended).toBeLessThanOrEqual(10_000 + MIN_GAP_MS);

    const controller = new AbortController();
    const waiting = h.watch.waitCheck(0, attempts(() => false).run, {
      deadlineMs: 60_000,
      signal: controller.signal,
    });
    await vi.advanceTimersByTimeAsync(3_000);
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(InterruptedError);
    await h.watch.close();
  });
});
