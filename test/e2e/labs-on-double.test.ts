import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli.js';
import type { ClusterOptions } from '../../src/cluster/types.js';
import type { Reporter } from '../../src/core/reporter.js';
import type { LabReport } from '../../src/engine/selftest.js';
import { createExec } from '../../src/platform/exec.js';
import { createDoubleProvider, freeHostPorts } from '../support/cluster-double/index.js';
import { captureIo } from '../support/capture-io.js';

/**
 * Every lab, end to end, against the cluster double over real sockets on loopback: `expose-labs test` runs each
 * step's checks before the step (all must fail), runs the step, and runs them again (all must pass).
 * This is the double, not kind: `npm run test:kind` runs the same self-test on a real cluster.
 */
// The post's host names may be real domains: before the hosts entry exists, the checks ask the OS resolver. Tests
// must not send even a DNS query off this machine, so the resolver answers "not found" here.
const lookup = vi.hoisted(() =>
  vi.fn(async () => Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }))),
);
vi.mock('node:dns/promises', () => ({ lookup, default: { lookup } }));

const provider = createDoubleProvider();
let flags: string[] = [];
let env: NodeJS.ProcessEnv = {};
let options: ClusterOptions;
const reporter: Reporter = { task: (_title, run) => run(new AbortController().signal), note: () => {} };

beforeAll(async () => {
  const ports = await freeHostPorts();
  const dir = await mkdtemp(join(tmpdir(), 'expose-labs-e2e-'));
  const hostsFile = join(dir, 'hosts');
  await writeFile(hostsFile, '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n');
  flags = [
    '--http-port',
    String(ports.http),
    '--https-port',
    String(ports.https),
    '--nodeport-port',
    String(ports.nodePort),
    '--worker-a-port',
    String(ports.workerA),
    '--worker-b-port',
    String(ports.workerB),
    '--hosts-file',
    hostsFile,
    '--yes',
  ];
  env = { EXPOSE_LABS_HOME: join(dir, 'home') };
  options = { name: 'expose-labs', ports, keepOnFailure: false, yes: true, dryRun: false, verbose: false };
  await provider.up({ ...options, recreate: false }, reporter, new AbortController().signal);
});

afterAll(async () => {
  await provider.down(options, reporter, new AbortController().signal);
});

async function selfTest(lab: string): Promise<LabReport> {
  const t = captureIo(env);
  const code = await main(['test', lab, '--json', ...flags], {
    io: t.io,
    deps: { provider: async () => provider, exec: createExec() },
  });
  const parsed = JSON.parse(t.stdout()) as { passed: boolean; labs: LabReport[] };
  const report = parsed.labs[0]!;
  expect(report.error, t.stderr()).toBeUndefined();
  expect(
    code,
    JSON.stringify(
      report.steps.flatMap((s) => s.defects),
      null,
      2,
    ),
  ).toBe(0);
  return report;
}

describe.each([
  'nodeport',
  'loadbalancer',
  'ingress-host',
  'ingress-hosts',
  'ingress-paths',
  'traffic-policy',
  'ingress-tls',
  'gateway',
])('lab %s on the cluster double', (lab) => {
  it('every check fails before its step and passes after it', async () => {
    const report = await selfTest(lab);
    expect(report.passed).toBe(true);
    expect(report.steps.length).toBeGreaterThan(0);
    for (const step of report.steps) {
      expect(step.before.length).toBeGreaterThan(0);
      for (const check of step.before) expect(check.verdict, `${step.step}: ${check.title} before`).not.toBe('pass');
      for (const check of step.after) expect(check.verdict, `${step.step}: ${check.title} after`).toBe('pass');
    }
  }, 180_000);
});
