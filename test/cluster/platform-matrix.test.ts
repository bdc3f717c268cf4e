import { describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/cluster/doctor/run.js';
import { GIB, type CheckStatus, type DoctorProbes } from '../../src/cluster/doctor/types.js';
import { DOCKER_DESKTOP_HELPER } from '../../src/cluster/doctor/host-checks.js';
import { engineProfile, type EngineProfile } from '../../src/cluster/engine-profile.js';
import type { PortState } from '../../src/cluster/host-ports.js';
import { controllerRunArgs } from '../../src/cluster/kind/controller.js';
import { saveArgs } from '../../src/cluster/kind/images.js';
import { imageFile } from '../../src/cluster/offline-pack.js';
import { chooseVantage } from '../../src/checks/vantage.js';
import { tr } from '../../src/core/i18n.js';
import { checkContext, fakeCluster } from '../checks/context.js';
import { fixture, tempDir } from './kind-fixtures.js';
import { scriptedExec, type Step } from './scripted-exec.js';

/**
 * The platform matrix: for each kind of laptop a workshop room brings, what `docker info` and `docker version`
 * print there (test/cluster/fixtures/platforms, shapes from Docker's documentation and public reports; see the
 * README there), and what this tool decides from it. Read from source and fixtures, not run on those laptops:
 * `npm run test:kind` on each is what confirms a row.
 */
interface Platform {
  name: string;
  host: { platform: NodeJS.Platform; arch: string; env: NodeJS.ProcessEnv };
  /** What probing 127.0.0.1:80/443 as this user gives there. */
  lowPorts: PortState;
  /** Files that exist there (Docker Desktop's privileged helper, Docker's data root on a Linux host). */
  files?: string[];
  /** Rootless: the user's delegated cgroup controllers. */
  delegated?: string;
  expect: {
    engine: EngineProfile['engine'];
    ok: boolean;
    verdicts: Record<string, CheckStatus>;
    controller: { image: string; socket: string };
    save: string[];
    /** Vantage of a check on a 127.0.0.1 mapping, and on a LoadBalancer address. */
    vantage: { mapping: string; loadBalancer: string };
  };
}

const V0111 = 'registry.k8s.io/cloud-provider-kind/cloud-controller-manager:v0.11.1';
const V0100 = 'registry.k8s.io/cloud-provider-kind/cloud-controller-manager:v0.10.0';
const ROOTFUL = '/var/run/docker.sock';
const CONTOUR = 'ghcr.io/projectcontour/contour:v1.33.6';
const classic = ['save', '-o', 'f.tar', CONTOUR];
const containerd = (platform: string) => ['save', '--platform', platform, '-o', 'f.tar', CONTOUR];

const PLATFORMS: Platform[] = [
  {
    name: 'linux-docker28-rootful',
    host: { platform: 'linux', arch: 'x64', env: {} },
    lowPorts: 'denied',
    files: ['/var/lib/docker'],
    expect: {
      engine: 'docker-engine',
      ok: true,
      verdicts: { 'docker-kind': 'ok', 'image-store': 'ok', 'port-http': 'ok', 'port-https': 'ok', disk: 'ok' },
      controller: { image: V0111, socket: ROOTFUL },
      save: classic,
      vantage: { mapping: 'host', loadBalancer: 'host' },
    },
  },
  {
    name: 'linux-docker29-containerd',
    host: { platform: 'linux', arch: 'x64', env: {} },
    lowPorts: 'denied',
    files: ['/var/lib/docker'],
    expect: {
      engine: 'docker-engine',
      ok: true,
      verdicts: { 'docker-kind': 'ok', 'image-store': 'info', 'port-http': 'ok', 'port-https': 'ok', disk: 'ok' },
      controller: { image: V0111, socket: ROOTFUL },
      save: containerd('linux/amd64'),
      vantage: { mapping: 'host', loadBalancer: 'host' },
    },
  },
  {
    name: 'linux-rootless',
    host: { platform: 'linux', arch: 'x64', env: { XDG_RUNTIME_DIR: '/run/user/1000' } },
    lowPorts: 'denied',
    files: ['/home/ada/.local/share/docker'],
    delegated: 'cpuset cpu io memory pids\n',
    expect: {
      engine: 'docker-engine',
      ok: true,
      verdicts: { 'docker-kind': 'info', 'image-store': 'ok', 'port-http': 'warn', 'port-https': 'warn', disk: 'ok' },
      controller: { image: V0111, socket: '/run/user/1000/docker.sock' },
      save: classic,
      vantage: { mapping: 'host', loadBalancer: 'network' },
    },
  },
  {
    name: 'macos-docker-desktop',
    host: { platform: 'darwin', arch: 'arm64', env: {} },
    lowPorts: 'denied',
    files: [DOCKER_DESKTOP_HELPER],
    expect: {
      engine: 'docker-desktop',
      ok: true,
      verdicts: { 'docker-kind': 'info', 'image-store': 'info', 'port-http': 'ok', 'port-https': 'ok', disk: 'skip' },
      controller: { image: V0111, socket: ROOTFUL },
      save: containerd('linux/arm64'),
      vantage: { mapping: 'host', loadBalancer: 'network' },
    },
  },
  {
    name: 'macos-colima',
    host: { platform: 'darwin', arch: 'arm64', env: {} },
    lowPorts: 'denied',
    expect: {
      engine: 'colima',
      ok: false,
      verdicts: { 'docker-kind': 'info', 'image-store': 'ok', 'port-http': 'fail', 'port-https': 'fail', disk: 'skip' },
      controller: { image: V0111, socket: ROOTFUL },
      save: classic,
      vantage: { mapping: 'host', loadBalancer: 'network' },
    },
  },
  {
    name: 'macos-orbstack',
    host: { platform: 'darwin', arch: 'arm64', env: {} },
    lowPorts: 'denied',
    expect: {
      engine: 'orbstack',
      ok: false,
      verdicts: {
        'docker-kind': 'info',
        'image-store': 'info',
        'port-http': 'fail',
        'port-https': 'fail',
        disk: 'skip',
      },
      controller: { image: V0111, socket: ROOTFUL },
      save: containerd('linux/arm64'),
      vantage: { mapping: 'host', loadBalancer: 'network' },
    },
  },
  {
    name: 'windows-docker-desktop-wsl2',
    host: { platform: 'win32', arch: 'x64', env: {} },
    lowPorts: 'free',
    expect: {
      engine: 'docker-desktop',
      ok: true,
      verdicts: { 'docker-kind': 'info', 'image-store': 'info', 'port-http': 'ok', 'port-https': 'ok', disk: 'skip' },
      controller: { image: V0100, socket: ROOTFUL },
      save: containerd('linux/amd64'),
      vantage: { mapping: 'host', loadBalancer: 'network' },
    },
  },
];

function load(name: string): { dockerInfo: Record<string, unknown>; dockerVersion: { Client: { Version: string } } } {
  return JSON.parse(fixture(`platforms/${name}.json`));
}

function doctorTranscript(p: Platform): Step[] {
  const { dockerInfo, dockerVersion } = load(p.name);
  const win = p.host.platform === 'win32';
  return [
    { argv: ['docker', 'version', '--format', '{{.Client.Version}}'], stdout: `${dockerVersion.Client.Version}\n` },
    { argv: ['docker', 'info', '--format', '{{json .}}'], stdout: JSON.stringify(dockerInfo) },
    { argv: ['kind', 'version'], stdout: `kind v0.32.0 go1.25.5 ${p.host.platform}/amd64\n` },
    {
      argv: ['kubectl', 'version', '--client', '-o', 'json'],
      stdout: JSON.stringify({ clientVersion: { gitVersion: 'v1.36.1' } }),
    },
    { argv: ['docker', 'ps', '--filter', 'label=io.x-k8s.kind.cluster=expose-labs', '--format', '{{.Ports}}'] },
    { argv: ['docker', 'ps', '--format', '{{.Names}}\t{{.Image}}\t{{.Labels}}'] },
    win
      ? {
          argv: ['tasklist', '/FI', 'IMAGENAME eq cloud-provider-kind.exe', '/NH', '/FO', 'CSV'],
          stdout: 'INFO: No tasks are running which match the specified criteria.\r\n',
        }
      : { argv: ['pgrep', '-x', 'cloud-provider-kind'], exitCode: 1 },
    {
      argv: [
        'docker',
        'ps',
        '--filter',
        'label=io.x-k8s.cloud-provider-kind.cluster',
        '--format',
        '{{.Names}} {{.Ports}}',
      ],
    },
  ];
}

/** The files doctor reads there: inotify limits, and the delegated cgroup controllers. */
const readTextOn =
  (p: Platform): DoctorProbes['readText'] =>
  async (path) => {
    if (path.endsWith('max_user_watches')) return '524288\n';
    if (path.endsWith('max_user_instances')) return '512\n';
    if (path.endsWith('cgroup.controllers')) return p.delegated;
    return undefined;
  };

function probes(p: Platform, exec: DoctorProbes['exec']): DoctorProbes {
  return {
    exec,
    platform: p.host.platform,
    arch: p.host.arch,
    readText: readTextOn(p),
    probePort: async (port) => (port < 1024 ? p.lowPorts : 'free'),
    totalMemory: () => 16 * GIB,
    // Room on Docker's data root only: measuring any other disk (the home folder, a VM's host) would block.
    freeDisk: async (path) => (path === load(p.name).dockerInfo.DockerRootDir ? 80 * GIB : 1 * GIB),
    cacheDir: tempDir('cache'),
    homeDir: tempDir('home'),
    env: p.host.env,
    exists: (path) => (p.files ?? []).includes(path),
    uid: 1000,
  };
}

const OPTIONS = {
  clusterName: 'expose-labs',
  ports: { http: 80, https: 443, nodePort: 30000, workerA: 30081, workerB: 30082 },
};

/** Doctor on platform `p`, answering `steps` (its usual transcript unless given); every step must run. */
async function doctorOn(p: Platform, steps = doctorTranscript(p), change: Partial<DoctorProbes> = {}) {
  const script = scriptedExec(steps);
  const report = await runDoctor({ ...probes(p, script.exec), ...change }, OPTIONS);
  script.finish();
  return report;
}

describe.each(PLATFORMS)('platform $name', (p) => {
  const profile = () => engineProfile(load(p.name).dockerInfo, p.host);

  it('doctor: the verdicts pinned for this laptop; a blocked one is blocked at once, each block with its fix', async () => {
    const report = await doctorOn(p);
    const verdicts = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
    expect(verdicts).toMatchObject(p.expect.verdicts);
    expect(report.ok).toBe(p.expect.ok);
    for (const check of report.checks.filter((c) => c.status === 'fail')) {
      expect(check.fix?.commands.length, check.id).toBeGreaterThan(0);
      expect(check.fix!.commands.join('\n')).toContain('--http-port 8080 --https-port 8443');
    }
  });

  it('the engine, the controller and its argv, the image archive', () => {
    const decided = profile();
    expect(decided.engine).toBe(p.expect.engine);
    const argv = controllerRunArgs(decided);
    expect(argv).toContain(p.expect.controller.image);
    expect(argv).toContain(`${p.expect.controller.socket}:/var/run/docker.sock`);
    expect(argv.slice(-2)).toEqual(['--gateway-channel=standard', '--enable-default-ingress=false']);
    expect(saveArgs(decided, CONTOUR, 'f.tar')).toEqual(p.expect.save);
    // What `unpack` loads there: the archives of the engine's own CPU.
    const arch = p.host.arch === 'arm64' ? 'arm64' : 'amd64';
    expect(imageFile(CONTOUR, decided.platform!)).toBe(`images/ghcr.io_projectcontour_contour_v1.33.6_${arch}.tar`);
  });

  it('the vantage of a check through a 127.0.0.1 mapping and of one on a LoadBalancer address', async () => {
    const decided = profile();
    const ctx = checkContext({
      vantage: 'auto',
      cluster: fakeCluster({
        reachability: {
          hostReachesNodeNetwork: decided.hostReachesNodeNetwork,
          networkProbe: { network: decided.network, image: 'kindest/node:v1.36.1' },
        },
      }),
    });
    expect((await chooseVantage(ctx, '127.0.0.1')).kind).toBe(p.expect.vantage.mapping);
    expect((await chooseVantage(ctx, '172.18.0.5')).kind).toBe(p.expect.vantage.loadBalancer);
  });
});

const platform = (name: string, change: Partial<Platform> = {}): Platform => ({
  ...PLATFORMS.find((x) => x.name === name)!,
  ...change,
});

describe('platform details', () => {
  it("colima: its VM's disk is named, not measured on the Mac", async () => {
    const p = PLATFORMS.find((x) => x.name === 'macos-colima')!;
    const script = scriptedExec(doctorTranscript(p));
    const disk = (await runDoctor(probes(p, script.exec), OPTIONS)).checks.find((c) => c.id === 'disk')!;
    expect(tr(disk.detail, 'en')).toContain("Docker's data root /var/lib/docker is inside colima's VM");
    expect(tr(disk.detail, 'en')).toContain('colima list shows it');
    expect(tr(disk.detail, 'ko')).toContain('colima의 VM 안에 있어');
  });

  it('a WSL2 kernel is named, and what v0.10.0 costs is said', async () => {
    const report = await doctorOn(platform('windows-docker-desktop-wsl2'));
    const kind = report.checks.find((c) => c.id === 'docker-kind')!;
    expect(kind.status).toBe('info');
    expect(tr(kind.detail, 'en')).toContain('WSL2 kernel');
    expect(tr(kind.detail, 'en')).toContain('v0.10.0');
    expect(tr(kind.detail, 'en')).toContain('Gateway API CRDs v1.4.0');
    expect(tr(kind.detail, 'ko')).toContain('v1.4.0');
  });

  it('Docker Desktop on macOS without its privileged helper is stopped with both fixes', async () => {
    const report = await doctorOn(platform('macos-docker-desktop', { files: [] }));
    const http = report.checks.find((c) => c.id === 'port-http')!;
    expect(http.status).toBe('fail');
    expect(tr(http.fix!.text, 'en')).toContain('Settings → Advanced');
    expect(report.ok).toBe(false);
  });

  it('rootless Docker without delegated cgroup controllers is stopped with the systemd fix', async () => {
    const report = await doctorOn(platform('linux-rootless', { delegated: 'memory pids\n' }));
    const kind = report.checks.find((c) => c.id === 'docker-kind')!;
    expect(kind.status).toBe('fail');
    expect(tr(kind.detail, 'en')).toContain('cpu cpuset io missing');
    expect(kind.fix!.commands.join('\n')).toContain('Delegate=yes');
  });

  it('rootless: DOCKER_HOST names the socket the controller mounts', () => {
    const decided = engineProfile(load('linux-rootless').dockerInfo, {
      platform: 'linux',
      env: { DOCKER_HOST: 'unix:///run/user/1001/docker.sock', XDG_RUNTIME_DIR: '/run/user/1000' },
    });
    expect(controllerRunArgs(decided)).toContain('/run/user/1001/docker.sock:/var/run/docker.sock');
  });

  it('KIND_EXPERIMENTAL_DOCKER_NETWORK moves the controller and its load balancers to that network', () => {
    const decided = engineProfile(load('linux-docker28-rootful').dockerInfo, {
      platform: 'linux',
      env: { KIND_EXPERIMENTAL_DOCKER_NETWORK: 'workshop' },
    });
    const argv = controllerRunArgs(decided);
    expect(argv.slice(argv.indexOf('--network'), argv.indexOf('--network') + 2)).toEqual(['--network', 'workshop']);
    expect(argv).toContain('KIND_EXPERIMENTAL_DOCKER_NETWORK=workshop');
  });

  it('another controller, in a container or on the host, blocks with the command that stops it', async () => {
    const p = PLATFORMS[0]!;
    const steps = doctorTranscript(p);
    steps[5] = {
      ...steps[5]!,
      stdout:
        'expose-labs-cloud-provider-kind\tregistry.k8s.io/cloud-provider-kind/cloud-controller-manager:v0.11.1\texpose-labs.role=cloud-provider-kind\n' +
        'ccm\tregistry.k8s.io/cloud-provider-kind/cloud-controller-manager:v0.9.0\t\n',
    };
    steps[6] = { argv: ['pgrep', '-x', 'cloud-provider-kind'], stdout: '4242\n5151\n7373\n8484\n' };
    steps.splice(7, 0, {
      argv: ['docker', 'inspect', '--format', '{{.State.Pid}}', 'expose-labs-cloud-provider-kind', 'ccm'],
      stdout: '4242\n5151\n',
    });
    // 8484 runs in a container whose PID Docker reports in another namespace: its cgroup tells.
    const readText = async (path: string) =>
      path === '/proc/8484/cgroup' ? '0::/user.slice/user-1000.slice/docker-5f1c9e0d2a7b.scope\n' : readTextOn(p)(path);
    const report = await doctorOn(p, steps, { readText });

    const check = report.checks.find((c) => c.id === 'cloud-provider-kind')!;
    expect(check.status).toBe('fail');
    expect(tr(check.detail, 'en')).toContain(
      'ccm (registry.k8s.io/cloud-provider-kind/cloud-controller-manager:v0.9.0), PID 7373',
    );
    expect(check.fix!.commands).toEqual(['docker rm -f ccm', 'sudo kill 7373']);
  });

  it('on Windows a cloud-provider-kind.exe on the host blocks with a taskkill that ends a console process', async () => {
    const p = PLATFORMS.find((q) => q.host.platform === 'win32')!;
    const steps = doctorTranscript(p);
    steps[6] = { ...steps[6]!, stdout: '"cloud-provider-kind.exe","4312","Console","1","21,300 K"\r\n' };
    steps.splice(7, 0, {
      argv: ['docker', 'inspect', '--format', '{{.State.Pid}}', 'expose-labs-cloud-provider-kind'],
      stdout: '',
    });
    const report = await doctorOn(p, steps);

    const check = report.checks.find((c) => c.id === 'cloud-provider-kind')!;
    expect(check.status).toBe('fail');
    expect(tr(check.detail, 'en')).toContain('cloud-provider-kind.exe PID 4312');
    // Without /F, taskkill only asks a process with no window of its own to close, and a console program stays.
    expect(check.fix!.commands).toEqual(['taskkill /F /PID 4312']);
  });

  it('the admin ports cloud-provider-kind publishes on every address are listed', async () => {
    const p = PLATFORMS[0]!;
    const steps = doctorTranscript(p);
    steps[7] = {
      ...steps[7]!,
      stdout: 'kindccm-3f6d0a2b9c1e 0.0.0.0:32768->10000/tcp, [::]:32768->10000/tcp\n',
    };
    const report = await doctorOn(p, steps);
    const check = report.checks.find((c) => c.id === 'lan-exposure')!;
    expect(check.status).toBe('info');
    expect(tr(check.detail, 'en')).toContain('kindccm-3f6d0a2b9c1e 0.0.0.0:32768->10000/tcp');
    expect(tr(check.detail, 'en')).toContain('host firewall');
  });
});
