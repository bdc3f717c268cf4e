import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { appendFile, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { EventSink, LearnerEvent } from '../core/learner-events.js';
import type { Text } from '../core/i18n.js';
import { writeFileAtomic } from '../platform/atomic-file.js';
import { makeFolders } from '../platform/folders.js';
import { MAX_BATCH, note as noteSchema, type WireEvent } from './schema.js';

/** A learner's place in a room, kept per cluster until `room leave` or `down`. */
const membershipSchema = z.object({
  url: z.string(),
  token: z.string(),
  seat: z.uuid(),
  name: z.string(),
  note: noteSchema.optional(),
});
export type Membership = z.infer<typeof membershipSchema>;

export interface RoomFiles {
  membership: string;
  queue: string;
}

/** The token and the queue are the learner's alone, whatever mode an older file had. */
const PRIVATE = { mode: 0o600, replaceMode: true };

/** Both files live in the cluster's folder (beside progress.json). */
export function roomFiles(clusterDir: string): RoomFiles {
  return { membership: join(clusterDir, 'room.json'), queue: join(clusterDir, 'room-queue.jsonl') };
}

/** `http://host:port/?t=TOKEN` (what `room serve` prints) → where to send and with which token. */
export function parseJoinUrl(text: string): { url: string; token: string } | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  const token = url.searchParams.get('t') ?? url.searchParams.get('token');
  if (!/^https?:$/.test(url.protocol) || !token || !/^[A-Za-z0-9_-]{8,200}$/.test(token)) return undefined;
  return { url: url.origin, token };
}

/** Undefined when there is none, or when what is there is not a membership (not even JSON): it is not a room. */
export function readMembership(files: RoomFiles): Membership | undefined {
  if (!existsSync(files.membership)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(files.membership, 'utf8'));
  } catch {
    return undefined;
  }
  const parsed = membershipSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

export async function writeMembership(files: RoomFiles, membership: Membership): Promise<void> {
  await makeFolders(dirname(files.membership));
  await writeFileAtomic(files.membership, Buffer.from(JSON.stringify(membership, null, 2) + '\n'), PRIVATE);
}

async function readQueue(file: string): Promise<WireEvent[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as WireEvent];
      } catch {
        return [];
      }
    });
}

/** Leave the room: forget it and drop what was not sent. Returns how many events were still queued. */
export async function forgetRoom(files: RoomFiles): Promise<number> {
  const unsent = (await readQueue(files.queue)).length;
  await rm(files.membership, { force: true });
  await rm(files.queue, { force: true });
  return unsent;
}

export interface ClientOptions {
  /** Events kept on disk while the room is unreachable; the oldest go first past this. */
  maxQueue?: number;
  /** One request's time limit. */
  timeoutMs?: number;
  /** How long `close` may hold the end of a command for the last events. */
  closeMs?: number;
  fetch?: typeof globalThis.fetch;
}

/**
 * The room as seen from a learner's laptop. `emit` writes the event to a queue file and returns; sending happens
 * in the background, in order, in batches, retried with backoff while the room is unreachable, and never makes a
 * step wait. The queue outlives the process, so the next command sends what this one could not.
 */
export class RoomClient implements EventSink {
  private chain: Promise<unknown> = Promise.resolve();
  private sending: Promise<void> | undefined;
  private retry: NodeJS.Timeout | undefined;
  private again = false;
  private backoffMs = 500;
  /** Lines in the queue file, once read: saves reading it back on every event. */
  private queued: number | undefined;
  private closed = false;
  private readonly inflight = new AbortController();
  private readonly maxQueue: number;
  private readonly fetch: typeof globalThis.fetch;
  /** Events accepted by the room in this process (tests and the load script count them). */
  acknowledged = 0;

