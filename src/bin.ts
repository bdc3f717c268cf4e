#!/usr/bin/env node
import { main } from './cli.js';
import { installInterruptHandler } from './platform/interrupts.js';

const controller = new AbortController();
installInterruptHandler(controller);
process.exitCode = await main(process.argv.slice(2), { signal: controller.signal });
