import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/cluster/doctor/run.js';
import { GIB, type DoctorProbes } from '../../src/cluster/doctor/types.js';
import { diagnose, runDoctorCommand } from '../../src/commands/doctor.js';
import { ToolMissingError, UserError } from '../../src/core/errors.js';
import { tr } from '../../src/core/i18n.js';
import { commandEnv } from '../support/command-env.js';
import { fixture, tempDir } from './kind-fixtures.js';
import { scriptedExec, type Step } from './scripted-exec.js';

const KUBECTL_JSON = JSON.stringify({
  clientVersion: {
    major: '1',
    minor: '36',
    gitVersion: 'v1.36.1',
    gitCommit: '6f0a7e4a4c6d1f8f5d7c3b2a19e8f7d6c5b4a392',
    gitTreeState: 'clean',
    buildDate: '2026-05-14T09:21:17Z',
    goVersion: 'go1.26.2',
    compiler: 'gc',
    platform: 'linux/amd64',
  },
  kustomizeVersion: 'v5.8.1',
});
const kubectlJson = (gitVersion: string) => KUBECTL_JSON.replace('v1.36.1', gitVersion);
/**
 * kubectl's `Version` with a server (pkg/cmd/version/version.go@kubernetes/kubectl v0.36.1): `serverVersion` is an
 * apimachinery version.Info like the client's, here with its optional (omitempty) emulation and compatibility fields.
 */
const serverJson = (server: string, client = 'v1.36.1') => {
  const [major, minor] = server.slice(1).split('.');
  return JSON.stringify(
    {
      ...JSON.parse(kubectlJson(client)),
      serverVersion: {
        major,
        minor,
        emulationMajor: major,
        emulationMinor: minor,
        minCompatibilityMajor: major,
        minCompatibilityMinor: String(Number(minor) - 1),
        gitVersion: server,
        gitCommit: '0d2c5b8e9a7f41c3b6e8d2a1f5c9e7b3a4d6f801',
        gitTreeState: 'clean',
        buildDate: '2026-04-22T16:03:55Z',
        goVersion: 'go1.26.2',
        compiler: 'gc',
        platform: 'linux/amd64',
      },
    },
    null,
    2,
  );
};
const missing = (tool: string) => new ToolMissingError(tool, `install ${tool}`);

const dockerInfo = (patch: Record<string, unknown> = {}) =>
  JSON.stringify({ ...JSON.parse(fixture('docker-info-linux.json')), ...patch });

const steps = {
  dockerVersion: { argv: ['docker', 'version', '--format', '{{.Client.Version}}'], stdout: '28.4.0\n' } as Step,
  dockerInfo: (stdout = dockerInfo()): Step => ({ argv: ['docker', 'info', '--format', '{{json .}}'], stdout }),
  kind: (stdout = 'kind v0.32.0 go1.25.5 linux/amd64\n'): Step => ({ argv: ['kind', 'version'], stdout }),
  kubectl: (stdout = KUBECTL_JSON): Step => ({ argv: ['kubectl', 'version', '--client', '-o', 'json'], stdout }),
  /** `kubectl --context workshop version -o json`: both versions when the server answers. */
  contextVersion: (server = 'v1.36.1', client = 'v1.36.1'): Step => ({
    argv: ['kubectl', '--context', 'workshop', 'version', '-o', 'json'],
    stdout: serverJson(server, client),
  }),
  ports: (stdout = ''): Step => ({
    argv: ['docker', 'ps', '--filter', 'label=io.x-k8s.kind.cluster=expose-labs', '--format', '{{.Ports}}'],
    stdout,
  }),
  controllers: (stdout = ''): Step => ({
    argv: ['docker', 'ps', '--format', '{{.Names}}\t{{.Image}}\t{{.Labels}}'],
    stdout,
  }),
  pgrep: (stdout = ''): Step => ({ argv: ['pgrep', '-x', 'cloud-provider-kind'], stdout, exitCode: stdout ? 0 : 1 }),
  exposure: (stdout = ''): Step => ({
    argv: [
      'docker',
      'ps',
      '--filter',
      'label=io.x-k8s.cloud-provider-kind.cluster',
      '--format',
      '{{.Names}} {{.Ports}}',
    ],
    stdout,
  }),
};
/** After the port checks: other controllers, host processes, what other machines can reach. */
const afterPorts = (): Step[] => [steps.controllers(), steps.pgrep(), steps.exposure()];
const healthy = (): Step[] => [
  steps.dockerVersion,
  steps.dockerInfo(),
  steps.kind(),
  steps.kubectl(),
  steps.ports(),
  ...afterPorts(),
];

