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

// The fault: the server SIGKILLed under the same load and started again with --resume.
const fault = await runRoomLoad({
  learners: 100,
  seconds: 20,
  meanGapSeconds: 5,
  burstPerLearner: 10,
  killAt: 8,
  downSeconds: 3,
  log: (line) => console.log(`  ${line}`),
});
console.log(`fault: SIGKILL at 8 s, down 3 s, restarted with --resume`);
console.log(`  acknowledged before the kill: ${fault.ackedBeforeKill}, of them lost: ${fault.lostAcked}`);
console.log(`  sent while the room was down (queued on the laptops): ${fault.sentWhileDown}`);
console.log(`  sent ${fault.sent} = stored ${fault.stored} = shown ${fault.shown} (missing ${fault.missing})`);

const ok = [figures, fault].every((f) => f.sent === f.stored && f.stored === f.shown && f.missing === 0);
if (!ok || fault.lostAcked > 0) console.log('✖ events were lost');
process.exitCode = ok && fault.lostAcked === 0 ? 0 : 1;
