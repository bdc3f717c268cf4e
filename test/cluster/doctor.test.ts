import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadable, runDoctor } from '../../src/cluster/doctor/run.js';
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
  /** `docker info` with no engine behind it: exit 1, the client's JSON naming why on stdout, or only a line on stderr. */
  dockerInfoDown: (failure: { serverErrors: string[] } | { stderr: string }): Step => ({
    argv: ['docker', 'info', '--format', '{{json .}}'],
    exitCode: 1,
    ...('serverErrors' in failure
      ? { stdout: JSON.stringify({ ServerErrors: failure.serverErrors }), stderr: '' }
      : { stderr: failure.stderr }),
  }),
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
      steps.dockerInfoDown({
        serverErrors: [
          'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
        ],
      }),
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

  it('on a Mac, an engine that does not answer: Docker Desktop, OrbStack and colima are each told how to start', async () => {
    const script = scriptedExec([
      steps.dockerVersion,
      steps.dockerInfoDown({
        serverErrors: ['Cannot connect to the Docker daemon at unix:///Users/learner/.colima/default/docker.sock.'],
      }),
      steps.kind(),
      steps.kubectl(),
    ]);
    const report = await runDoctor(probes(script.exec, { platform: 'darwin', arch: 'arm64' }), OPTIONS);

    script.finish();
    const engine = report.checks.find((c) => c.id === 'docker-engine')!;
    expect(engine.status).toBe('fail');
    for (const lang of ['en', 'ko'] as const) {
      expect(tr(engine.fix!.text, lang)).toContain('colima start');
      expect(tr(engine.fix!.text, lang)).toContain('OrbStack');
    }
  });

  it('no permission on the Docker socket: the docker group, never sudo for the tool', async () => {
    const script = scriptedExec([
      steps.dockerVersion,
      steps.dockerInfoDown({
        stderr:
          'permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get "http://%2Fvar%2Frun%2Fdocker.sock/v1.51/info": dial unix /var/run/docker.sock: connect: permission denied\n',
      }),
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

  it('with --context, a gatewayclass query that fails for another reason is a warning naming it, not "no CRDs"', async () => {
    // cli-runtime's builder.go (v0.36.1) turns only a NoKindMatchError into "doesn't have a resource type".
    const failing = (stderr: string): Step[] => [
      steps.contextVersion(),
      { argv: ['kubectl', '--context', 'workshop', 'get', 'nodes', '-o', 'name'], stdout: 'node/n1\n' },
      {
        argv: ['kubectl', '--context', 'workshop', 'get', 'gatewayclass', 'cloud-provider-kind', '-o', 'json'],
        exitCode: 1,
        stderr,
      },
    ];
    const forbidden =
      'Error from server (Forbidden): gatewayclasses.gateway.networking.k8s.io "cloud-provider-kind" is forbidden: User "learner" cannot get resource "gatewayclasses" in API group "gateway.networking.k8s.io" at the cluster scope\n';
    const script = scriptedExec([...failing(forbidden), ...failing('Unable to connect to the server: EOF\n')]);
    for (const seen of [forbidden.trim(), 'Unable to connect to the server: EOF']) {
      const check = (await runDoctor(probes(script.exec), WORKSHOP)).checks.find((c) => c.id === 'gateway-api');
      expect(check?.status).toBe('warn');
      expect(check?.detail.en).toBe(
        `Could not ask whether Gateway API is there (${seen}); as it is, the gateway lab will be skipped.`,
      );
    }
    script.finish();
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

const WORKSHOP = { ...OPTIONS, context: 'workshop' };
const nodes = (stdout = 'node/n1\n'): Step => ({
  argv: ['kubectl', '--context', 'workshop', 'get', 'nodes', '-o', 'name'],
  stdout,
});
const noGatewayApi: Step = {
  argv: ['kubectl', '--context', 'workshop', 'get', 'gatewayclass', 'cloud-provider-kind', '-o', 'json'],
  exitCode: 1,
  stderr: 'error: the server doesn\'t have a resource type "gatewayclass"\n',
};
/** The server did not answer: kubectl still prints the client's part, then StandardErrorMessage's line, exit 1. */
const refused: Step = {
  argv: ['kubectl', '--context', 'workshop', 'version', '-o', 'json'],
  stdout: `${JSON.stringify(JSON.parse(KUBECTL_JSON), null, 2)}\n`,
  stderr: 'The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?\n',
  exitCode: 1,
};
const byId = (report: Awaited<ReturnType<typeof runDoctor>>, id: string) => report.checks.find((c) => c.id === id)!;

describe("doctor --context: the cluster's own Kubernetes", () => {
  it("reports the API server's gitVersion, not kubectl's nor the node image's", async () => {
    const script = scriptedExec([steps.contextVersion('v1.35.4'), nodes(), noGatewayApi]);
    const report = await runDoctor(probes(script.exec), WORKSHOP);

    script.finish();
    const server = byId(report, 'kubernetes');
    expect(server.status).toBe('ok');
    expect(server.detail).toEqual({ ko: 'v1.35.4', en: 'v1.35.4' });
    expect(tr(server.title, 'en')).toBe('Kubernetes (API server)');
    expect(tr(byId(report, 'kubectl').detail, 'en')).toBe('v1.36.1 (PATH)');
  });

  it("a managed cluster's version (minor `35+`, a vendor suffix) is read from gitVersion", async () => {
    const json = JSON.parse(serverJson('v1.35.4-eks-4f4795d'));
    json.serverVersion.minor = '35+';
    const script = scriptedExec([
      { argv: ['kubectl', '--context', 'workshop', 'version', '-o', 'json'], stdout: JSON.stringify(json) },
      nodes(),
      noGatewayApi,
    ]);
    const report = await runDoctor(probes(script.exec), WORKSHOP);

    script.finish();
    expect(byId(report, 'kubernetes').detail.en).toBe('v1.35.4-eks-4f4795d');
    expect(status(report).kubernetes).toBe('ok');
  });

  it("kubectl's skew is measured against the server: kubectl 1.34 with a 1.35 server is fine", async () => {
    // Against the node image's 1.36 this kubectl would be two minors away, a warning.
    const script = scriptedExec([steps.contextVersion('v1.35.4', 'v1.34.3'), nodes(), noGatewayApi]);
    const report = await runDoctor(probes(script.exec), WORKSHOP);

    script.finish();
    expect(status(report).kubectl).toBe('ok');
  });

  it('a server two minors older: both warn, and doctor --fix is not offered since its kubectl would not fit', async () => {
    const script = scriptedExec([steps.contextVersion('v1.34.2'), nodes(), noGatewayApi]);
    const report = await runDoctor(probes(script.exec), WORKSHOP);

    script.finish();
    expect(report.ok).toBe(true);
    const server = byId(report, 'kubernetes');
    expect(server.status).toBe('warn');
    expect(tr(server.detail, 'en')).toBe(
      "v1.34.2: the labs are written and checked for Kubernetes v1.36.1 (kind's node image). More than one minor version away, fields, defaults and the kubectl output the checks read may differ.",
    );
    expect(tr(server.fix!.text, 'ko')).toContain('Kubernetes 1.35–1.37');
    const kubectl = byId(report, 'kubectl');
    expect(kubectl.status).toBe('warn');
    expect(tr(kubectl.detail, 'en')).toContain('the cluster runs Kubernetes v1.34.2');
    expect(kubectl.download).toBeUndefined();
    expect(tr(kubectl.fix!.text, 'en')).toContain('does not fit this cluster either');
    expect(downloadable(report)).toEqual([]);
  });

  it('a server newer than kubectl by two minors: doctor --fix offers the pinned kubectl, which fits it', async () => {
    const script = scriptedExec([steps.contextVersion('v1.37.0', 'v1.35.2'), nodes(), noGatewayApi]);
    const report = await runDoctor(probes(script.exec), WORKSHOP);

    script.finish();
    expect(status(report).kubernetes).toBe('ok');
    expect(byId(report, 'kubectl').status).toBe('warn');
    expect(downloadable(report)).toEqual(['kubectl']);
  });

  it('an API server that refuses the connection is a blocking verdict; nothing more is asked of it', async () => {
    // Any further kubectl call (get nodes, the GatewayClass) is an unexpected command in this transcript.
    const script = scriptedExec([refused]);
    const report = await runDoctor(probes(script.exec), WORKSHOP);

    script.finish();
    expect(report.ok).toBe(false);
    expect(status(report)).toEqual({
      kubectl: 'ok',
      context: 'fail',
      kubernetes: 'skip',
      'docker-client': 'skip',
      kind: 'skip',
    });
    const context = byId(report, 'context');
    expect(tr(context.detail, 'en')).toBe(
      'The API server of the context workshop does not answer: The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?',
    );
    expect(context.fix?.commands).toEqual(['kubectl config get-contexts', 'kubectl --context workshop cluster-info']);
    expect(tr(byId(report, 'kubernetes').detail, 'en')).toBe('Not checked: no answer from the API server.');
  });

  it('a context kubectl cannot load: its message, and kubectl’s own version asked for alone', async () => {
    const script = scriptedExec([
      {
        argv: ['kubectl', '--context', 'workshop', 'version', '-o', 'json'],
        stderr: 'Error in configuration: context was not found for specified context: workshop\n',
        exitCode: 1,
      },
      steps.kubectl(),
    ]);
    const report = await runDoctor(probes(script.exec), WORKSHOP);

    script.finish();
    expect(tr(byId(report, 'kubectl').detail, 'en')).toBe('v1.36.1 (PATH)');
    const context = byId(report, 'context');
    expect(context.status).toBe('fail');
    expect(tr(context.detail, 'en')).toBe(
      'kubectl could not read the server version with this context: Error in configuration: context was not found for specified context: workshop',
    );
    expect(context.fix?.commands).toEqual(['kubectl config get-contexts']);
  });

  it('without kubectl nothing else is asked, and doctor --fix can download it', async () => {
    const script = scriptedExec([
      { argv: ['kubectl', '--context', 'workshop', 'version', '-o', 'json'], error: missing('kubectl') },
    ]);
    const report = await runDoctor(probes(script.exec), WORKSHOP);

    script.finish();
    expect(status(report)).toMatchObject({ kubectl: 'fail', context: 'skip', kubernetes: 'skip' });
    expect(downloadable(report)).toEqual(['kubectl']);
  });

  it('the command: exit 1 on a refused connection, the verdict in English (--json) and Korean', async () => {
    const script = scriptedExec([refused, refused]);
    const json = commandEnv({ exec: script.exec, options: { json: true, context: 'workshop' } });
    const deps = { probes: probes(script.exec), fetch: globalThis.fetch };

    expect(await runDoctorCommand(json.env, { args: [], opts: {} }, deps)).toBe(1);
    const context = JSON.parse(json.stdout()).checks.find((c: { id: string }) => c.id === 'context');
    expect(context.status).toBe('fail');
    expect(context.detail).toContain('does not answer: The connection to the server 127.0.0.1:6443 was refused');

    const ko = commandEnv({ exec: script.exec, options: { lang: 'ko', context: 'workshop' } });
    expect(await runDoctorCommand(ko.env, { args: [], opts: {} }, deps)).toBe(1);
    script.finish();
    expect(ko.stdout()).toContain('✖ kubectl 컨텍스트 workshop — 컨텍스트 workshop의 API 서버가 응답하지 않습니다:');
    expect(ko.stdout()).toContain('– Kubernetes (API 서버) — API 서버의 응답이 없어 확인하지 못했습니다.');
    expect(ko.stdout()).toContain('$ kubectl --context workshop cluster-info');
  });
});

describe("doctor: free disk on Docker's data root", () => {
  /** Records where free space was asked; the wrong disk answers 1 GiB, which would block. */
  const disks = (root: string) => {
    const asked: string[] = [];
    return {
      asked,
      freeDisk: async (path: string) => {
        asked.push(path);
        return path === root ? 80 * GIB : 1 * GIB;
      },
    };
  };
  const transcript = (info: string): Step[] => [
    steps.dockerVersion,
    steps.dockerInfo(info),
    steps.kind(),
    steps.kubectl(),
    steps.ports(),
    ...afterPorts(),
  ];

  it('a Linux engine: DockerRootDir is measured, not the home folder', async () => {
    const disk = disks('/var/lib/docker');
    const script = scriptedExec(transcript(fixture('docker-info-linux.json')));
    const report = await runDoctor(probes(script.exec, { freeDisk: disk.freeDisk }), OPTIONS);

    script.finish();
    expect(disk.asked).toEqual(['/var/lib/docker']);
    expect(byId(report, 'disk')).toMatchObject({ status: 'ok', detail: { en: '/var/lib/docker: 80.0 GiB' } });
  });

  it('Docker Desktop: the data root is in its VM, so the host disk is not measured and says so', async () => {
    const disk = disks('/var/lib/docker');
    const script = scriptedExec(transcript(fixture('docker-info-desktop.json')));
    const report = await runDoctor(
      probes(script.exec, { platform: 'darwin', arch: 'arm64', freeDisk: disk.freeDisk, exists: () => true }),
      OPTIONS,
    );

    script.finish();
    expect(disk.asked).toEqual([]);
    const check = byId(report, 'disk');
    expect(check.status).toBe('skip');
    expect(tr(check.detail, 'en')).toContain(
      "Docker's data root /var/lib/docker is inside Docker Desktop's VM, so this machine's free space is not its free space: not measured.",
    );
    expect(tr(check.detail, 'ko')).toContain('Docker Desktop의 VM 안에 있어');
    expect(tr(check.detail, 'en')).toContain('Settings → Resources');
  });

  it('a data root that is not on this machine (an engine elsewhere) is not measured either', async () => {
    const disk = disks('/var/lib/docker');
    const script = scriptedExec(transcript(fixture('docker-info-linux.json')));
    const report = await runDoctor(probes(script.exec, { freeDisk: disk.freeDisk, exists: () => false }), OPTIONS);

    script.finish();
    expect(disk.asked).toEqual([]);
    expect(tr(byId(report, 'disk').detail, 'en')).toBe(
      "Docker's data root /var/lib/docker is not on this machine (the engine seems to run elsewhere): not measured.",
    );
  });

  it('no engine: no data root to measure', async () => {
    const disk = disks('/var/lib/docker');
    const script = scriptedExec([
      steps.dockerVersion,
      steps.dockerInfoDown({ stderr: 'Cannot connect to the Docker daemon\n' }),
      steps.kind(),
      steps.kubectl(),
    ]);
    const report = await runDoctor(probes(script.exec, { freeDisk: disk.freeDisk }), OPTIONS);

    script.finish();
    expect(disk.asked).toEqual([]);
    expect(status(report).disk).toBe('skip');
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

  it('when kind and kubectl run from the cache, prints the PATH line for sh/zsh and PowerShell, each whole', async () => {
    // Long enough that wrapping at 80 columns would split the command and its label.
    const cacheDir = join(tempDir('cache'), 'a-long-cache-folder-name-like-a-windows-profile-path');
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
    expect(stdout()).toContain(
      `\n  sh, zsh, bash:  export PATH="${bin}:$PATH"\n  PowerShell:     $env:PATH = "${bin}:" + $env:PATH\n`,
    );
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
