import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import type { ClusterOptions } from '../../src/cluster/types.js';
import type { Reporter } from '../../src/core/reporter.js';
import { createExec } from '../../src/platform/exec.js';
import { createDoubleProvider, freeHostPorts } from '../support/cluster-double/index.js';
import { captureIo } from '../support/capture-io.js';

/**
 * `room serve` and a learner's `start --auto --room …` through `main`, the lab walked on the cluster double: the
 * room's JSON (what the page draws) shows each step as the learner reaches it.
 */
const provider = createDoubleProvider();
const reporter: Reporter = { task: (_title, run) => run(new AbortController().signal), note: () => {} };
const stopRoom = new AbortController();
let options: ClusterOptions;
let flags: string[];
let dir: string;
let served: Promise<number>;
let roomUrl: string;
let joinUrl: string;
let admin: string;

beforeAll(async () => {
  const ports = await freeHostPorts();
  dir = await mkdtemp(join(tmpdir(), 'expose-labs-room-e2e-'));
  await writeFile(join(dir, 'hosts'), '127.0.0.1 localhost\n');
  options = { name: 'expose-labs', ports, keepOnFailure: false, yes: true, dryRun: false, verbose: false };
  flags = [
    ...['--http-port', String(ports.http), '--https-port', String(ports.https)],
    ...['--nodeport-port', String(ports.nodePort), '--worker-a-port', String(ports.workerA)],
    ...['--worker-b-port', String(ports.workerB), '--hosts-file', join(dir, 'hosts'), '--lang', 'en'],
  ];
  const instructor = captureIo({ EXPOSE_LABS_HOME: join(dir, 'instructor') });
  served = main(['room', 'serve', '--bind', '127.0.0.1', '--port', '0', '--dir', join(dir, 'room'), '--lang', 'en'], {
    io: instructor.io,
    signal: stopRoom.signal,
  });
  for (let i = 0; i < 200 && !/#token=/.test(instructor.stdout()); i++) await new Promise((r) => setTimeout(r, 25));
  joinUrl = /--room '([^']+)'/.exec(instructor.stdout())![1]!;
  const page = /(http:\/\/127\.0\.0\.1:\d+)\/#token=(\S+)/.exec(instructor.stdout())!;
  [roomUrl, admin] = [page[1]!, page[2]!];
});

afterAll(async () => {
  stopRoom.abort();
  // Ctrl-C is how a room is stopped; like every interrupted command it exits 130 (after closing the room).
  expect(await served).toBe(130);
  await provider.down(options, reporter, new AbortController().signal);
});

async function cli(...argv: string[]) {
  const t = captureIo({ EXPOSE_LABS_HOME: join(dir, 'learner') });
  const code = await main([...argv, ...flags], {
    io: t.io,
    deps: { provider: async () => provider, exec: createExec() },
  });
  return { code, stdout: t.stdout(), stderr: t.stderr() };
}

async function roomJson() {
  const res = await fetch(`${roomUrl}/api/room`, { headers: { authorization: `Bearer ${admin}` } });
  return (await res.json()) as {
    events: number;
    seats: { name: string; done: string[]; finished: string[]; step: string | null; last: { checks: unknown[] } }[];
  };
}

async function storedTypes(): Promise<string[]> {
  const lines = (await readFile(join(dir, 'room', 'events.jsonl'), 'utf8')).trim().split('\n');
  return lines
    .map((l) => JSON.parse(l))
    .flatMap((r) => (r.kind === 'event' ? [`${r.event.type}:${r.event.step ?? ''}`] : []));
}

