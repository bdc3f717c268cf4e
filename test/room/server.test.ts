import { randomUUID } from 'node:crypto';
import { appendFile, readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/room/limits.js';
import { eventsFile, type RoomServer } from '../../src/room/server.js';
import { ADMIN, api, room, tempDir, TOKEN, wire } from './support.js';

let server: RoomServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const post = (url: string, events: unknown[], token = TOKEN) =>
  api(url, '/api/events', { method: 'POST', body: JSON.stringify({ events }), token });

describe('room server', () => {
  it('without the token: 401 and nothing learned, on every API path', async () => {
    server = await room(await tempDir());
    for (const [method, path] of [
      ['GET', '/api/room'],
      ['GET', '/api/stream'],
      ['POST', '/api/events'],
      ['POST', '/api/note'],
      ['GET', '/api/export.csv'],
      ['GET', '/api/nothing-here'],
    ]) {
      const res = await fetch(server.url + path!, { method, headers: { authorization: 'Bearer wrong-token' } });
      expect(res.status, path).toBe(401);
      expect(await res.json()).toEqual({ error: 'unauthorized' });
    }
  });

  it("a learner's token sends events but cannot read the room or post a note", async () => {
    server = await room(await tempDir());
    expect((await post(server.url, [wire(randomUUID())])).status).toBe(200);
    expect((await api(server.url, '/api/room', { token: TOKEN })).status).toBe(403);
    expect(
      (await api(server.url, '/api/note', { method: 'POST', token: TOKEN, body: '{"ko":"a","en":"b"}' })).status,
    ).toBe(403);
  });

  it('acknowledges only what it stored, counts a resent event once', async () => {
    const dir = await tempDir();
    server = await room(dir);
    const event = wire(randomUUID());
    const first = await post(server.url, [event]);
    expect(first).toMatchObject({ status: 200, body: { accepted: [event.id], stored: 1 } });
    const again = await post(server.url, [event, event]);
    expect(again).toMatchObject({ status: 200, body: { accepted: [event.id, event.id], stored: 0 } });
    const lines = (await readFile(eventsFile(dir), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(1);
    expect((await api(server.url, '/api/room')).body.events).toBe(1);
  });

  it('refuses bodies over the cap (413), invalid events (400), mixed seats (400)', async () => {
    server = await room(await tempDir());
    const big = await fetch(server.url + '/api/events', {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
      body: 'x'.repeat(300 * 1024),
    });
    expect(big.status).toBe(413);
    expect((await post(server.url, [wire(randomUUID(), { secret: 'k' })])).status).toBe(400);
    expect((await post(server.url, [wire(randomUUID()), wire(randomUUID())])).status).toBe(400);
    const notJson = await fetch(server.url + '/api/events', {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
      body: '{',
    });
    expect(notJson.status).toBe(400);
    expect((await api(server.url, '/api/room')).body.events).toBe(0);
  });

  it('rate-limits a seat (429 with Retry-After), not its neighbours', async () => {
    server = await room(await tempDir(), { limiter: new RateLimiter(5, 1) });
    const [a, b] = [randomUUID(), randomUUID()];
    expect(
      (
        await post(
          server.url,
          Array.from({ length: 5 }, () => wire(a)),
        )
      ).status,
    ).toBe(200);
    const res = await fetch(server.url + '/api/events', {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ events: [wire(a)] }),
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await post(server.url, [wire(b)])).status).toBe(200);
  });

  it('serves the page with a CSP that allows only its own script, by hash', async () => {
    server = await room(await tempDir());
    const res = await fetch(server.url + '/');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'(;|$)/);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).not.toMatch(/https?:\/\//);
    expect(html.match(/<script>/g)).toHaveLength(1);
  });

  it('a note is stored, returned to learners with their acknowledgement, and replayed', async () => {
    const dir = await tempDir();
    server = await room(dir);
    await api(server.url, '/api/note', {
      method: 'POST',
      body: JSON.stringify({ ko: '10분 쉬어요', en: 'Break: 10 min' }),
    });
    const ack = await post(server.url, [wire(randomUUID())]);
    expect(ack.body.note).toEqual({ ko: '10분 쉬어요', en: 'Break: 10 min' });
    await server.close();
    server = await room(dir, { resume: true });
    expect((await api(server.url, '/api/room')).body.note).toEqual({ ko: '10분 쉬어요', en: 'Break: 10 min' });
  });

  it('resume replays every stored event; a torn last line (never acknowledged) is dropped', async () => {
    const dir = await tempDir();
    server = await room(dir);
    const seat = randomUUID();
    for (let i = 0; i < 5; i++) await post(server.url, [wire(seat)]);
    await server.close();
    await appendFile(eventsFile(dir), '{"kind":"event","rx":1,"event":{"id":"');
    server = await room(dir, { resume: true });
    expect(server.replayed).toMatchObject({ skipped: 0 });
    expect(server.replayed.tornBytes).toBeGreaterThan(0);
    expect((await api(server.url, '/api/room')).body.events).toBe(5);
    await post(server.url, [wire(seat)]);
    await server.close();
    server = await room(dir, { resume: true });
    expect(server.replayed.tornBytes).toBe(0);
    expect(server.state.events).toBe(6);
  });

  it('refuses to start over an earlier room unless resuming', async () => {
    const dir = await tempDir();
    server = await room(dir);
    await post(server.url, [wire(randomUUID())]);
    await server.close();
    server = undefined;
    await expect(room(dir)).rejects.toThrow(/earlier room/);
  });

  it('streams accepted event ids to the page (SSE), with the admin token only', async () => {
    server = await room(await tempDir());
    const controller = new AbortController();
    const res = await fetch(`${server.url}/api/stream?token=${ADMIN}`, { signal: controller.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const event = wire(randomUUID());
    await post(server.url, [event]);
    let text = '';
    while (!text.includes(event.id)) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toMatch(/event: hello[\s\S]*event: events\ndata: .*"ids":\["/);
    controller.abort();
  });
});
