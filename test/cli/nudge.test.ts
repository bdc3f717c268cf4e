import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as hosts } from '../../src/commands/hosts.js';
import { run as tls } from '../../src/commands/tls.js';
import { run as verify } from '../../src/commands/verify.js';
import { clusterHome } from '../../src/platform/paths.js';
import { watchNudges } from '../../src/platform/nudge.js';
import { commandEnv } from '../support/command-env.js';
import { createDoubleProvider, freeHostPorts } from '../support/cluster-double/index.js';
import type { Reporter } from '../../src/core/reporter.js';

/**
 * `hosts add`, `tls generate` and `verify` run in a second terminal tell a session watching a step to re-check now
 * (the nudge file of platform/nudge.ts, in the cluster's state folder); a `hosts add` that changes nothing does not.
 */
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'expose-labs-nudge-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Watch for nudges the way a session does, then run `command`; resolves with how many nudges arrived. */
async function nudgesDuring(home: string, command: () => Promise<number>): Promise<{ code: number; nudged: number }> {
  let nudged = 0;
  let heard: () => void = () => {};
  const first = new Promise<void>((r) => (heard = r));
  const watch = await watchNudges(clusterHome(home, 'expose-labs').nudgeFile, () => {
    nudged += 1;
    heard();
  });
  const code = await command();
  // A nudge that was sent arrives at once; one that was not sent is given 2 s to show up anyway.
  await Promise.race([first, new Promise((r) => setTimeout(r, 2000))]);
  watch.close();
  return { code, nudged };
}

describe('the nudge from another terminal', () => {
  it('hosts add nudges when it changed the file, and not when the line was already there', async () => {
    const home = join(dir, 'hosts-home');
    const hostsFile = join(dir, 'hosts');
    await writeFile(hostsFile, '127.0.0.1 localhost\n');
    const options = { home, hostsFile };
    const add = () => hosts(commandEnv({ options }).env, { args: ['add', 'basic.jordy.com'], opts: {} });
    const changed = await nudgesDuring(home, add);
    expect(changed).toMatchObject({ code: 0 });
    expect(changed.nudged).toBeGreaterThan(0);
    const unchanged = await nudgesDuring(home, add);
    expect(unchanged).toEqual({ code: 0, nudged: 0 });
  });

  it('tls generate nudges once the files are written', async () => {
    const home = join(dir, 'tls-home');
    const result = await nudgesDuring(home, () =>
      tls(commandEnv({ options: { home } }).env, { args: ['generate'], opts: { host: ['niniz.com'] } }),
    );
    expect(result.code).toBe(0);
    expect(result.nudged).toBeGreaterThan(0);
  });

  it('verify nudges after it recorded what it saw', async () => {
    const home = join(dir, 'verify-home');
    const provider = createDoubleProvider();
    const ports = await freeHostPorts();
    const reporter: Reporter = { task: (_t, run) => run(new AbortController().signal), note: () => {} };
    const options = { name: 'expose-labs', ports, keepOnFailure: false, yes: true, dryRun: false, verbose: false };
    await provider.up({ ...options, recreate: false }, reporter, new AbortController().signal);
    let watchedWhileWaiting = 0;
    const sample = setInterval(
      () => (watchedWhileWaiting = Math.max(watchedWhileWaiting, provider.running?.openWatches() ?? 0)),
      50,
    );
    try {
      const result = await nudgesDuring(home, () =>
        verify(commandEnv({ options: { home, ports, hostsFile: join(dir, 'hosts') }, provider }).env, {
          args: ['nodeport/1'],
          opts: {},
        }),
      );
      expect(result.code).toBe(1);
      expect(result.nudged).toBeGreaterThan(0);
      // The task-list path (step-flow) watched the step's Service while it waited, and stopped when it ended.
      expect(provider.running!.openWatches()).toBe(0);
      expect(watchedWhileWaiting).toBeGreaterThan(0);
    } finally {
      clearInterval(sample);
      await provider.down(options, reporter, new AbortController().signal);
    }
  });
});