const INOTIFY: Record<string, string> = {
  '/proc/sys/fs/inotify/max_user_watches': '524288\n',
  '/proc/sys/fs/inotify/max_user_instances': '512\n',
};

function probes(exec: DoctorProbes['exec'], over: Partial<DoctorProbes> = {}): DoctorProbes {
  return {
    exec,
    platform: 'linux',
    arch: 'x64',
    readText: async (path) => INOTIFY[path],
    probePort: async () => 'free',
    totalMemory: () => 16 * GIB,
    freeDisk: async () => 80 * GIB,
    cacheDir: tempDir('cache'),
    homeDir: '/home/learner',
    env: {},
    // The Linux fixture's DockerRootDir, on this (pretend) host.
    exists: (path) => path === '/var/lib/docker',
    uid: 1000,
    ...over,
  };
}

const OPTIONS = {
  clusterName: 'expose-labs',
  ports: { http: 80, https: 443, nodePort: 30000, workerA: 30081, workerB: 30082 },
};
const status = (report: Awaited<ReturnType<typeof runDoctor>>) =>
  Object.fromEntries(report.checks.map((c) => [c.id, c.status]));

describe('doctor checks', () => {
  it('a ready Linux machine passes every check', async () => {
    const script = scriptedExec(healthy());
    const report = await runDoctor(probes(script.exec), OPTIONS);

    script.finish();
    expect(report.ok).toBe(true);
    expect(status(report)).toEqual({
      'docker-client': 'ok',
      'docker-engine': 'ok',
      'docker-kind': 'ok',
      cgroup: 'ok',
      'image-store': 'ok',
      kind: 'ok',
      kubectl: 'ok',
      'port-http': 'ok',
      'port-https': 'ok',
      'port-nodeport': 'ok',
      'port-worker-a': 'ok',
      'port-worker-b': 'ok',
      'cloud-provider-kind': 'ok',
      'lan-exposure': 'ok',
      'inotify-watches': 'ok',
      'inotify-instances': 'ok',
      memory: 'ok',
      disk: 'ok',
    });
  });

  it('a machine without Docker, kind or kubectl: each is a blocking problem with its fix', async () => {
    const script = scriptedExec([
      { argv: ['docker', 'version', '--format', '{{.Client.Version}}'], error: missing('docker') },
      { argv: ['kind', 'version'], error: missing('kind') },
      { argv: ['kubectl', 'version', '--client', '-o', 'json'], error: missing('kubectl') },
    ]);
    const report = await runDoctor(probes(script.exec), OPTIONS);

    script.finish();
    expect(report.ok).toBe(false);
    const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
    expect(byId['docker-client']?.status).toBe('fail');
    expect(tr(byId['docker-client']!.fix!.text, 'en')).toContain('https://docs.docker.com/get-docker/');
    expect(byId['docker-engine']?.status).toBe('skip');
    expect(byId.kind?.status).toBe('fail');
    expect(byId.kind?.fix?.commands).toEqual(['npx expose-labs doctor --fix']);
    expect(byId.kubectl?.download).toBe('kubectl');
  });

  it('an engine that does not answer, with the command to start it', async () => {
    const script = scriptedExec([
      steps.dockerVersion,
      {
        argv: ['docker', 'info', '--format', '{{json .}}'],
        exitCode: 1,
        stdout: JSON.stringify({
          ServerErrors: [
            'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
          ],
        }),
        stderr: '',
      },
      steps.kind(),
      steps.kubectl(),
    ]);
    const report = await runDoctor(probes(script.exec), OPTIONS);

    script.finish();
    const engine = report.checks.find((c) => c.id === 'docker-engine')!;
    expect(engine.status).toBe('fail');
    expect(tr(engine.detail, 'en')).toContain('Is the docker daemon running?');
    expect(engine.fix?.commands).toEqual(['sudo systemctl start docker']);
  });

  it('no permission on the Docker socket: the docker group, never sudo for the tool', async () => {
    const script = scriptedExec([
      steps.dockerVersion,
      {
        argv: ['docker', 'info', '--format', '{{json .}}'],
        exitCode: 1,
        stderr:
          'permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get "http://%2Fvar%2Frun%2Fdocker.sock/v1.51/info": dial unix /var/run/docker.sock: connect: permission denied\n',
      },
      steps.kind(),
      steps.kubectl(),
    ]);
    const engine = (await runDoctor(probes(script.exec), OPTIONS)).checks.find((c) => c.id === 'docker-engine')!;

    script.finish();
    expect(engine.fix?.commands).toEqual(['sudo usermod -aG docker $USER']);
    expect(tr(engine.fix!.text, 'ko')).toContain('sudo');
  });

  it('Docker Desktop is explained (not a problem) and its VM’s inotify limits are not read from this host', async () => {
    const script = scriptedExec([
      steps.dockerVersion,
      steps.dockerInfo(fixture('docker-info-desktop.json')),
      steps.kind(),
      steps.kubectl(),
      steps.ports(),
      ...afterPorts(),
    ]);
    const report = await runDoctor(probes(script.exec, { readText: async () => '128' }), OPTIONS);

    script.finish();
    const kind = report.checks.find((c) => c.id === 'docker-kind')!;
    expect(kind.status).toBe('info');
    expect(tr(kind.detail, 'en')).toContain('do not answer from this machine');
    expect(status(report)['inotify-instances']).toBe('skip');
    expect(report.ok).toBe(true);
  });

  it('cgroup v1 blocks the labs', async () => {
    const script = scriptedExec([
      steps.dockerVersion,
      steps.dockerInfo(dockerInfo({ CgroupVersion: '1' })),
      steps.kind(),
      steps.kubectl(),
      steps.ports(),
      ...afterPorts(),
    ]);
    const report = await runDoctor(probes(script.exec), OPTIONS);

    script.finish();
    expect(status(report).cgroup).toBe('fail');
    expect(report.ok).toBe(false);
  });

  it('another kind release and a kubectl two minors away are warnings doctor --fix can repair', async () => {
    const script = scriptedExec([
      steps.dockerVersion,
      steps.dockerInfo(),
      steps.kind('kind v0.27.0 go1.24.0 linux/amd64\n'),
      steps.kubectl(kubectlJson('v1.34.2')),
      steps.ports(),
      ...afterPorts(),
    ]);
    const report = await runDoctor(probes(script.exec), OPTIONS);

    script.finish();
    expect(status(report).kind).toBe('warn');
    expect(status(report).kubectl).toBe('warn');
    expect(report.ok).toBe(true);
    expect(tr(report.checks.find((c) => c.id === 'kubectl')!.detail, 'en')).toContain('v1.34.2');
  });

  it('kubectl one minor away is fine', async () => {
    const script = scriptedExec([
      steps.dockerVersion,
      steps.dockerInfo(),
      steps.kind(),
      steps.kubectl(kubectlJson('v1.35.4')),
      steps.ports(),
      ...afterPorts(),
    ]);
    expect(status(await runDoctor(probes(script.exec), OPTIONS)).kubectl).toBe('ok');
    script.finish();
  });

  it('a taken port names its flag and how to find the program; a port the lab cluster holds is fine', async () => {
    const script = scriptedExec([
      steps.dockerVersion,
      steps.dockerInfo(),
      steps.kind(),
      steps.kubectl(),
      steps.ports(
        '127.0.0.1:30000->30000/tcp, 127.0.0.1:30081->30080/tcp\n127.0.0.1:30082->30080/tcp\n127.0.0.1:39745->6443/tcp\n',
      ),
      ...afterPorts(),
    ]);
    const taken = new Set([80, 30000]);
    const report = await runDoctor(
      probes(script.exec, { probePort: async (p) => (taken.has(p) ? 'taken' : 'free') }),
      OPTIONS,
    );

    script.finish();
    const http = report.checks.find((c) => c.id === 'port-http')!;
    expect(http.status).toBe('fail');
    expect(http.fix?.commands).toEqual([
      'sudo lsof -nP -iTCP:80 -sTCP:LISTEN',
      'npx expose-labs start --http-port 8080',
    ]);
    expect(status(report)['port-nodeport']).toBe('ok');
    expect(report.ok).toBe(false);
  });

  it('low inotify limits, little memory and disk come with the commands to fix them', async () => {
    const script = scriptedExec(healthy());
    const report = await runDoctor(
      probes(script.exec, {
        readText: async (path) => (path.endsWith('max_user_instances') ? '128\n' : '65536\n'),
        freeDisk: async () => 6 * GIB,
      }),
      { ...OPTIONS },
    );

    script.finish();
    const instances = report.checks.find((c) => c.id === 'inotify-instances')!;
    expect(instances.status).toBe('warn');
    expect(instances.fix?.commands).toEqual(['sudo sysctl fs.inotify.max_user_instances=512']);
    expect(report.checks.find((c) => c.id === 'inotify-watches')?.fix?.commands).toEqual([
      'sudo sysctl fs.inotify.max_user_watches=524288',
    ]);
    expect(status(report).disk).toBe('warn');
  });

  it('memory below 2 GiB blocks; the engine’s own figure counts, not the machine’s', async () => {
    const script = scriptedExec([
      steps.dockerVersion,
      steps.dockerInfo(dockerInfo({ MemTotal: 1.5 * GIB })),
      steps.kind(),
      steps.kubectl(),
      steps.ports(),
      ...afterPorts(),
    ]);
    const report = await runDoctor(probes(script.exec, { totalMemory: () => 64 * GIB }), OPTIONS);

    script.finish();
    expect(status(report).memory).toBe('fail');
  });

  it('with --context only kubectl, the context and its Kubernetes are checked', async () => {
    const script = scriptedExec([
      steps.contextVersion(),
      { argv: ['kubectl', '--context', 'workshop', 'get', 'nodes', '-o', 'name'], stdout: 'node/n1\nnode/n2\n' },
      {
        argv: ['kubectl', '--context', 'workshop', 'get', 'gatewayclass', 'cloud-provider-kind', '-o', 'json'],
        exitCode: 1,
        stderr: 'error: the server doesn\'t have a resource type "gatewayclass"\n',
      },
    ]);
    const report = await runDoctor(probes(script.exec), { ...OPTIONS, context: 'workshop' });

    script.finish();
    expect(status(report)).toEqual({
      kubectl: 'ok',
      context: 'ok',
      kubernetes: 'ok',
      'gateway-api': 'info',
      'docker-client': 'skip',
      kind: 'skip',
    });
    expect(report.ok).toBe(true);
    expect(report.checks.find((c) => c.id === 'gateway-api')?.detail.en).toBe(
      'No Gateway API CRDs (error: the server doesn\'t have a resource type "gatewayclass"); the gateway lab will be skipped.',
    );
  });

  it("with --context, an accepted cloud-provider-kind GatewayClass is ok, another controller's class a warning", async () => {
    const gatewayClass = (controllerName: string, accepted: string) =>
      JSON.stringify({ spec: { controllerName }, status: { conditions: [{ type: 'Accepted', status: accepted }] } });
    const script = scriptedExec([
      steps.contextVersion(),
      { argv: ['kubectl', '--context', 'workshop', 'get', 'nodes', '-o', 'name'], stdout: 'node/n1\n' },
      {
        argv: ['kubectl', '--context', 'workshop', 'get', 'gatewayclass', 'cloud-provider-kind', '-o', 'json'],
        stdout: gatewayClass('kind.sigs.k8s.io/gateway-controller', 'True'),
      },
      steps.contextVersion(),
      { argv: ['kubectl', '--context', 'workshop', 'get', 'nodes', '-o', 'name'], stdout: 'node/n1\n' },
      {
        argv: ['kubectl', '--context', 'workshop', 'get', 'gatewayclass', 'cloud-provider-kind', '-o', 'json'],
        stdout: gatewayClass('example.com/other', 'Unknown'),
      },
    ]);
    expect(status(await runDoctor(probes(script.exec), { ...OPTIONS, context: 'workshop' }))['gateway-api']).toBe('ok');
    expect(status(await runDoctor(probes(script.exec), { ...OPTIONS, context: 'workshop' }))['gateway-api']).toBe(
      'warn',
    );
    script.finish();
  });
});

