import { describe, expect, it } from 'vitest';
import { runRoomLoad } from '../../scripts/room-load.js';

/**
 * The short versions of `npm run bench:room` (100 learners, 60 s): a real `room serve` process (the built CLI) on
 * loopback, 100 simulated learners through the real client. Every event sent must be stored and shown, once.
 */
describe('room under load (loopback)', () => {
  it('100 learners for 10 s, then a burst: sent = stored = shown', { timeout: 120_000 }, async () => {
    const figures = await runRoomLoad({ learners: 100, seconds: 10, meanGapSeconds: 5, burstPerLearner: 20 });
    expect(figures.sent).toBeGreaterThan(2000);
    expect(figures).toMatchObject({ stored: figures.sent, shown: figures.sent, streamed: figures.sent, missing: 0 });
    // Loose bounds: this shares two cores with the rest of the suite; the figures worth quoting come from the script.
    expect(figures.steady.p99Ms).toBeLessThan(2000);
    expect(figures.steadyPerSecond).toBeGreaterThan(10);
  });

  it(
    'SIGKILL during the load, restart with --resume: nothing acknowledged is lost, queued events arrive',
    { timeout: 120_000 },
    async () => {
      const figures = await runRoomLoad({
        learners: 100,
        seconds: 8,
        meanGapSeconds: 2,
        burstPerLearner: 5,
        killAt: 3,
        downSeconds: 1.5,
      });
      expect(figures.ackedBeforeKill).toBeGreaterThan(50);
      expect(figures.lostAcked).toBe(0);
      expect(figures.sentWhileDown).toBeGreaterThan(20);
      expect(figures).toMatchObject({ stored: figures.sent, shown: figures.sent, missing: 0 });
    },
  );
});
