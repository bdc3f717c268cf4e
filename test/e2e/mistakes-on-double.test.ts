import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli.js';
import type { ClusterOptions } from '../../src/cluster/types.js';
import type { Reporter } from '../../src/core/reporter.js';
import type { MistakeReport } from '../../src/engine/mistakes.js';
import { createExec } from '../../src/platform/exec.js';
import { createDoubleProvider, freeHostPorts } from '../support/cluster-double/index.js';
import { captureIo } from '../support/capture-io.js';

/**
 * Every lab's known mistakes on the cluster double: `expose-labs test --mistakes` does each one from a clean lab and
 * the named check must give the named verdict (with the observation its `seen` names). The double follows the
 * manifests, never the checks, so a mistake it does not notice here is one the checks would miss.
 * CI budget: all labs' mistakes within 3 minutes on the double (measured: 34 mistakes in 86–89 s on a 2-core machine
 * shared with other work). A caught mistake takes its `settle` (2 s) plus the replay of earlier steps; one that is
 * not caught gives up after --max-wait and says what the check saw instead.
 */
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
  const dir = await mkdtemp(join(tmpdir(), 'expose-labs-mistakes-'));
  const hostsFile = join(dir, 'hosts');
  await writeFile(hostsFile, '127.0.0.1\tlocalhost\n');
  flags = [
    ...['--http-port', String(ports.http), '--https-port', String(ports.https)],
    ...['--nodeport-port', String(ports.nodePort), '--worker-a-port', String(ports.workerA)],
    ...['--worker-b-port', String(ports.workerB), '--hosts-file', hostsFile, '--yes'],
  ];
  env = { EXPOSE_LABS_HOME: join(dir, 'home') };
  options = { name: 'expose-labs', ports, keepOnFailure: false, yes: true, dryRun: false, verbose: false };
  await provider.up({ ...options, recreate: false }, reporter, new AbortController().signal);
});

afterAll(async () => {
  await provider.down(options, reporter, new AbortController().signal);
});

describe.each([
  'nodeport',
  'loadbalancer',
  'ingress-host',
  'ingress-hosts',
  'ingress-paths',
  'traffic-policy',
  'ingress-tls',
])('known mistakes of lab %s on the cluster double', (lab) => {
  it('each is caught by its named check with its named verdict, at least three in all', async () => {
    const t = captureIo(env);
    // --max-wait 20: a mistake that is not caught gives up well inside the test's timeout and says why.
    const code = await main(['test', lab, '--mistakes', '--max-wait', '20', '--json', ...flags], {
      io: t.io,
      deps: { provider: async () => provider, exec: createExec() },
    });
    const report = JSON.parse(t.stdout()) as { mistakes: MistakeReport[]; seconds: number };
    const missed = report.mistakes.filter((m) => !m.caught);
    expect(missed, JSON.stringify(missed, null, 2) + t.stderr()).toEqual([]);
    expect(code).toBe(0);
    expect(report.mistakes.length).toBeGreaterThanOrEqual(3);
    for (const m of report.mistakes) expect(m.got).toBe(m.expected);
  }, 170_000);
});