describe('doctor command', () => {
  it('--json on a machine without Docker: a stable shape, exit 1', async () => {
    const script = scriptedExec([
      { argv: ['docker', 'version', '--format', '{{.Client.Version}}'], error: missing('docker') },
      { argv: ['kind', 'version'], error: missing('kind') },
      { argv: ['kubectl', 'version', '--client', '-o', 'json'], error: missing('kubectl') },
    ]);
    const { env, stdout } = commandEnv({ exec: script.exec, options: { json: true } });

    const code = await runDoctorCommand(
      env,
      { args: [], opts: {} },
      { probes: probes(script.exec), fetch: globalThis.fetch },
    );

    script.finish();
    expect(code).toBe(1);
    const json = JSON.parse(stdout());
    expect(Object.keys(json)).toEqual(['hostname', 'toolVersion', 'timestamp', 'ok', 'platform', 'checks']);
    expect(json.ok).toBe(false);
    expect(json.platform).toBe('linux/x64');
    expect(json.checks[0]).toEqual({
      id: 'docker-client',
      status: 'fail',
      title: 'Docker client',
      detail: 'The docker command is not installed.',
      fix: { text: expect.stringContaining('https://docs.docker.com/get-docker/'), commands: [] },
    });
    for (const check of json.checks)
      expect(Object.keys(check).slice(0, 4)).toEqual(['id', 'status', 'title', 'detail']);
  });

  it('when kind and kubectl run from the cache, prints the PATH line for sh/zsh and PowerShell', async () => {
    const cacheDir = tempDir('cache');
    const bin = join(cacheDir, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'kind'), '');
    writeFileSync(join(bin, 'kubectl'), '');
    const script = scriptedExec([
      steps.dockerVersion,
      steps.dockerInfo(),
      { argv: [join(bin, 'kind'), 'version'], stdout: 'kind v0.32.0 go1.25.5 linux/amd64\n' },
      { argv: [join(bin, 'kubectl'), 'version', '--client', '-o', 'json'], stdout: KUBECTL_JSON },
      steps.ports(),
      ...afterPorts(),
    ]);
    const { env, stdout } = commandEnv({ exec: script.exec });

    await runDoctorCommand(
      env,
      { args: [], opts: {} },
      { probes: probes(script.exec, { cacheDir }), fetch: globalThis.fetch },
    );

    script.finish();
    expect(stdout()).toContain('This tool runs kind, kubectl from its cache.');
    expect(stdout()).toContain(`export PATH="${bin}:$PATH"`);
    expect(stdout()).toContain(`$env:PATH = "${bin}:" + $env:PATH`);
  });

  it('prints nothing about PATH when kind and kubectl come from PATH', async () => {
    const script = scriptedExec(healthy());
    const { env, stdout } = commandEnv({ exec: script.exec });
    await runDoctorCommand(env, { args: [], opts: {} }, { probes: probes(script.exec), fetch: globalThis.fetch });
    expect(stdout()).not.toContain('export PATH');
  });

  it('prints each problem with its fix, in Korean too, and exits 0 when nothing blocks', async () => {
    const script = scriptedExec([
      steps.dockerVersion,
      steps.dockerInfo(),
      steps.kind('kind v0.27.0 go1.24.0 linux/amd64\n'),
      steps.kubectl(),
      steps.ports(),
      ...afterPorts(),
    ]);
    const { env, stdout } = commandEnv({ exec: script.exec, options: { lang: 'ko' } });

    const code = await runDoctorCommand(
      env,
      { args: [], opts: {} },
      { probes: probes(script.exec), fetch: globalThis.fetch },
    );

    script.finish();
    expect(code).toBe(0);
    expect(stdout()).toContain('! kind — v0.27.0 (PATH): 노드 이미지는 kind v0.32.0용으로 고정되어');
    expect(stdout()).toContain('$ npx expose-labs doctor --fix');
    expect(stdout()).toContain('실습을 시작할 수 있습니다. 경고 1개를 확인하세요.');
  });

  it('--fix without a terminal and without --yes downloads nothing and names the flag', async () => {
    const script = scriptedExec([
      steps.dockerVersion,
      steps.dockerInfo(),
      { argv: ['kind', 'version'], error: missing('kind') },
      steps.kubectl(),
      steps.ports(),
      ...afterPorts(),
    ]);
    const { env, stdout } = commandEnv({ exec: script.exec });
    const fetched: string[] = [];
    const fetch = (async (url: string) => {
      fetched.push(url);
      return new Response('');
    }) as unknown as typeof globalThis.fetch;

    const code = await runDoctorCommand(env, { args: [], opts: { fix: true } }, { probes: probes(script.exec), fetch });

    script.finish();
    expect(code).toBe(1);
    expect(fetched).toEqual([]);
    expect(stdout()).toContain(
      'download: https://github.com/kubernetes-sigs/kind/releases/download/v0.32.0/kind-linux-amd64',
    );
    expect(stdout()).toContain('verify:   sha256 50030de23cf40a18505f20426f6a8506bedf13c6e509244bd1fa9463721b0f54');
    expect(stdout()).toContain('Run again with --yes to download it.');
  });
});

