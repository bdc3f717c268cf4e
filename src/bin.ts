#!/usr/bin/env node
import { main } from './cli.js';
import { installInterruptHandler } from './platform/interrupts.js';

// A reader that stops early (`expose-labs show nodeport | head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const controller = new AbortController();
installInterruptHandler(controller);
process.exitCode = await main(process.argv.slice(2), { signal: controller.signal });
// Interrupted: leave now rather than wait for work nobody looks at any more (a key still being generated).
if (controller.signal.aborted) process.exit(process.exitCode);
