#!/usr/bin/env node
/**
 * The built CLI with the cluster double handed in, for driving it in a real terminal (tmux) as a learner would:
 * `node dist/test/support/launcher.js start …`. It goes through the same `main(argv, deps)` as bin.ts; nothing in
 * src/ knows about it. The double lives in this process, so each run starts with an empty cluster.
 *
 * EXPOSE_LABS_TEST_SLOW_APPLY=<text>: a `kubectl apply` whose file name contains <text> waits 60 s (or until
 * cancelled), so a terminal test can press Ctrl-C while "Run it for me" is still running an action.
 */
import type { Cluster, ClusterProvider } from '../../src/cluster/types.js';
import { InterruptedError } from '../../src/core/errors.js';
import { main } from '../../src/cli.js';
import { createExec } from '../../src/platform/exec.js';
import { installInterruptHandler } from '../../src/platform/interrupts.js';
import { createDoubleProvider } from './cluster-double/index.js';

const controller = new AbortController();
installInterruptHandler(controller);
const double = createDoubleProvider();
const real = createExec();
const slow = process.env.EXPOSE_LABS_TEST_SLOW_APPLY;

function slowApply(cluster: Cluster): Cluster {
  const kubectl: Cluster['kubectl'] = async (args, options = {}) => {
    if (slow && args[0] === 'apply' && args.some((a) => a.includes(slow))) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, 60_000);
        options.signal?.addEventListener('abort', () => (clearTimeout(timer), reject(new InterruptedError())), {
          once: true,
        });
      });
    }
    return cluster.kubectl(args, options);
  };
  return Object.assign(Object.create(cluster) as Cluster, { kubectl });
}

const provider: ClusterProvider = slow
  ? {
      ...double,
      up: async (...args) => slowApply(await double.up(...args)),
      connect: async (...args) => {
        const cluster = await double.connect(...args);
        return cluster && slowApply(cluster);
      },
    }
  : double;

process.exitCode = await main(process.argv.slice(2), {
  signal: controller.signal,
  // `docker exec <node> …` (explain) is answered by the double's node containers; everything else runs for real.
  deps: {
    provider: async () => provider,
    exec: async (command, options) =>
      command.file === 'docker' && command.args[0] === 'exec' && double.running
        ? double.running.docker(command.args)
        : real(command, options),
  },
});
await double.running?.stop();
