import { describe, expect, it } from 'vitest';
import { KubectlCluster } from '../../src/cluster/kubectl-cluster.js';
import { DEFAULT_HOST_PORTS } from '../../src/cluster/types.js';
import type { Command, ExecCallOptions } from '../../src/platform/command.js';

/** The watch a waiting step runs goes through the one exec, names the lab's context, and streams its lines. */
describe('KubectlCluster.watch', () => {
  it('runs kubectl --context <context> get … --watch and hands each line on', async () => {
    const calls: { command: Command; options?: ExecCallOptions }[] = [];
    const cluster = new KubectlCluster(
      'expose-labs',
      'kind-expose-labs',
      DEFAULT_HOST_PORTS,
      async (command, options) => {
        calls.push({ command, options });
        options?.onLine?.('ingress.networking.k8s.io/basic-jordy-ing');
        return { exitCode: 0, stdout: '', stderr: '', failed: false, timedOut: false };
      },
      '/usr/local/bin/kubectl',
      async () => ({ hostReachesNodeNetwork: true, hostClientAddress: '127.0.0.1' }),
    );
    const lines: string[] = [];
    const signal = new AbortController().signal;
    const args = [
      'get',
      'ingress',
      '-n',
      'default',
      '--field-selector',
      'metadata.name=basic-jordy-ing',
      '--watch',
      '-o',
      'name',
    ];
    await cluster.watch(args, (l) => lines.push(l), { signal });
    expect(calls[0]!.command).toEqual({
      file: '/usr/local/bin/kubectl',
      args: ['--context', 'kind-expose-labs', ...args],
    });
    expect(calls[0]!.options?.signal).toBe(signal);
    expect(lines).toEqual(['ingress.networking.k8s.io/basic-jordy-ing']);
  });
});
