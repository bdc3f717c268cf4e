#!/usr/bin/env node
/**
 * The built CLI with the cluster double handed in, for driving it in a real terminal (tmux) as a learner would:
 * `node dist/test/support/launcher.js start …`. It goes through the same `main(argv, deps)` as bin.ts; nothing in
 * src/ knows about it. The double lives in this process, so each run starts with an empty cluster.
 */
import { main } from '../../src/cli.js';
import { createExec } from '../../src/platform/exec.js';
import { installInterruptHandler } from '../../src/platform/interrupts.js';
import { createDoubleProvider } from './cluster-double/index.js';

const controller = new AbortController();
installInterruptHandler(controller);
const provider = createDoubleProvider();
const real = createExec();
process.exitCode = await main(process.argv.slice(2), {
  signal: controller.signal,
  // `docker exec <node> …` (explain) is answered by the double's node containers; everything else runs for real.
  deps: {
    provider: async () => provider,
    exec: async (command, options) =>
      command.file === 'docker' && command.args[0] === 'exec' && provider.running
        ? provider.running.docker(command.args)
        : real(command, options),
  },
});
await provider.running?.stop();