  constructor(
    private membership: Membership,
    private readonly files: RoomFiles,
    private readonly options: ClientOptions = {},
  ) {
    this.maxQueue = options.maxQueue ?? 1000;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  /** The events as the room will receive them: exactly what the consent screen shows. */
  wire(event: LearnerEvent): WireEvent {
    const { seat, name } = this.membership;
    return { id: randomUUID(), seat, name, at: new Date().toISOString(), ...event };
  }

  emit(event: LearnerEvent): void {
    this.send(this.wire(event));
  }

  /** Queue one event exactly as built by `wire` (the load script follows each id from here to the page). */
  send(wire: WireEvent): void {
    void this.serial(async () => {
      await appendFile(this.files.queue, JSON.stringify(wire) + '\n', { mode: 0o600 });
      this.queued = (this.queued ?? (await readQueue(this.files.queue)).length - 1) + 1;
      if (this.queued > this.maxQueue) await this.rewrite((await readQueue(this.files.queue)).slice(-this.maxQueue));
    });
    this.kick();
  }

  note(): Text | undefined {
    const n = this.membership.note;
    return n && (n.ko || n.en) ? { ko: n.ko || n.en, en: n.en || n.ko } : undefined;
  }

  /** Send what is queued now (also what an earlier run left). */
  kick(): void {
    if (this.closed) return;
    if (this.sending) {
      // The running round may already have read an empty queue: it must look again before it ends.
      this.again = true;
      return;
    }
    clearTimeout(this.retry);
    this.retry = undefined;
    this.again = false;
    this.sending = this.sendAll()
      .catch(() => undefined)
      .finally(() => {
        this.sending = undefined;
        if (this.again && this.retry === undefined) this.kick();
      });
  }

  async close(): Promise<void> {
    this.kick();
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, this.options.closeMs ?? 1500).unref());
    await Promise.race([Promise.all([this.chain, this.sending]), deadline]);
    this.closed = true;
    clearTimeout(this.retry);
    this.inflight.abort();
    await this.chain;
  }

  private serial<T>(task: () => Promise<T>): Promise<T | undefined> {
    const next = this.chain.then(task, task);
    this.chain = next.catch(() => undefined);
    return next.catch(() => undefined);
  }

  private async rewrite(events: WireEvent[]): Promise<void> {
    await writeFileAtomic(this.files.queue, Buffer.from(events.map((e) => JSON.stringify(e) + '\n').join('')), PRIVATE);
    this.queued = events.length;
  }

  private async sendAll(): Promise<void> {
    for (;;) {
      const batch = ((await this.serial(() => readQueue(this.files.queue))) ?? []).slice(0, MAX_BATCH);
      if (batch.length === 0 || this.closed) return;
      // Nothing here may reject: an unhandled rejection would end the learner's session, the room is not worth it.
      const waitMs = await this.post(batch).catch(() => this.backoff());
      if (waitMs > 0) {
        if (!this.closed)
          this.retry = setTimeout(() => {
            this.retry = undefined;
            this.kick();
          }, waitMs).unref();
        return;
      }
    }
  }

  /** One batch; 0 when it was acknowledged, else how long to wait before trying again. */
  private async post(batch: WireEvent[]): Promise<number> {
    let res: Response;
    try {
      res = await this.fetch(`${this.membership.url}/api/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.membership.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events: batch }),
        signal: AbortSignal.any([this.inflight.signal, AbortSignal.timeout(this.options.timeoutMs ?? 2000)]),
      });
    } catch {
      return this.backoff();
    }
    if (res.status === 429) return Number(res.headers.get('retry-after') ?? 1) * 1000;
    if (res.status === 400) {
      // The room refuses these events for good (another version of the tool): drop them, do not resend forever.
      const refused = new Set(batch.map((e) => e.id));
      await this.serial(async () =>
        this.rewrite((await readQueue(this.files.queue)).filter((e) => !refused.has(e.id))),
      );
      return 0;
    }
    if (!res.ok) return this.backoff();
    const body = (await res.json()) as { accepted: string[]; note: Text | null };
    const accepted = new Set(body.accepted);
    await this.serial(async () => this.rewrite((await readQueue(this.files.queue)).filter((e) => !accepted.has(e.id))));
    this.acknowledged += accepted.size;
    this.backoffMs = 500;
    const note = body.note ?? undefined;
    if (JSON.stringify(note) !== JSON.stringify(this.membership.note)) {
      this.membership = { ...this.membership, note };
      await writeMembership(this.files, this.membership).catch(() => undefined);
    }
    return 0;
  }

  private backoff(): number {
    const wait = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, 15_000);
    return wait;
  }
}
