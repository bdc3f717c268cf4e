import { UserError } from '../core/errors.js';
import { formatCommand, type CommandResult, type Exec } from '../platform/command.js';
import { toolCommand } from '../platform/invocation.js';

/** What `docker info --format '{{json .}}'` prints that the tool reads. */
export interface DockerInfo {
  ServerVersion?: string;
  OperatingSystem?: string;
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
  try {
    const value: unknown = JSON.parse(stdout);
    return value && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Docker Desktop (macOS, Windows, and Linux too) runs the engine in a VM: container addresses stay inside it. */
export function isDockerDesktop(info: DockerInfo | undefined): boolean {
  return /docker desktop/i.test(info?.OperatingSystem ?? '');
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
