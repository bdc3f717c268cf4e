import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import type { ClusterOptions } from '../../src/cluster/types.js';
import type { Reporter } from '../../src/core/reporter.js';
import { createExec } from '../../src/platform/exec.js';
import { packageRoot } from '../../src/platform/paths.js';
import { createDoubleProvider, freeHostPorts } from '../support/cluster-double/index.js';
import { captureIo } from '../support/capture-io.js';

/** The commands a learner and an instructor use, through `main`, against the cluster double. */
const provider = createDoubleProvider();
const reporter: Reporter = { task: (_title, run) => run(new AbortController().signal), note: () => {} };
let options: ClusterOptions;
let flags: string[];
let dir: string;

beforeAll(async () => {
  const ports = await freeHostPorts();
  dir = await mkdtemp(join(tmpdir(), 'expose-labs-learner-'));
  await writeFile(join(dir, 'hosts'), '127.0.0.1 localhost\n');
  options = { name: 'expose-labs', ports, keepOnFailure: false, yes: true, dryRun: false, verbose: false };
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
    join(dir, 'hosts'),
  ];
});

afterAll(async () => {
  await provider.down(options, reporter, new AbortController().signal);
});

async function cli(...argv: string[]) {
  const t = captureIo({ EXPOSE_LABS_HOME: join(dir, 'home') });
  const code = await main([...argv, ...flags], {
    io: t.io,
    deps: { provider: async () => provider, exec: createExec() },
  });
  return { code, stdout: t.stdout(), stderr: t.stderr() };
}

async function status() {
  return JSON.parse((await cli('status', '--json')).stdout) as {
    lastLab?: string;
    labs: { id: string; done: number; current?: string }[];
  };
}

const nodeport = async () => (await status()).labs.find((l) => l.id === 'nodeport')!;

