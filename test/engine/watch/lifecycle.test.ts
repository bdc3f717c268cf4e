import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as NodeFs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CheckDefinition } from '../../../src/checks/types.js';
import { KubectlCluster } from '../../../src/cluster/kubectl-cluster.js';
import type { Cluster } from '../../../src/cluster/types.js';
import type { LabContext } from '../../../src/contract/context.js';
import { InterruptedError } from '../../../src/core/errors.js';
import type { Lab, Step } from '../../../src/engine/lab.js';
import { loadLabs } from '../../../src/engine/lab-loader.js';
import { runActions, waitForStep } from '../../../src/engine/runner.js';
import { createExec } from '../../../src/platform/exec.js';
import { clusterHome, packageRoot } from '../../../src/platform/paths.js';
import { ClusterDouble, freeHostPorts } from '../../support/cluster-double/index.js';

/**
 * Nothing a step starts to watch outlives it: file watches (every fs.watch made, until it is closed) and
 * `kubectl get --watch` processes (on the double its open watches; with the real exec, a fake kubectl's process
 * ids) are gone when the wait returns, whether the step passed, ran out of time or was interrupted.
 */
const root = packageRoot();
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'expose-labs-watch-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const open = vi.hoisted(() => new Set<unknown>());
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof NodeFs>();
  const watch = ((...args: Parameters<typeof fs.watch>) => {
    const watcher = fs.watch(...args);
    open.add(watcher);
    const close = watcher.close.bind(watcher);
    watcher.close = () => {
      open.delete(watcher);
      close();
    };
    return watcher;
  }) as typeof fs.watch;
  return { ...fs, default: { ...fs, watch }, watch };
});
const fileWatches = () => open.size;

function context(cluster: Cluster, name: string, signal = new AbortController().signal): LabContext {
  const home = clusterHome(join(dir, name), cluster.name);
  return {
    lang: 'en',
    cluster,
    exec: createExec(),
    paths: { root, workspace: home.workspace, hostsFile: join(dir, 'hosts'), nudgeFile: home.nudgeFile },
    noHosts: false,
    dryRun: false,
    signal,
    log: { info() {}, command() {}, output() {}, warn() {}, verbose() {} },
  };
}

/** A check that reads one object and passes only when `passes()` says so (no kubectl call of its own). */
function objectCheck(passes: () => boolean): Step['checks'][number] {
  const def: CheckDefinition<string> = {
    name: 'object',
    network: false,
    describe: () => 'kubectl get ingress x',
    run: async () => ({ verdict: passes() ? 'pass' : 'not-yet', observed: '', expected: '', command: '' }),
    dependsOn: () => [
      { type: 'object', resource: 'ingress', name: 'x' },
      { type: 'file', path: join(dir, 'hosts') },
    ],
  };
  return { name: 'object', from: 'host', spec: 'x', def };
}

function stepWith(checks: Step['checks']): Step {
  return { id: 's', within: 60, actions: [], checks } as unknown as Step;
}

describe('on the cluster double', () => {
  let double: ClusterDouble;
  let lab: Lab;
  beforeAll(async () => {
    await writeFile(join(dir, 'hosts'), '127.0.0.1 localhost\n');
    double = await ClusterDouble.start({ ports: await freeHostPorts() });
    lab = (await loadLabs(root)).find((l) => l.steps.some((s) => s.checks.some((c) => c.name === 'k8s')))!;
    await runActions(lab.setup, context(double, 'setup'));
  });
  afterAll(async () => {
    await double.stop();
  });

  it('a step that passes after a manifest is applied leaves no watch and no file watch behind', async () => {
    const step = lab.steps.find(
      (s) => s.checks.some((c) => c.name === 'k8s') && s.actions.some((a) => a.name === 'apply'),
    )!;
    const ctx = context(double, 'pass');
    const before = fileWatches();
    const waiting = waitForStep(step, ctx, { deadlineMs: 30_000 });
    // While the step waits, its objects are watched through kubectl and its files through fs.watch.
    for (let i = 0; i < 100 && double.openWatches() === 0; i++) await new Promise((r) => setTimeout(r, 20));
    const watching = double.openWatches();
    const watchingFiles = fileWatches() - before;
    await runActions(step.actions, ctx);
    const outcomes = await waiting;
    expect(outcomes.every((o) => o.result.verdict === 'pass')).toBe(true);
    expect(watching).toBeGreaterThan(0);
    expect(watchingFiles).toBeGreaterThan(0);
    expect(double.openWatches()).toBe(0);
    expect(fileWatches()).toBe(before);
  });

  it('a step that runs out of time, or is interrupted, leaves nothing behind either', async () => {
    const before = fileWatches();
    const step = stepWith([objectCheck(() => false)]);
    const timedOut = await waitForStep(step, context(double, 'deadline'), { deadlineMs: 800 });
    expect(timedOut[0]!.result.verdict).toBe('not-yet');
    expect(double.openWatches()).toBe(0);
    expect(fileWatches()).toBe(before);

    const controller = new AbortController();
    const waiting = waitForStep(step, context(double, 'abort', controller.signal), { deadlineMs: 30_000 });
    for (let i = 0; i < 100 && double.openWatches() === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(double.openWatches()).toBeGreaterThan(0);
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(InterruptedError);
    expect(double.openWatches()).toBe(0);
    expect(fileWatches()).toBe(before);
  });
});

describe.skipIf(process.platform === 'win32')('with the real exec and a kubectl that never ends', () => {
  it('every kubectl watch process has exited when the step is over', async () => {
    // Stands for `kubectl get --watch`: notes its process id, prints one line, then waits for ever.
    const kubectl = join(dir, 'kubectl');
    await writeFile(kubectl, `#!/bin/sh\necho $$ >> "$0.pids"\necho ingress.networking.k8s.io/x\nexec sleep 600\n`);
    await chmod(kubectl, 0o755);
    const reach = async () => ({ hostReachesNodeNetwork: true, hostClientAddress: '127.0.0.1' });
    const cluster = new KubectlCluster('expose-labs', 'kind-expose-labs', double0Ports, createExec(), kubectl, reach);
    let attempts = 0;
    const step = stepWith([objectCheck(() => ++attempts > 1000)]);
    const controller = new AbortController();
    const waiting = waitForStep(step, context(cluster, 'real', controller.signal), { deadlineMs: 30_000 });
    const pidsFile = `${kubectl}.pids`;
    let pids: number[] = [];
    for (let i = 0; i < 250 && pids.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      pids = await readPids(pidsFile);
    }
    expect(pids.length).toBeGreaterThan(0);
    for (const pid of pids) expect(alive(pid), `kubectl ${pid} while waiting`).toBe(true);
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(InterruptedError);
    for (const pid of await readPids(pidsFile)) expect(alive(pid), `kubectl ${pid} after the step`).toBe(false);
  });
});

const double0Ports = { http: 1, https: 2, nodePort: 3, workerA: 4, workerB: 5 };

async function readPids(file: string): Promise<number[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).map(Number);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
