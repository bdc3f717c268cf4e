import { existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { z } from 'zod';
import { BodyTooLarge, RateLimiter, readBody, SeatGate } from './limits.js';
import { roomPage } from './page.js';
import { importedReport } from './report.js';
import { eventBatch, note } from './schema.js';
import { RoomState, type RoomLab } from './state.js';
import { EventStore, replay, type Replay, type StoredRecord } from './store.js';
import { tokenMatches, tokenOf } from './token.js';

export interface RoomServerOptions {
  /** The room's folder: `events.jsonl` lives here. */
  dir: string;
  labs: RoomLab[];
  host: string;
  port: number;
  /** Learners' token: they may send events, nothing else. */
  token: string;
  /** The instructor's token: the page, the room's JSON, notes, imports and exports. */
  adminToken: string;
  minStuckMs?: number;
  /** Replay the event file (room serve --resume); otherwise the file must be new. */
  resume: boolean;
  limiter?: RateLimiter;
}

export interface RoomServer {
  url: string;
  state: RoomState;
  replayed: Replay;
  close(): Promise<void>;
}

/** How many page connections may listen at once: an instructor, a projector, a co-teacher, with slack. */
const MAX_STREAMS = 16;
/** Seats a room takes: far above a workshop, low enough that random seat ids cannot exhaust memory. */
const MAX_SEATS = 2000;

type Role = 'learner' | 'admin';

export const eventsFile = (dir: string) => join(dir, 'events.jsonl');

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(text);
}

/** Node's own http, plain JSON POSTs and Server-Sent Events: nothing else speaks to a laptop or to the page. */
export async function startRoomServer(options: RoomServerOptions): Promise<RoomServer> {
  const file = eventsFile(options.dir);
  if (!options.resume && existsSync(file) && statSync(file).size > 0)
    throw new Error(`${file} holds an earlier room: resume it or move it away first`);
  const replayed = options.resume ? await replay(file) : { records: [], skipped: 0, tornBytes: 0 };
  const state = new RoomState(options.labs, { minStuckMs: options.minStuckMs ?? 5 * 60_000 });
  for (const record of replayed.records) state.apply(record);
  const store = await EventStore.open(file);
  const limiter = options.limiter ?? new RateLimiter();
  const seatGate = new SeatGate();
  const page = roomPage();
  const streams = new Set<ServerResponse>();
  const seats = new Set(state.view(Date.now()).seats.map((s) => s.seat));

  const broadcast = (event: string, data: unknown) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const res of streams) res.write(frame);
  };

  const store$ = async (records: StoredRecord[]) => {
    await store.append(records);
    for (const record of records) state.apply(record);
  };

  const role = (req: IncomingMessage, url: URL): Role | undefined => {
    const given = tokenOf(req.headers.authorization, url);
    // Both compared every time, so the answer takes as long whichever (if any) matched.
    const admin = tokenMatches(given, options.adminToken);
    const learner = tokenMatches(given, options.token);
    return admin ? 'admin' : learner ? 'learner' : undefined;
  };

  async function postEvents(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const parsed = eventBatch.safeParse(JSON.parse(await readBody(req)));
    if (!parsed.success) return send(res, 400, { error: 'invalid events', issues: z.prettifyError(parsed.error) });
    const { events } = parsed.data;
    const seat = events[0]!.seat;
    if (events.some((e) => e.seat !== seat)) return send(res, 400, { error: 'one seat per request' });
    if (!seats.has(seat) && seats.size >= MAX_SEATS) return send(res, 503, { error: 'room full' });
    if (!seats.has(seat) && !seatGate.admit(req.socket.remoteAddress ?? '', seat))
      return send(res, 429, { error: 'too many seats from one address' }, { 'retry-after': '60' });
    const wait = limiter.take(seat, events.length);
    if (wait > 0) return send(res, 429, { error: 'slow down' }, { 'retry-after': String(Math.ceil(wait / 1000)) });
    const fresh = events.filter((e, i) => !state.has(e.id) && events.findIndex((o) => o.id === e.id) === i);
    if (fresh.length > 0) {
      const rx = Date.now();
      await store$(fresh.map((event) => ({ kind: 'event', rx, event })));
      seats.add(seat);
      broadcast('events', { ids: fresh.map((e) => e.id), total: state.events });
    }
    // Acknowledged only now: every id in this batch is on disk (fsynced), new or already there.
    send(res, 200, { accepted: events.map((e) => e.id), stored: fresh.length, note: state.note() ?? null });
  }

  async function postNote(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const parsed = note.safeParse(JSON.parse(await readBody(req, 4096)));
    if (!parsed.success) return send(res, 400, { error: 'a note is {ko, en}, 280 characters each at most' });
    await store$([{ kind: 'note', rx: Date.now(), note: parsed.data }]);
    broadcast('note', parsed.data);
    send(res, 200, { note: state.note() ?? null });
  }

  async function postImport(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const parsed = importedReport.safeParse(JSON.parse(await readBody(req)));
    if (!parsed.success) return send(res, 400, { error: 'invalid report', issues: z.prettifyError(parsed.error) });
    await store$([{ kind: 'report', rx: Date.now(), report: parsed.data }]);
    broadcast('events', { ids: [], total: state.events });
    send(res, 200, { imported: parsed.data.name });
  }

  function stream(req: IncomingMessage, res: ServerResponse): void {
    if (streams.size >= MAX_STREAMS) return send(res, 503, { error: 'too many pages open' });
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    res.write(`retry: 2000\nevent: hello\ndata: ${JSON.stringify({ total: state.events })}\n\n`);
    streams.add(res);
    req.on('close', () => streams.delete(res));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://room');
    if (req.method === 'GET' && url.pathname === '/') {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': page.csp,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      });
      return void res.end(page.html);
    }
    // Browsers ask for it on their own; an empty answer keeps the page's console clean.
    if (req.method === 'GET' && url.pathname === '/favicon.ico') return void res.writeHead(204).end();
    if (!url.pathname.startsWith('/api/')) return send(res, 404, { error: 'not found' });
    const who = role(req, url);
    if (!who) return send(res, 401, { error: 'unauthorized' });
    const route = `${req.method} ${url.pathname}`;
    if (route === 'POST /api/events') return postEvents(req, res);
    if (who !== 'admin') return send(res, 403, { error: 'the instructor token is needed' });
    switch (route) {
      case 'GET /api/room':
        return send(res, 200, state.view(Date.now()));
      case 'GET /api/stream':
        return stream(req, res);
      case 'POST /api/note':
        return postNote(req, res);
      case 'POST /api/import':
        return postImport(req, res);
      case 'GET /api/export.json':
        return send(res, 200, state.report(Date.now()), {
          'content-disposition': 'attachment; filename="room.json"',
        });
      case 'GET /api/export.csv':
        res.writeHead(200, {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': 'attachment; filename="room.csv"',
          'cache-control': 'no-store',
        });
        return void res.end(state.csv());
      default:
        return send(res, 404, { error: 'not found' });
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (error instanceof BodyTooLarge) return send(res, 413, { error: 'body too large' }, { connection: 'close' });
      if (error instanceof SyntaxError) return send(res, 400, { error: 'not JSON' });
      send(res, 500, { error: 'could not store' });
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  const keepalive = setInterval(() => {
    for (const res of streams) res.write(': keepalive\n\n');
  }, 15_000);
  keepalive.unref();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    state,
    replayed,
    async close() {
      clearInterval(keepalive);
      for (const res of streams) res.end();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await store.close();
    },
  };
}