describe('start --room on the cluster double', () => {
  it('without --yes and no terminal, nothing is sent: consent must be given', async () => {
    const { code, stdout, stderr } = await cli(
      'start',
      'nodeport',
      '--auto',
      '--skip-doctor',
      '--room',
      joinUrl,
      '--room-name',
      'Mina',
    );
    // No terminal to ask for consent on: a flag is missing, a usage error.
    expect(code).toBe(2);
    expect(stdout).toContain('Only events like these are sent');
    expect(stderr).toContain('--yes');
    expect((await roomJson()).events).toBe(0);
    expect(existsSync(join(dir, 'learner', 'expose-labs', 'room.json'))).toBe(false);
  });

  it(
    'start --auto --room walks the lab; the room shows each step, verdict and the end',
    { timeout: 120_000 },
    async () => {
      const note = await fetch(`${roomUrl}/api/note`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ko: '10시 반에 쉽니다', en: 'Break at 10:30' }),
      });
      expect(note.status).toBe(200);
      const { code, stdout, stderr } = await cli(
        'start',
        'nodeport',
        '--auto',
        '--yes',
        '--skip-doctor',
        '--room',
        joinUrl,
        '--room-name',
        'Mina',
      );
      expect(code, stderr).toBe(0);
      expect(stdout).toContain('"name":"Mina"');
      expect(stdout).toContain('📣 Break at 10:30');
      const seat = (await roomJson()).seats.find((s) => s.name === 'Mina')!;
      expect(seat.done).toEqual(['nodeport/create-service', 'nodeport/unmapped-port']);
      expect(seat.finished).toEqual(['nodeport']);
      expect(await storedTypes()).toEqual([
        'hello:',
        'step:create-service',
        'check:create-service',
        'step:unmapped-port',
        'check:unmapped-port',
        'finished:',
      ]);
    },
  );

  it('the room is remembered for the cluster; goto reports; room leave forgets it', { timeout: 120_000 }, async () => {
    const again = await cli('goto', 'nodeport/unmapped-port');
    expect(again.code, again.stderr).toBe(0);
    expect((await storedTypes()).at(-1)).toBe('goto:unmapped-port');
    const left = await cli('room', 'leave');
    expect(left.stdout).toContain('You left the room');
    const before = (await roomJson()).events;
    expect((await cli('goto', 'nodeport/unmapped-port')).code).toBe(0);
    expect((await roomJson()).events).toBe(before);
  });

  it('room export writes CSV and the status --report JSON per learner', async () => {
    const csv = join(dir, 'room.csv');
    const json = join(dir, 'room.json');
    expect((await cli('room', 'export', csv, '--dir', join(dir, 'room'))).code).toBe(0);
    expect((await cli('room', 'export', json, '--dir', join(dir, 'room'))).code).toBe(0);
    expect(await readFile(csv, 'utf8')).toMatch(/^name,imported,done,current,nodeport\/create-service,/);
    const report = JSON.parse(await readFile(json, 'utf8'));
    expect(report.learners[0]).toMatchObject({ name: 'Mina' });
    expect(report.learners[0].labs[0]).toMatchObject({
      id: 'nodeport',
      done: 2,
      total: 2,
      finishedAt: expect.any(String),
    });
    expect(report.learners[0].labs[1]).toMatchObject({ id: 'loadbalancer', done: 0 });
  });

  it('room import takes a learner hand-in from status --report', async () => {
    const file = join(dir, 'Jun.json');
    expect((await cli('status', '--report', file)).code).toBe(0);
    const imported = await cli('room', 'import', file, '--dir', join(dir, 'room'));
    expect(imported.code, imported.stderr).toBe(0);
    const jun = (await roomJson()).seats.find((s) => s.name === 'Jun')!;
    // After goto nodeport/unmapped-port the learner's own progress has the first step done, the second open.
    expect(jun.done).toEqual(['nodeport/create-service']);
    const bad = await cli('room', 'import', join(dir, 'hosts'), '--dir', join(dir, 'room'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('not a .json report from status --report');
  });

  it('bad room input is a usage error with a one-line message', async () => {
    const action = await cli('room', 'dance');
    expect(action.code).toBe(2);
    expect(action.stderr).toContain('room takes serve, leave, import or export');
    const url = await cli('start', 'nodeport', '--auto', '--yes', '--skip-doctor', '--room', 'http://example/');
    expect(url.code).toBe(2);
    expect(url.stderr).toContain('Not a room join URL');
    const name = await cli('start', 'nodeport', '--auto', '--yes', '--skip-doctor', '--room', joinUrl);
    expect(name.code).toBe(2);
    expect(name.stderr).toContain('--room-name');
    expect(name.stderr).not.toMatch(/\n\s+at /);
  });

  it('down forgets the room along with the cluster', { timeout: 120_000 }, async () => {
    const joined = await cli(
      'start',
      'nodeport',
      '--auto',
      '--yes',
      '--skip-doctor',
      '--room',
      joinUrl,
      '--room-name',
      'Mina',
    );
    expect(joined.code, joined.stderr).toBe(0);
    const membership = join(dir, 'learner', 'expose-labs', 'room.json');
    expect(existsSync(membership)).toBe(true);
    const down = await cli('down', '--yes');
    expect(down.code, down.stderr).toBe(0);
    expect(existsSync(membership)).toBe(false);
  });
});