describe('learner commands on the cluster double', () => {
  it('verify before the cluster exists says how to make it', async () => {
    const { code, stderr } = await cli('verify', 'nodeport');
    expect(code).toBe(1);
    expect(stderr).toContain('npx expose-labs start');
  });

  it('start --auto walks a lab to its recap and records it', async () => {
    const { code, stdout, stderr } = await cli('start', 'nodeport', '--auto', '--yes', '--skip-doctor');
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/Step 1 of 2[\s\S]*Step 2 of 2[\s\S]*Lab finished/);
    expect(stdout).toContain('$ kubectl --context kind-expose-labs apply -f');
    expect(await nodeport()).toMatchObject({ done: 2 });
  });

  it('verify re-runs the checks of a finished step', async () => {
    const { code, stdout } = await cli('verify', 'nodeport/create-service', '--json');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ lab: 'nodeport', step: 'create-service', passed: true });
    expect(result.checks.length).toBeGreaterThan(1);
  });

  it('status --report writes what each check saw', async () => {
    const md = join(dir, 'report.md');
    expect((await cli('status', '--report', md)).code).toBe(0);
    const text = await readFile(md, 'utf8');
    expect(text).toContain('- [x]');
    expect(text).toMatch(/✔ .*\n {4}`(kubectl|curl) /);
    expect(text).toMatch(/ {4}Path: client .*→ pod jordy-\S+ @ expose-labs-worker2? answered/);
    expect((await cli('status', '--report', join(dir, 'report.txt'))).code).toBe(2);
  });

  it('status --report can be graded: who, where, which version, how and when each step was done (item 9)', async () => {
    const json = join(dir, 'graded.json');
    expect((await cli('status', '--report', json, '--name', 'Ada Lovelace')).code).toBe(0);
    const report = JSON.parse(await readFile(json, 'utf8'));
    expect(report).toMatchObject({
      format: 'expose-labs-report/1',
      learner: 'Ada Lovelace',
      machine: { hostname: hostname() },
      tool: { name: 'expose-labs', version: expect.stringMatching(/^\d+\.\d+\.\d+/) },
    });
    const steps = report.labs.find((l: { id: string }) => l.id === 'nodeport').steps;
    // start --auto did both steps; the later `verify` re-checked the first without changing how it was done.
    expect(steps.map((s: { state: string; how: string }) => [s.state, s.how])).toEqual([
      ['done', 'auto'],
      ['done', 'auto'],
    ]);
    expect(steps[0].checkedHow).toBe('typed');
    expect(Date.parse(steps[0].doneAt)).toBeLessThanOrEqual(Date.parse(report.writtenAt));
    // Stored language-free: a check title is { ko, en }, rendered in the report's language.
    expect(steps[0].checks[0].title).toMatchObject({ ko: expect.any(String), en: expect.any(String) });
    const ko = join(dir, 'graded-ko.md');
    await cli('status', '--report', ko, '--lang', 'ko');
    // What a person reads; the evidence block under it carries both languages for --check-report.
    const korean = (await readFile(ko, 'utf8')).split('<!-- expose-labs-evidence')[0]!;
    expect(korean).toContain(`✔ ${steps[0].checks[0].title.ko}`);
    expect(korean).not.toContain(steps[0].checks[0].title.en);
    expect(korean).toContain('이름: Ada Lovelace');
    expect(korean).toContain('발표 모드 (start --auto)');
  });

  it('status --check-report trusts an untouched hand-in and names what was edited (item 9)', async () => {
    const json = join(dir, 'graded.json');
    const md = join(dir, 'graded-ko.md');
    for (const file of [json, md]) {
      const ok = await cli('status', '--check-report', file);
      expect(ok.code, ok.stdout + ok.stderr).toBe(0);
      expect(ok.stdout).toContain('Ada Lovelace');
    }
    // A learner turns a failed observation into a pass by hand: the step's digest no longer matches.
    const report = JSON.parse(await readFile(json, 'utf8'));
    const check = report.labs.find((l: { id: string }) => l.id === 'nodeport').steps[1].checks[0];
    check.observed = 'connection refused (edited)';
    await writeFile(join(dir, 'edited.json'), JSON.stringify(report));
    const edited = await cli('status', '--check-report', join(dir, 'edited.json'));
    expect(edited.code).toBe(1);
    expect(edited.stdout).toContain('nodeport/unmapped-port: what the checks saw was changed');
    // Someone else's name on the same work: the report's own digest no longer matches.
    await writeFile(
      join(dir, 'renamed.json'),
      JSON.stringify({ ...JSON.parse(await readFile(json, 'utf8')), learner: 'Eve' }),
    );
    const renamed = await cli('status', '--check-report', join(dir, 'renamed.json'));
    expect(renamed.code).toBe(1);
    expect(renamed.stdout).toContain('changed after it was written');
    expect((await cli('status', '--check-report', join(dir, 'hosts'))).code).toBe(1);
  });

  it('reset undoes the lab and forgets its progress; verify then fails', async () => {
    expect((await cli('reset', 'nodeport', '--yes')).code).toBe(0);
    expect(await nodeport()).toMatchObject({ done: 0 });
    const { code, stdout } = await cli('verify', 'nodeport/create-service');
    expect(code).toBe(1);
    expect(stdout).toMatch(/Seen|not yet/);
    // The path, marked where the first failing check's traffic stopped: docker-proxy took it, nothing behind.
    expect(stdout).toMatch(/Traffic path\n[\s\S]*✗ stopped here — docker-proxy accepted and closed/);
  }, 30_000);

  it("verify names a known mistake and gives its hint instead of the step's (and lists it in --json)", async () => {
    const cluster = (await provider.connect(options))!;
    const wrong = join(dir, 'typo-svc.yaml');
    const fixture = await readFile(join(packageRoot(), 'fixtures/nodeport/jordy-node-port-svc.yaml'), 'utf8');
    await writeFile(wrong, fixture.replace('app: jordy', 'app: jordi'));
    expect((await cluster.kubectl(['apply', '-f', wrong])).exitCode).toBe(0);
    const { code, stdout } = await cli('verify', 'nodeport/create-service');
    expect(code).toBe(1);
    expect(stdout).toMatch(/Known mistake\s+a typo in the selector \(app: jordi\)/);
    expect(stdout).toMatch(/Hint\s+The Service selects .?app: jordi.?, but the pods are labelled .?app: jordy/);
    const json = JSON.parse((await cli('verify', 'nodeport/create-service', '--json')).stdout);
    expect(json.mistakes).toEqual([
      expect.objectContaining({ id: 'selector-typo', check: expect.stringMatching(/NodePort/) }),
    ]);
    expect((await cluster.kubectl(['delete', '-f', wrong])).exitCode).toBe(0);
  }, 30_000);

  it('goto replays earlier steps and stops at the one asked for', async () => {
    const { code, stderr } = await cli('goto', 'nodeport/unmapped-port');
    expect(code, stderr).toBe(0);
    expect(await nodeport()).toMatchObject({ done: 1, current: 'unmapped-port' });
    expect((await cli('verify', 'nodeport/create-service')).code).toBe(0);
  });

  it('hint names the current step; solve runs it and proves it', async () => {
    const hint = await cli('hint');
    expect(hint.stdout).toContain('nodeport/unmapped-port');
    expect(hint.stdout).toMatch(
      /Mistakes often made in this step:\n {2}- picking nodePort 30080, which has a mapping\n/,
    );
    const solved = await cli('solve');
    expect(solved.code, solved.stderr).toBe(0);
    expect(await nodeport()).toMatchObject({ done: 2 });
  });

  it('test --junit writes a report a CI system can read', async () => {
    const junit = join(dir, 'junit.xml');
    const { code } = await cli('test', 'nodeport', '--junit', junit);
    expect(code).toBe(0);
    const xml = await readFile(junit, 'utf8');
    expect(xml).toMatch(/<testsuite name="nodeport" tests="2" failures="0"/);
    expect(xml).toContain('<testcase classname="nodeport" name="unmapped-port"');
  });

  it('test refuses --no-hosts and says what to use instead', async () => {
    const { code, stderr } = await cli('test', 'nodeport', '--no-hosts');
    expect(code).toBe(2);
    expect(stderr).toContain('--hosts-file');
  });

  it('on a cluster without a LoadBalancer implementation, labs that need one are skipped, saying why', async () => {
    const t = captureIo({ EXPOSE_LABS_HOME: join(dir, 'home') });
    const noLoadBalancer = {
      ...provider,
      capabilities: async () => ({ loadBalancer: false, ingress: true, gateway: true }),
    };
    const deps = { provider: async () => noLoadBalancer, exec: createExec() };
    const code = await main(['start', 'loadbalancer', '--auto', '--yes', '--skip-doctor', ...flags], {
      io: t.io,
      deps,
    });
    expect(code).toBe(0);
    expect(t.stderr()).toContain(
      'Labs this cluster cannot run: loadbalancer (no loadBalancer), ingress-host (no loadBalancer)',
    );
    expect(t.stderr()).toContain('loadbalancer: skipped, this cluster has no loadBalancer');
    expect(t.stdout()).not.toContain('Step 1 of');
    const tested = captureIo({ EXPOSE_LABS_HOME: join(dir, 'home') });
    expect(await main(['test', 'loadbalancer', ...flags], { io: tested.io, deps })).toBe(1);
  });

  it('on a cluster without the cloud-provider-kind GatewayClass, the gateway lab is skipped, saying why', async () => {
    const t = captureIo({ EXPOSE_LABS_HOME: join(dir, 'home') });
    const noGateway = {
      ...provider,
      capabilities: async () => ({ loadBalancer: true, ingress: true, gateway: false }),
    };
    const deps = { provider: async () => noGateway, exec: createExec() };
    const code = await main(['start', 'gateway', '--auto', '--yes', '--skip-doctor', ...flags], { io: t.io, deps });
    expect(code).toBe(0);
    expect(t.stderr()).toContain('Labs this cluster cannot run: gateway (no gateway)');
    expect(t.stderr()).toContain('gateway: skipped, this cluster has no gateway');
    const tested = captureIo({ EXPOSE_LABS_HOME: join(dir, 'home') });
    expect(await main(['test', 'gateway', ...flags], { io: tested.io, deps })).toBe(1);
  });

  it('--yes never deletes a cluster made with other settings: only --recreate does', async () => {
    const t = captureIo({ EXPOSE_LABS_HOME: join(dir, 'home') });
    let ups = 0;
    const differs = {
      ...provider,
      inspect: async () => ({ exists: true, matches: false, differences: ['host port 80 differs'] }),
      up: async (...args: Parameters<typeof provider.up>) => (ups++, provider.up(...args)),
    };
    const code = await main(['start', 'nodeport', '--auto', '--yes', '--skip-doctor', ...flags], {
      io: t.io,
      deps: { provider: async () => differs, exec: createExec() },
    });
    // Without a terminal, the missing answer is a missing flag: a usage error.
    expect(code).toBe(2);
    expect(t.stderr()).toContain('--recreate');
    expect(ups).toBe(0);
  });

  it('a corrupt progress file is moved aside with a message, and nothing is lost', async () => {
    const file = join(dir, 'home', 'expose-labs', 'progress.json');
    await writeFile(file, '{ not json');
    const { code, stderr } = await cli('status');
    expect(code).toBe(0);
    expect(stderr).toMatch(/moved to .*progress\.json\.corrupt-/);
  });
});
