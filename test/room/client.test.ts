import { createServer } from 'node:net';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import {
  forgetRoom,
  parseJoinUrl,
  readMembership,
  RoomClient,
  roomFiles,
  writeMembership,
} from '../../src/room/client.js';
import { eventsFile, type RoomServer } from '../../src/room/server.js';
import { api, learner, room, stepEvent, tempDir, until } from './support.js';

let server: RoomServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A port nothing listens on (taken, then released). */
async function deadPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as { port: number };
  await new Promise((r) => probe.close(r));
  return port;
}

describe('room client (the learner side)', () => {
  it('reads the join URL room serve prints, and refuses anything else', () => {
    expect(parseJoinUrl('http://192.168.0.10:7077/?t=abcdEFGH1234')).toEqual({
      url: 'http://192.168.0.10:7077',
      token: 'abcdEFGH1234',
    });
    expect(parseJoinUrl('http://192.168.0.10:7077/')).toBeUndefined();
    expect(parseJoinUrl('file:///etc/passwd?t=abcdEFGH1234')).toBeUndefined();
    expect(parseJoinUrl('not a url')).toBeUndefined();
  });

  it('with the room unreachable, emit returns at once and events wait on disk, then arrive in order', async () => {
    const port = await deadPort();
    const seat = await learner(`http://127.0.0.1:${port}`, 'Mina', { timeoutMs: 300 });
    const started = performance.now();
    for (let i = 0; i < 20; i++) seat.emit({ type: 'step', lab: 'nodeport', step: `s${i}`, index: i, count: 20 });
    expect(performance.now() - started).toBeLessThan(50);
    const files = (seat as unknown as { files: { queue: string } }).files;
    const queued = async () => (await readFile(files.queue, 'utf8').catch(() => '')).split('\n').filter(Boolean);
    await until(async () => (await queued()).length === 20, 5000, '20 queued events');
    await new Promise((r) => setTimeout(r, 700));
    expect(await queued()).toHaveLength(20);

    // The room comes up on that port: the client's own retry delivers, no command needed.
    const dir = await tempDir();
    server = await room(dir, { port });
    await until(async () => (await api(server!.url, '/api/room')).body.events === 20, 15_000, '20 events');
    await until(async () => (await queued()).length === 0, 5000, 'an empty queue');
    const stored = (await readFile(eventsFile(dir), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).event.step);
    expect(stored).toEqual(Array.from({ length: 20 }, (_, i) => `s${i}`));
    await seat.close();
  });

  it('keeps at most maxQueue events while offline, the newest', async () => {
    const port = await deadPort();
    const seat = await learner(`http://127.0.0.1:${port}`, 'Mina', { timeoutMs: 200, maxQueue: 5 });
    for (let i = 0; i < 12; i++) seat.emit({ type: 'step', lab: 'nodeport', step: `s${i}`, index: i, count: 12 });
    await seat.close();
    const files = (seat as unknown as { files: { queue: string } }).files;
    const queued = (await readFile(files.queue, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).step);
    expect(queued).toEqual(['s7', 's8', 's9', 's10', 's11']);
  });

  it("brings back the instructor's note with its acknowledgement", async () => {
    server = await room(await tempDir());
    await api(server.url, '/api/note', { method: 'POST', body: JSON.stringify({ ko: '점심', en: 'Lunch' }) });
    const seat = await learner(server.url, 'Mina');
    expect(seat.note()).toBeUndefined();
    seat.emit(stepEvent('nodeport', 'create-service', 0));
    await until(() => seat.note(), 5000, 'the note');
    expect(seat.note()).toEqual({ ko: '점심', en: 'Lunch' });
    await seat.close();
  });

  it('forgetting the room removes its files and says how many events were still queued', async () => {
    const dir = await tempDir();
    const files = roomFiles(dir);
    const membership = {
      url: `http://127.0.0.1:${await deadPort()}`,
      token: 'abcdEFGH1234',
      seat: randomUUID(),
      name: 'Mina',
    };
    await writeMembership(files, membership);
    const seat = new RoomClient(membership, files, { timeoutMs: 100, closeMs: 200 });
    for (let i = 0; i < 3; i++) seat.emit(stepEvent('nodeport', 'create-service', 0));
    await seat.close();
    expect(readMembership(files)).toEqual(membership);
    expect(await forgetRoom(files)).toBe(3);
    expect(readMembership(files)).toBeUndefined();
    expect(await forgetRoom(files)).toBe(0);
  });

  it('keeps the membership (it holds the token) private, and a room.json that is not JSON is no room', async () => {
    const dir = await tempDir();
    const files = roomFiles(dir);
    await writeFile(files.membership, '{', { mode: 0o644 });
    expect(readMembership(files)).toBeUndefined();
    const membership = { url: 'http://127.0.0.1:7077', token: 'abcdEFGH1234', seat: randomUUID(), name: 'Mina' };
    await writeMembership(files, membership);
    expect((await stat(files.membership)).mode & 0o777).toBe(0o600);
    expect(readMembership(files)).toEqual(membership);
  });
});
