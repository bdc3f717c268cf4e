import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { packageRoot } from '../src/platform/paths.js';
import { RoomClient, roomFiles } from '../src/room/client.js';
import type { LearnerEvent } from '../src/core/learner-events.js';

/**
 * Simulated learners against a real `expose-labs room serve` process on loopback: the load behind
 * `npm run bench:room` and the load and fault tests. Every event is followed from the laptop that sent it, through
 * the event file, to the Server-Sent Events stream the page redraws from.
 */
export interface LoadOptions {
  learners: number;
  seconds: number;
  /** Mean seconds between one learner's events: a step, a check, a hint every few seconds is a busy workshop. */
  meanGapSeconds: number;
  /** Events each learner sends at once at the end (the room's Wi-Fi comes back and every queue empties). */
  burstPerLearner: number;
  /** SIGKILL the server this many seconds in, and start it again with --resume after `downSeconds`. */
  killAt?: number;
  downSeconds?: number;
  log?: (line: string) => void;
}

export interface Latency {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface LoadFigures {
  sent: number;
  /** Distinct events in the event file, and how many sent ones it lacks. */
  stored: number;
  missing: number;
  /** Events in the room's JSON, which the page draws. */
  shown: number;
  /** Sent events whose id came through the page's SSE stream. */
  streamed: number;
  /** Events the server acknowledged before it was killed, and how many of those the event file lacks after. */
  ackedBeforeKill: number;
  /** Events sent while the server was down (queued on the laptops), all of which must arrive after the restart. */
  sentWhileDown: number;
  lostAcked: number;
  steadyPerSecond: number;
  burstPerSecond: number;
  /** Event → page (its SSE frame), while the room runs at the workshop rate. */
  steady: Latency;
  /** The same during the burst, where most of it is waiting in the learners' queues. */
  burst: Latency;
}

const CLI = join(packageRoot(), 'dist', 'src', 'bin.js');
const TOKEN = 'load-test-token';

interface Served {
  child: ChildProcess;
  url: string;
  admin: string;
}

async function serve(dir: string, port: number, resume: boolean): Promise<Served> {
  const args = [CLI, 'room', 'serve', '--bind', '127.0.0.1', '--port', String(port), '--token', TOKEN, '--dir', dir];
  const child = spawn(process.execPath, resume ? [...args, '--resume'] : args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', EXPOSE_LABS_LANG: 'en', EXPOSE_LABS_HOME: join(dir, 'home') },
  });
  started.children.add(child);
  child.once('exit', () => started.children.delete(child));
  let output = '';
  child.stderr.on('data', (chunk) => (output += String(chunk)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += String(chunk);
      const match = /(http:\/\/127\.0\.0\.1:\d+)\/#token=/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`room serve exited ${code}: ${output}`)));
  });
  const config = JSON.parse(await readFile(join(dir, 'room.json'), 'utf8')) as { adminToken: string };
  return { child, url, admin: config.adminToken };
}

/**
 * The page's view of the room: the SSE stream, read in a worker thread so that its clock is not held up by the
 * hundred simulated laptops sharing the main thread. Each accepted id comes back with the time it was read.
 */