describe('diagnose (what start runs first)', () => {
  it('shows only what deserves attention and says whether the labs can start', async () => {
    const script = scriptedExec([
      steps.dockerVersion,
      steps.dockerInfo(fixture('docker-info-desktop.json')),
      steps.kind(),
      steps.kubectl(),
      steps.ports(),
      ...afterPorts(),
    ]);
    const { env, stdout } = commandEnv({ exec: script.exec });

    expect(await diagnose(env, probes(script.exec, { platform: 'darwin', arch: 'arm64' }))).toBe(true);

    script.finish();
    expect(stdout()).toContain('ℹ Kind of Docker engine — Docker Desktop');
    expect(stdout()).not.toContain('Docker client');
    expect(stdout()).toContain('Ready for the labs.');
  });
});

describe('doctor --fix --yes against a local server', () => {
  let server: Server;
  let base: string;
  const FAKE = '#!/bin/sh\necho "kind v0.32.0"\n';
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/kubernetes-sigs/kind/releases/download/v0.32.0/kind-linux-amd64') res.writeHead(200).end(FAKE);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('a binary that is not the pinned one is refused and nothing is left in the cache', async () => {
    const script = scriptedExec([
      steps.dockerVersion,
      steps.dockerInfo(),
      { argv: ['kind', 'version'], error: missing('kind') },
      steps.kubectl(),
      steps.ports(),
      ...afterPorts(),
    ]);
    const { env } = commandEnv({ exec: script.exec, options: { yes: true } });
    const p = probes(script.exec);

    const error = await runDoctorCommand(
      env,
      { args: [], opts: { fix: true } },
      { probes: p, fetch: globalThis.fetch, bases: { kind: base, kubectl: base } },
    ).catch((e) => e);

    script.finish();
    expect(error).toBeInstanceOf(UserError);
    expect(tr(error.text, 'en')).toContain('differs from the pinned one');
    const bin = join(p.cacheDir, 'bin');
    expect(existsSync(bin) ? readdirSync(bin) : []).toEqual([]);
  });
});
