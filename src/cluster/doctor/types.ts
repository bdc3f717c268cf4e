import type { Exec } from '../../platform/command.js';
import type { Text } from '../../core/i18n.js';
import type { PortProbe } from '../host-ports.js';
import type { HostPorts } from '../types.js';
import type { ToolName } from '../versions.js';

/** ok: fine. info: worth knowing, not a problem. warn: may cause trouble. fail: blocks the labs. skip: not checked. */
export type CheckStatus = 'ok' | 'info' | 'warn' | 'fail' | 'skip';

export interface DoctorCheck {
  /** Stable id for `--json` (docker-client, docker-engine, …). */
  id: string;
  status: CheckStatus;
  /** What was checked. */
  title: Text;
  /** What was found. */
  detail: Text;
  /** How to fix it: the commands to run, and what they do. */
  fix?: { text: Text; commands: string[] };
  /** `doctor --fix` can download this tool to repair the check. */
  download?: ToolName;
}

/** Everything doctor looks at, injectable so tests can walk each branch. */
export interface DoctorProbes {
  exec: Exec;
  platform: NodeJS.Platform;
  arch: string;
  /** A file's text, or undefined when it cannot be read (/proc on Linux). */
  readText(path: string): Promise<string | undefined>;
  probePort: PortProbe;
  /** Bytes of memory on this machine (used when the engine does not say how much it has). */
  totalMemory(): number;
  /** Free bytes on the file system holding `path`, undefined when unknown. */
  freeDisk(path: string): Promise<number | undefined>;
  /** The tool's cache: where `doctor --fix` puts kind and kubectl. */
  cacheDir: string;
  homeDir: string;
  /** DOCKER_HOST, KIND_EXPERIMENTAL_DOCKER_NETWORK, …: what the engine profile reads. */
  env: NodeJS.ProcessEnv;
  /** Whether a file exists (Docker Desktop's privileged helper on macOS). */
  exists(path: string): boolean;
  /** This user's uid on Linux and macOS (rootless Docker's cgroup delegation is per user). */
  uid?: number;
}

export interface DoctorOptions {
  clusterName: string;
  ports: HostPorts;
  /** Existing-context mode: kind, Docker and host ports are not needed. */
  context?: string;
}

export const GIB = 1024 ** 3;
