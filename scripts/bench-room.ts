import { runRoomLoad } from './room-load.js';

/**
 * `npm run bench:room`: 100 simulated learners on loopback for 60 s (an event every 5 s each, on average), then a
 * burst of 50 events from each at once. Prints accepted events per second, event → page latency, and the count of
 * every event: sent, stored in the event file, shown in the room's JSON.
 */
const seconds = Number(process.env.ROOM_BENCH_SECONDS ?? 60);
const figures = await runRoomLoad({
  learners: 100,
  seconds,
  meanGapSeconds: 5,
  burstPerLearner: 50,
  log: (line) => console.log(`  ${line}`),
});
console.log(`learners: 100, steady phase: ${seconds} s, burst: 50 events per learner`);
console.log(`accepted, steady:  ${figures.steadyPerSecond.toFixed(1)} events/s`);
console.log(`accepted, burst:   ${figures.burstPerSecond.toFixed(0)} events/s`);
const ms = (l: typeof figures.steady) =>
  `p50 ${l.p50Ms.toFixed(1)} ms, p99 ${l.p99Ms.toFixed(1)} ms, max ${l.maxMs.toFixed(1)} ms`;
console.log(`event → page (SSE), steady: ${ms(figures.steady)}`);
console.log(`event → page (SSE), burst:  ${ms(figures.burst)}`);
console.log(
  `sent ${figures.sent} = stored ${figures.stored} = shown ${figures.shown} (streamed ${figures.streamed}, missing ${figures.missing})`,
);
const ok = figures.sent === figures.stored && figures.stored === figures.shown && figures.missing === 0;
if (!ok) console.log('✖ events were lost');
process.exitCode = ok ? 0 : 1;
