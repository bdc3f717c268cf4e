import { UserError } from '../core/errors.js';
import { parseJsonObject } from '../core/json.js';
import { formatCommand, type CommandResult, type Exec } from '../platform/command.js';
import { toolCommand } from '../platform/invocation.js';

/** What `docker info --format '{{json .}}'` prints that the tool reads. */
export interface DockerInfo {
  ServerVersion?: string;
  OperatingSystem?: string;
  /** The kernel the engine (and every container) runs on: `…-microsoft-standard-WSL2`, `…-linuxkit`, `…-orbstack-…`. */
  KernelVersion?: string;
  /** `x86_64` or `aarch64`: the CPU of the engine's kernel, which the node images must match. */
  Architecture?: string;
  /** The engine's host name: `docker-desktop`, `colima` (or `colima-<profile>`), `orbstack`, a Linux host name. */
  Name?: string;
  Driver?: string;
  /** `[["driver-type", "io.containerd.snapshotter.v1"]]` when images live in containerd's store. */
  DriverStatus?: [string, string][] | null;
  CgroupVersion?: string;
  MemTotal?: number;
  NCPU?: number;
  DockerRootDir?: string;
  SecurityOptions?: string[];
  ServerErrors?: string[];
}

export const DOCKER_INFO_ARGS = ['info', '--format', '{{json .}}'] as const;

/** Parse `docker info` JSON; undefined when the output is not that (a dry run, an old client). */
export function parseDockerInfo(stdout: string): DockerInfo | undefined {
  return parseJsonObject<DockerInfo>(stdout);
}

/** Docker Desktop (macOS, Windows, and Linux too) runs the engine in a VM: container addresses stay inside it. */
export function isDockerDesktop(info: DockerInfo | undefined): boolean {
  return /docker desktop/i.test(info?.OperatingSystem ?? '');
}

/**
 * An engine in a VM on this machine (Docker Desktop, colima, OrbStack): the `kind` network is inside the VM.
 * Recognised from `docker info`: colima's VM is named `colima[-profile]`; OrbStack's kernel carries `orbstack`
 * (older OrbStack builds reported `OperatingSystem: "Alpine Linux edge (containerized)"`, newer "OrbStack").
 */
export type EngineName = 'docker-engine' | 'docker-desktop' | 'colima' | 'orbstack';

export function engineName(info: DockerInfo | undefined): EngineName {
  if (isDockerDesktop(info)) return 'docker-desktop';
  if (/orbstack/i.test(`${info?.KernelVersion ?? ''} ${info?.OperatingSystem ?? ''} ${info?.Name ?? ''}`))
    return 'orbstack';
  if (/^colima(-|$)/i.test(info?.Name ?? '')) return 'colima';
  return 'docker-engine';
}

/** kind's own test (providers/docker/provider.go@v0.32.0): a SecurityOptions CSV field equal to `name=rootless`. */
export function isRootless(info: DockerInfo | undefined): boolean {
  return (info?.SecurityOptions ?? []).some((option) => option.split(',').includes('name=rootless'));
}

/**
 * The engine's kernel is a WSL2 kernel (Docker Desktop on Windows, or an engine installed inside a WSL2
 * distribution). cloud-provider-kind tests `/proc/version` for the literal "WSL2" (cmd/app.go@v0.11.1,
 * `isWSL2`); inside a container that file shows the engine's kernel, whose release `docker info` reports.
 */
export function isWsl2Kernel(info: DockerInfo | undefined): boolean {
  return (info?.KernelVersion ?? '').includes('WSL2');
}

/** Images are kept in containerd's store (Docker 29 default, Docker Desktop, OrbStack): `DriverStatus` says so. */
export function usesContainerdStore(info: DockerInfo | undefined): boolean {
  return (info?.DriverStatus ?? []).some(
    ([key, value]) => key === 'driver-type' && value === 'io.containerd.snapshotter.v1',
  );
}

/** `linux/amd64` or `linux/arm64`: the platform of images the engine runs; undefined for any other CPU. */
export function enginePlatform(info: DockerInfo | undefined): 'linux/amd64' | 'linux/arm64' | undefined {
  const arch = info?.Architecture ?? '';
  if (arch === 'x86_64' || arch === 'amd64') return 'linux/amd64';
  if (arch === 'aarch64' || arch === 'arm64') return 'linux/arm64';
  return undefined;
}

/** One IPAM entry of `docker network inspect` ("Gateway" is absent on some Docker versions). */
interface IpamConfig {
  Subnet?: string;
  Gateway?: string;
}

export interface DockerNetwork {
  Name?: string;
  IPAM?: { Config?: IpamConfig[] | null };
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * The IPv4 gateway of a Docker network: from IPAM.Config, else the first address of its IPv4 subnet (what
 * Docker assigns as the bridge's gateway when none is given). The kind network also has an IPv6 entry.
 */
export function ipv4Gateway(networks: DockerNetwork[]): string | undefined {
  const configs = networks.flatMap((n) => n.IPAM?.Config ?? []);
  const explicit = configs.find((c) => c.Gateway && IPV4.test(c.Gateway));
  if (explicit?.Gateway) return explicit.Gateway;
  for (const config of configs) {
    const [address, bits] = (config.Subnet ?? '').split('/');
    const match = IPV4.exec(address ?? '');
    if (!match || !bits) continue;
    const value = match.slice(1).reduce((acc, part) => acc * 256 + Number(part), 0);
    const mask = Number(bits) === 0 ? 0 : (0xffffffff << (32 - Number(bits))) >>> 0;
    const first = ((value & mask) >>> 0) + 1;
    return [24, 16, 8, 0].map((shift) => (first >>> shift) & 255).join('.');
  }
  return undefined;
}

/** Every subnet of the networks (IPv4 and IPv6), as CIDRs. */
export function subnets(networks: DockerNetwork[]): string[] {
  return networks.flatMap((n) => n.IPAM?.Config ?? []).flatMap((c) => (c.Subnet ? [c.Subnet] : []));
}

/** Run and parse JSON, with a clear error naming the command when either fails. */
export async function execJson<T>(exec: Exec, file: string, args: readonly string[], signal?: AbortSignal): Promise<T> {
  const result: CommandResult = await exec({ file, args }, { signal });
  const line = formatCommand({ file, args });
  if (result.failed) {
    throw new UserError(
      {
        ko: `명령이 실패했습니다: ${line}\n${result.stderr.trim()}`,
        en: `Command failed: ${line}\n${result.stderr.trim()}`,
      },
      { ko: `${toolCommand()} doctor 로 환경을 점검하세요.`, en: `Run ${toolCommand()} doctor to check the machine.` },
    );
  }
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new UserError({
      ko: `예상한 JSON 출력이 아닙니다: ${line}`,
      en: `Not the JSON output expected from: ${line}`,
    });
  }
}

/** Names of all containers (running or not) carrying `label` (`key=value`). */
export async function listContainers(exec: Exec, label: string, signal?: AbortSignal): Promise<string[]> {
  const result = await exec(
    { file: 'docker', args: ['ps', '-a', '--filter', `label=${label}`, '--format', '{{.Names}}'] },
    { signal },
  );
  if (result.failed) {
    throw new UserError(
      {
        ko: `Docker 컨테이너 목록을 읽지 못했습니다: ${result.stderr.trim()}`,
        en: `Could not list Docker containers: ${result.stderr.trim()}`,
      },
      { ko: `${toolCommand()} doctor 로 Docker를 점검하세요.`, en: `Run ${toolCommand()} doctor to check Docker.` },
    );
  }
  return result.stdout
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}