const WATCHER = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const res = await fetch(workerData.url + '/api/stream?token=' + workerData.admin);
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end;
    while ((end = buffer.indexOf('\\n\\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (frame.startsWith('retry:')) parentPort.postMessage({ ready: true });
      const data = /^event: events\\ndata: (.*)$/m.exec(frame);
      if (data) parentPort.postMessage({ ids: JSON.parse(data[1]).ids, at: performance.timeOrigin + performance.now() });
    }
  }
})().catch(() => {});
`;

/** Resolves once the stream is open, so no event is accepted before the page could see it. */
async function watch(url: string, admin: string, seen: Map<string, number>): Promise<{ abort(): void }> {
  const worker = new Worker(WATCHER, { eval: true, workerData: { url, admin } });
  started.workers.add(worker);
  worker.once('exit', () => started.workers.delete(worker));
  await new Promise<void>((ready) =>
    worker.on('message', (message: { ready?: true; ids: string[]; at: number }) => {
      if (message.ready) return ready();
      for (const id of message.ids) seen.set(id, message.at);
    }),
  );
  return { abort: () => void worker.terminate() };
}

/** Milliseconds on the clock the worker uses too. */
const now = () => performance.timeOrigin + performance.now();

/** A learner's round: a step entered, a failing check, a hint, a passing check, the next step. */
const ROUND: LearnerEvent[] = [
  { type: 'step', lab: 'nodeport', step: 'create-service', index: 0, count: 2 },
  {
    type: 'check',
    lab: 'nodeport',
    step: 'create-service',
    passed: false,
    checks: [{ title: 'GET /', verdict: 'not-yet', failure: 'refused', observed: 'connection refused' }],
  },
  { type: 'hint', lab: 'nodeport', step: 'create-service' },
  { type: 'check', lab: 'nodeport', step: 'create-service', passed: true, checks: [] },
  { type: 'step', lab: 'nodeport', step: 'reach-it', index: 1, count: 2 },
];
const EVENTS = (i: number): LearnerEvent => ROUND[i % ROUND.length]!;

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a run started, stopped however it ends: a failed run must not leave a server or a thread behind. */
const started = { children: new Set<ChildProcess>(), workers: new Set<Worker>() };

export async function runRoomLoad(options: LoadOptions): Promise<LoadFigures> {
  try {
    return await load(options);
  } finally {
    for (const child of started.children) child.kill('SIGKILL');
    for (const worker of started.workers) void worker.terminate();
  }
}

async function load(options: LoadOptions): Promise<LoadFigures> {
  const log = options.log ?? (() => {});
  const dir = await mkdtemp(join(tmpdir(), 'expose-labs-room-load-'));
  let served = await serve(dir, 0, false);
  const port = Number(new URL(served.url).port);
  const seen = new Map<string, number>();
  let watcher = await watch(served.url, served.admin, seen);
  const emitted = new Map<string, number>();
  /** Ids the server acknowledged, and whether the kill had happened yet. */
  const acked = new Map<string, boolean>();
  let killed = false;
  const outage = { from: Infinity, to: Infinity };
  let upAgain = Infinity;
  const countingFetch: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    if (res.ok) {
      const body = (await res.clone().json()) as { accepted: string[] };
      for (const id of body.accepted) if (!acked.has(id)) acked.set(id, killed);
    }
    return res;
  };
  const seats = await Promise.all(
    Array.from({ length: options.learners }, async (_, i) => {
      const home = await mkdtemp(join(tmpdir(), 'expose-labs-seat-'));
      const client = new RoomClient(
        { url: served.url, token: TOKEN, seat: randomUUID(), name: `learner ${i + 1}` },
        roomFiles(home),
        { fetch: countingFetch, timeoutMs: 2000, maxQueue: 10_000 },
      );
      return client;
    }),
  );
  const emit = (client: RoomClient, n: number) => {
    const event = client.wire(EVENTS(n));
    emitted.set(event.id, now());
    client.send(event);
  };

  const start = performance.now();
  const end = start + options.seconds * 1000;
  let counter = 0;
  const loops = seats.map(async (client) => {
    await sleep(Math.random() * options.meanGapSeconds * 1000);
    while (performance.now() < end) {
      emit(client, counter++);
      await sleep(Math.min(Math.random() * 2 * options.meanGapSeconds * 1000, Math.max(0, end - performance.now())));
    }
  });
  const fault = (async () => {
    if (options.killAt === undefined) return;
    await sleep(options.killAt * 1000);
    served.child.kill('SIGKILL');
    killed = true;
    outage.from = now();
    watcher.abort();
    log(`SIGKILL at ${options.killAt}s; ${acked.size} events acknowledged so far`);
    await new Promise((r) => served.child.once('exit', r));
    await sleep((options.downSeconds ?? 1) * 1000);
    served = await serve(dir, port, true);
    upAgain = now();
    watcher = await watch(served.url, served.admin, seen);
    // Until every queue has caught up after the restart (their backoff), latency says nothing about the room.
    outage.to = now() + 20_000;
    log(`restarted with --resume`);
  })();
  await Promise.all([...loops, fault]);
  const steadySent = emitted.size;
  const steadyMs = performance.now() - start;
  const delivered = () => [...emitted.keys()].every((id) => acked.has(id));
  await until(delivered, 60_000, () => `${acked.size}/${emitted.size} acknowledged`);
  const steadyPerSecond = (steadySent / steadyMs) * 1000;
  log(`steady: ${steadySent} events in ${(steadyMs / 1000).toFixed(1)} s`);

  const burstStart = performance.now();
  for (const client of seats) for (let i = 0; i < options.burstPerLearner; i++) emit(client, i);
  await until(
    delivered,
    120_000,
    () => `${[...emitted.keys()].filter((id) => acked.has(id)).length}/${emitted.size} acknowledged`,
  );
  await until(
    () => options.killAt !== undefined || seen.size >= emitted.size,
    10_000,
    () => `${seen.size}/${emitted.size} on the page`,
  );
  const burstMs = performance.now() - burstStart;
  const burstPerSecond = ((emitted.size - steadySent) / burstMs) * 1000;
  log(`burst: ${emitted.size - steadySent} events in ${(burstMs / 1000).toFixed(1)} s`);

  await Promise.all(seats.map((s) => s.close()));
  const lines = (await readFile(join(dir, 'events.jsonl'), 'utf8')).split('\n').filter(Boolean);
  const storedIds = new Set(lines.map((l) => (JSON.parse(l) as { event?: { id: string } }).event?.id).filter(Boolean));
  const room = (await (
    await fetch(`${served.url}/api/room`, { headers: { authorization: `Bearer ${served.admin}` } })
  ).json()) as {
    events: number;
  };
  watcher.abort();
  served.child.kill('SIGTERM');
  await new Promise((r) => served.child.once('exit', r));
  const beforeKill = [...acked].filter(([, after]) => !after).map(([id]) => id);
  // Latency counts events the server took while it was up; those sent into the outage wait there by design.
  const latency = (ids: string[]): Latency => {
    const values = ids
      .filter((id) => seen.has(id) && !(emitted.get(id)! >= outage.from && emitted.get(id)! <= outage.to))
      .map((id) => seen.get(id)! - emitted.get(id)!);
    return { p50Ms: percentile(values, 50), p99Ms: percentile(values, 99), maxMs: percentile(values, 100) };
  };
  const ids = [...emitted.keys()];
  return {
    sent: emitted.size,
    stored: storedIds.size,
    missing: [...emitted.keys()].filter((id) => !storedIds.has(id)).length,
    shown: room.events,
    streamed: [...emitted.keys()].filter((id) => seen.has(id)).length,
    ackedBeforeKill: options.killAt === undefined ? 0 : beforeKill.length,
    sentWhileDown: [...emitted.values()].filter((t) => t >= outage.from && t <= upAgain).length,
    lostAcked: beforeKill.filter((id) => !storedIds.has(id)).length,
    steadyPerSecond,
    burstPerSecond,
    steady: latency(ids.slice(0, steadySent)),
    burst: latency(ids.slice(steadySent)),
  };
}

async function until(done: () => boolean, ms: number, state: () => string): Promise<void> {
  const deadline = performance.now() + ms;
  while (!done()) {
    if (performance.now() > deadline) throw new Error(`timed out: ${state()}`);
    await sleep(50);
  }
}
