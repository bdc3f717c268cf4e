import { open, readFile, truncate, type FileHandle } from 'node:fs/promises';
import { z } from 'zod';
import { note, wireEvent } from './schema.js';
import { importedReport } from './report.js';

/** One line of the room's event file: what arrived and when the server took it (its own clock). */
export const storedRecord = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('event'), rx: z.number(), event: wireEvent }),
  z.object({ kind: z.literal('note'), rx: z.number(), note }),
  z.object({ kind: z.literal('report'), rx: z.number(), report: importedReport }),
]);
export type StoredRecord = z.infer<typeof storedRecord>;

export interface Replay {
  records: StoredRecord[];
  /** Lines that were not records (a hand edit, another tool): skipped, counted, never silently. */
  skipped: number;
  /** Bytes of a last line cut short by a crash, removed: it was never acknowledged (see append). */
  tornBytes: number;
}

/** Read an event file back. A last line without its newline was being written when the server died. */
export async function replay(file: string): Promise<Replay> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], skipped: 0, tornBytes: 0 };
    throw error;
  }
  const end = text.lastIndexOf('\n') + 1;
  const tornBytes = Buffer.byteLength(text.slice(end));
  if (tornBytes > 0) await truncate(file, Buffer.byteLength(text.slice(0, end)));
  const records: StoredRecord[] = [];
  let skipped = 0;
  for (const line of text.slice(0, end).split('\n')) {
    if (!line) continue;
    try {
      records.push(storedRecord.parse(JSON.parse(line)));
    } catch {
      skipped++;
    }
  }
  return { records, skipped, tornBytes };
}

/**
 * The append-only event file. Every `append` resolves only after its lines are written and fsynced, so whatever the
 * server acknowledged survives a SIGKILL or a power cut. Appends that arrive while a write is under way are written
 * together (group commit): one fsync serves every request waiting, which is what keeps a burst cheap.
 */
export class EventStore {
  private pending: { lines: string; done: () => void; fail: (error: unknown) => void }[] = [];
  private writing = false;
  private failed: Error | undefined;

  private constructor(private readonly handle: FileHandle) {}

  static async open(file: string): Promise<EventStore> {
    return new EventStore(await open(file, 'a', 0o600));
  }

  append(records: StoredRecord[]): Promise<void> {
    // After a failed write the file may end in half a line: appending more would glue acknowledged records to it.
    if (this.failed) return Promise.reject(this.failed);
    const lines = records.map((r) => JSON.stringify(r) + '\n').join('');
    return new Promise((done, fail) => {
      this.pending.push({ lines, done, fail });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        await this.handle.write(batch.map((b) => b.lines).join(''));
        await this.handle.sync();
        for (const b of batch) b.done();
      } catch (error) {
        this.failed = error instanceof Error ? error : new Error(String(error));
        for (const b of [...batch, ...this.pending]) b.fail(error);
        this.pending = [];
      }
    }
    this.writing = false;
  }

  async close(): Promise<void> {
    while (this.writing || this.pending.length > 0) await new Promise((r) => setTimeout(r, 5));
    await this.handle.close();
  }
}
