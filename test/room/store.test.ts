import { randomUUID } from 'node:crypto';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventStore, replay, type StoredRecord } from '../../src/room/store.js';
import { tempDir, wire } from './support.js';

const record = (seat: string): StoredRecord => ({ kind: 'event', rx: Date.now(), event: wire(seat) as never });

describe('room event store', () => {
  it('appends concurrently (group commit) and replays every record in order', async () => {
    const file = join(await tempDir(), 'events.jsonl');
    const store = await EventStore.open(file);
    const seat = randomUUID();
    const records = Array.from({ length: 200 }, () => record(seat));
    await Promise.all(records.map((r) => store.append([r])));
    await store.close();
    const back = await replay(file);
    expect(back.records.map((r) => (r.kind === 'event' ? r.event.id : ''))).toEqual(
      records.map((r) => (r.kind === 'event' ? r.event.id : '')),
    );
    expect(back).toMatchObject({ skipped: 0, tornBytes: 0 });
  });

  it('skips and counts a line that is not a record; cuts a torn last line off the file', async () => {
    const file = join(await tempDir(), 'events.jsonl');
    const store = await EventStore.open(file);
    await store.append([record(randomUUID())]);
    await store.close();
    await appendFile(file, '{"kind":"event","rx":1,"event":{"id":"x"}}\n{"kind":"ev');
    const back = await replay(file);
    expect(back).toMatchObject({ skipped: 1, tornBytes: 11 });
    expect(back.records).toHaveLength(1);
    expect((await readFile(file, 'utf8')).endsWith('\n')).toBe(true);
  });

  it('after a failed write it refuses every later append (they would join a half-written line)', async () => {
    const file = join(await tempDir(), 'events.jsonl');
    const store = await EventStore.open(file);
    await (store as unknown as { handle: { close(): Promise<void> } }).handle.close();
    await expect(store.append([record(randomUUID())])).rejects.toThrow();
    await expect(store.append([record(randomUUID())])).rejects.toThrow();
  });

  it('a missing file replays as an empty room', async () => {
    expect(await replay(join(await tempDir(), 'none.jsonl'))).toEqual({ records: [], skipped: 0, tornBytes: 0 });
  });
});
