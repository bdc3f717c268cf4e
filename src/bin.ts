#!/usr/bin/env node
import { main } from './cli.js';
import { langFromArgv } from './cli-commands.js';
import { EXIT } from './core/errors.js';
import { detectLang, tr } from './core/i18n.js';
import { installInterruptHandler } from './platform/interrupts.js';

// A reader that stops early (`expose-labs show nodeport | head`) is not an error. Any other failure to write the
// output (`> /dev/full`: ENOSPC) is one line on stderr and exit 1, never a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    if (stream !== process.stdout) process.exit(EXIT.failure);
    void import('./platform/os-errors.js').then(({ osReason }) => {
      const lang = detectLang(langFromArgv(process.argv.slice(2)), process.env);
      const reason = osReason(error);
      const line = { ko: `출력을 쓸 수 없습니다: ${reason.ko}`, en: `Cannot write the output: ${reason.en}` };
      process.stderr.write(`✖ ${tr(line, lang)}\n`);
      process.exit(EXIT.failure);
    });
  });
}

const controller = new AbortController();
installInterruptHandler(controller);
process.exitCode = await main(process.argv.slice(2), { signal: controller.signal });
// Interrupted: leave now rather than wait for work nobody looks at any more (a key still being generated).
if (controller.signal.aborted) process.exit(process.exitCode);
