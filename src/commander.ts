import { createRequire } from 'node:module';
import type * as Commander from 'commander';

/**
 * commander, required as the CommonJS library it is: through its ESM wrapper, node parses the whole library for
 * its export names (cjs-module-lexer) at every start, a tenth of `node -e 0` that `--help` pays for nothing.
 */
export const { Command, CommanderError, InvalidArgumentError, Option } = createRequire(import.meta.url)(
  'commander',
) as typeof Commander;
export type Command = Commander.Command;
export type CommanderError = Commander.CommanderError;
export type Option = Commander.Option;
