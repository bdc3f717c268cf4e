import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_HOST_PORTS, type Cluster, type HostPorts, type Reachability } from '../../src/cluster/types.js';
import type { CheckContext } from '../../src/checks/types.js';
import { formatCommand, type CommandResult, type Exec } from '../../src/platform/command.js';

/** An Exec that fails the test on any call: host checks must not start processes. */
export const noProcesses: Exec = async (command) => {
  throw new Error(`unexpected process: ${formatCommand(command)}`);
};

export type KubectlFake = (args: readonly string[]) => CommandResult;

export function ok(stdout: string): CommandResult {
  return { exitCode: 0, stdout, stderr: '', failed: false, timedOut: false };
}

export function failed(stderr: string, exitCode = 1): CommandResult {
  return { exitCode, stdout: '', stderr, failed: true, timedOut: false };
}

export function fakeCluster(
  options: { ports?: Partial<HostPorts>; reachability?: Partial<Reachability>; kubectl?: KubectlFake } = {},
): Cluster & { kubectlCalls: string[][] } {
  const kubectlCalls: string[][] = [];
  return {
    name: 'expose-labs',
    context: 'kind-expose-labs',
    ports: { ...DEFAULT_HOST_PORTS, ...options.ports },
    kubectlCalls,
    async kubectl(args) {
      kubectlCalls.push([...args]);
      if (!options.kubectl) throw new Error(`unexpected kubectl ${args.join(' ')}`);
      return options.kubectl(args);
    },
    kubectlLine: (args) => formatCommand({ file: 'kubectl', args: ['--context', 'kind-expose-labs', ...args] }),
    async reachability() {
      return { hostReachesNodeNetwork: true, hostClientAddress: '127.0.0.1', ...options.reachability };
    },
  };
}

/** A check context over loopback, with its own hosts file (written from `hosts`). */
export function checkContext(overrides: Partial<CheckContext> & { hosts?: string } = {}): CheckContext {
  const dir = mkdtempSync(join(tmpdir(), 'expose-labs-checks-'));
  const hostsFile = join(dir, 'hosts');
  writeFileSync(hostsFile, overrides.hosts ?? '127.0.0.1 localhost\n');
  const { hosts: _hosts, ...rest } = overrides;
  return {
    lang: 'en',
    cluster: fakeCluster(),
    exec: noProcesses,
    paths: { root: dir, workspace: dir, hostsFile },
    noHosts: false,
    dryRun: false,
    signal: new AbortController().signal,
    log: { info() {}, command() {}, output() {}, warn() {}, verbose() {} },
    vantage: 'host',
    timeoutMs: 1000,
    ...rest,
  };
}
