import { afterEach, describe, expect, it, vi } from 'vitest';
import { InterruptedError } from '../../src/core/errors.js';
import { nextDelay, poll } from '../../src/core/poll.js';

describe('poll', () => {
  it('backs off from 250 ms to at most 2 s', () => {
    const delays: number[] = [];
    let d: number | undefined;
    for (let i = 0; i < 6; i++) delays.push((d = nextDelay(d)));
    expect(delays).toEqual([250, 500, 1000, 2000, 2000, 2000]);
  });

  afterEach(() => void vi.useRealTimers());

  // The schedule is the engine's, so the clock is a fake one: no wall-clock window to flake on a busy machine.
  it('notices a state that becomes true at 300 ms on the attempt at 750 ms (0, 250, 750, …)', async () => {
    vi.useFakeTimers();
    const start = Date.now();
    const attempts: number[] = [];
    let noticed: number | undefined;
    void poll(
      async () => {
        attempts.push(Date.now() - start);
        return Date.now() - start >= 300;
      },
      { done: (r) => r, deadlineMs: 5000 },
    ).then(() => (noticed = Date.now() - start));
    await vi.advanceTimersByTimeAsync(5000);
    expect(attempts).toEqual([0, 250, 750]);
    expect(noticed).toBe(750);
  });

  it('returns the last result at the deadline and stops early when told', async () => {
    let calls = 0;
    const last = await poll(async () => ++calls, { done: () => false, deadlineMs: 600 });
    expect(last).toBe(calls);
    expect(calls).toBeGreaterThanOrEqual(2);
    const stopped = await poll(async () => 'broken', {
      done: () => false,
      stop: (r) => r === 'broken',
      deadlineMs: 5000,
    });
    expect(stopped).toBe('broken');
  });

  it('ends with InterruptedError when aborted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(
      poll(async () => false, { done: (r) => r, deadlineMs: 5000, signal: controller.signal }),
    ).rejects.toBeInstanceOf(InterruptedError);
  });
});
