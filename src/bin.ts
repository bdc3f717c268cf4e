#!/usr/bin/env node
import { main } from './cli.js';
import { EXIT } from './errors.js';

// First Ctrl-C: abort the running command so it can stop its child process and leave the step resumable.
// Second Ctrl-C: leave at once. `process.on`, not `once`: execa's signal-exit hook must not re-raise first.
const controller = new AbortController();
let interrupts = 0;
process.on('SIGINT', () => {
  interrupts += 1;
  if (interrupts > 1) process.exit(EXIT.interrupted);
  controller.abort();
});
process.on('SIGTERM', () => controller.abort());

const code = await main(process.argv.slice(2), { signal: controller.signal });
process.exitCode = code;
