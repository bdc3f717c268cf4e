import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LearnerEvent } from '../../src/core/learner-events.js';
import { RoomClient, roomFiles, type ClientOptions } from '../../src/room/client.js';
import { startRoomServer, type RoomServerOptions } from '../../src/room/server.js';
import type { RoomLab } from '../../src/room/state.js';

export const LABS: RoomLab[] = [
  {
    id: 'nodeport',
    title: { ko: '노드포트', en: 'NodePort' },
    steps: [
      { id: 'create-service', title: { ko: '서비스 만들기', en: 'Create the Service' } },
      { id: 'reach-it', title: { ko: '접속하기', en: 'Reach it' } },
    ],
  },
  {
    id: 'ingress',
    title: { ko: '인그레스', en: 'Ingress' },
    steps: [
      { id: 'host-rule', title: { ko: '호스트 규칙', en: 'Host rule' } },
      { id: 'tls', title: { ko: 'TLS', en: 'TLS' } },
    ],
  },
];

export const TOKEN = 'learner-token-123';
export const ADMIN = 'admin-token-456';

export async function tempDir(prefix = 'expose-labs-room-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** A room on loopback, port 0. */
export async function room(dir: string, extra: Partial<RoomServerOptions> = {}) {
  return startRoomServer({
    dir,
    labs: LABS,
    host: '127.0.0.1',
    port: 0,
    token: TOKEN,
    adminToken: ADMIN,
    resume: false,
    ...extra,
  });
}

/** A learner's laptop: the real client, with its own queue folder. */
export async function learner(url: string, name: string, options: ClientOptions = {}) {
  const dir = await tempDir('expose-labs-seat-');
  return new RoomClient({ url, token: TOKEN, seat: randomUUID(), name }, roomFiles(dir), options);
}

export async function api(url: string, path: string, init: RequestInit & { token?: string } = {}) {
  const res = await fetch(url + path, {
    ...init,
    headers: { authorization: `Bearer ${init.token ?? ADMIN}`, 'content-type': 'application/json', ...init.headers },
  });
  return { status: res.status, body: (await res.json().catch(() => undefined)) as any };
}

/** Wait until `probe` returns something truthy, or fail after `ms`. */
export async function until<T>(probe: () => Promise<T> | T, ms = 10_000, what = 'condition'): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const stepEvent = (lab: string, step: string, index: number): LearnerEvent => ({
  type: 'step',
  lab,
  step,
  index,
  count: 2,
});

/** A wire event as a hand-written client would send it. */
export function wire(seat: string, extra: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    seat,
    name: 'Mina',
    at: new Date().toISOString(),
    type: 'step',
    lab: 'nodeport',
    step: 'create-service',
    index: 0,
    count: 2,
    ...extra,
  };
}
