import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { poll } from '../../src/core/poll.js';
import { CHECKS } from '../../src/checks/registry.js';
import type { CheckResult } from '../../src/checks/types.js';
import { checkContext } from './context.js';
import { closedPort, whoamiServer, type Listening } from './servers.js';
import { CHECK_SPECS } from '../../src/checks/specs.js';

let server: Listening | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('a state that becomes true is noticed by polling', () => {
  // The real socket is the point here; the schedule's timing is test/engine/poll.test.ts's (fake timers), so nothing
  // below measures a wall-clock window: the first attempt that starts after the pod is up must pass.
  it('the first attempt after the pod starts answering (400 ms in) passes', async () => {
    const port = await closedPort('127.0.0.61');
    const def = CHECKS.get('http')!;
    const spec = CHECK_SPECS.get(def.name)!.parse({ url: `http://127.0.0.61:${port}/`, status: 200, pod: 'jordy' });
    const ctx = checkContext({ timeoutMs: 300 });
    let upAt = 0;
    const seen: { verdict: CheckResult['verdict']; began: number }[] = [];
    let began = 0;
    const started = Date.now();
    // The pod comes up on the very address and port that refused until then.
    const pod = createServer((_req, res) => res.end('Hostname: jordy-6b8d7c9f5-aaaaa\nRemoteAddr: 127.0.0.1:1\n'));
    setTimeout(() => pod.listen(port, '127.0.0.61', () => (upAt = Date.now())), 400);
    server = {
      address: '127.0.0.61',
      port,
      close: () => new Promise((r) => (pod.listening ? pod.close(() => r()) : r())),
    };
    const result = await poll(
      () => {
        began = Date.now();
        return def.run(spec, ctx);
      },
      {
        done: (r) => r.verdict === 'pass',
        stop: (r) => r.verdict === 'broken',
        deadlineMs: 10_000,
        onAttempt: (r) => seen.push({ verdict: r.verdict, began }),
      },
    );
    expect(result.verdict).toBe('pass');
    expect(seen[0]!.verdict).toBe('not-yet');
    expect(upAt - started).toBeGreaterThanOrEqual(390);
    // No attempt that began once the pod was up missed it (one that began just before may already see it).
    expect(seen.filter((s) => s.began >= upAt && s.verdict !== 'pass')).toEqual([]);
    expect(seen.slice(0, -1).every((s) => s.verdict === 'not-yet')).toBe(true);
  });

  it('an answer that is already there passes on the first attempt', async () => {
    server = await whoamiServer('127.0.0.62', 'jordy-6b8d7c9f5-aaaaa');
    const def = CHECKS.get('http')!;
    const attempts: string[] = [];
    const result = await poll(
      () => def.run(CHECK_SPECS.get(def.name)!.parse({ url: `http://127.0.0.62:${server!.port}/` }), checkContext()),
      {
        done: (r) => r.verdict === 'pass',
        deadlineMs: 2000,
        onAttempt: (r) => attempts.push(r.verdict),
      },
    );
    expect(result.verdict).toBe('pass');
    expect(attempts).toEqual(['pass']);
  });
});
