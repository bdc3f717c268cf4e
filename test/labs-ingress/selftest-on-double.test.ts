import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LabContext } from '../../src/engine/context.js';
import { loadLabs } from '../../src/engine/lab-loader.js';
import { selfTestLab } from '../../src/engine/selftest.js';
import { createExec } from '../../src/platform/exec.js';
import { ClusterDouble, freeHostPorts } from '../support/cluster-double/index.js';

/**
 * The engine's self-test of the Ingress labs, straight through `selfTestLab` on a fresh cluster double each (real
 * sockets on loopback, a hosts file of its own): every check must fail before its step and pass after it.
 * The CLI path (`expose-labs test`) is covered for all labs by test/e2e.
 */
const root = join(import.meta.dirname, '..', '..');
let running: ClusterDouble | undefined;

afterEach(async () => {
  await running?.stop();
  running = undefined;
});

const quiet = { info() {}, command() {}, output() {}, warn() {}, verbose() {} };

describe.each(['ingress-host', 'ingress-hosts', 'ingress-paths', 'ingress-tls'])('lab %s on the cluster double', (id) => {
  it('every check fails before its step and passes after it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'expose-labs-ingress-'));
    const hostsFile = join(dir, 'hosts');
    await writeFile(hostsFile, '127.0.0.1 localhost\n');
    running = await ClusterDouble.start({ name: 'expose-labs', ports: await freeHostPorts() });
    const ctx: LabContext = {
      lang: 'en',
      cluster: running,
      exec: createExec(),
      paths: { root, workspace: join(dir, 'workspace'), hostsFile },
      noHosts: false,
      dryRun: false,
      signal: new AbortController().signal,
      log: quiet,
    };
    const lab = (await loadLabs(root)).find((l) => l.id === id)!;
    const report = await selfTestLab(lab, ctx);
    expect(report.error).toBeUndefined();
    expect(report.steps.flatMap((s) => s.defects)).toEqual([]);
    expect(report.steps.map((s) => s.step)).toEqual(lab.steps.map((s) => s.id));
    expect(report.passed).toBe(true);
  }, 120_000);
});
