import type { Message } from './i18n.js';
import { withParticle } from './korean.js';

/** Exit codes (docs/ARCHITECTURE.md): 0 ok, 1 failed check or user error, 2 usage, 130 interrupted, 143 SIGTERM. */
export const EXIT = { ok: 0, failure: 1, usage: 2, interrupted: 130, terminated: 143 } as const;

/** A problem the learner can act on: printed without a stack trace, exit 1. */
export class UserError extends Error {
  override readonly name: string = 'UserError';
  readonly exitCode: number = EXIT.failure;
  constructor(
    readonly text: Message,
    readonly hint?: Message,
  ) {
    super(typeof text === 'string' ? text : text.en);
  }
}

/** Wrong arguments: exit 2. */
export class UsageError extends UserError {
  override readonly name = 'UsageError';
  override readonly exitCode = EXIT.usage;
}

/** The learner pressed Ctrl-C (or a signal arrived): exit 130, no stack trace. */
export class InterruptedError extends Error {
  override readonly name = 'InterruptedError';
  readonly exitCode = EXIT.interrupted;
  constructor() {
    super('interrupted');
  }
}

/** A required program is not installed. */
export class ToolMissingError extends UserError {
  override readonly name = 'ToolMissingError';
  constructor(
    readonly tool: string,
    install: Message,
  ) {
    super({ ko: `${withParticle(tool, '을/를')} 찾을 수 없습니다.`, en: `${tool} not found.` }, install);
  }
}

/** A command ran and failed in a way the caller did not expect. */
export class CommandFailedError extends UserError {
  override readonly name = 'CommandFailedError';
  constructor(
    readonly commandLine: string,
    readonly exitCodeOfCommand: number | undefined,
    readonly stderr: string,
  ) {
    super({
      ko: `명령이 실패했습니다 (종료 코드 ${exitCodeOfCommand ?? '?'}): ${commandLine}\n${stderr.trim()}`,
      en: `Command failed (exit ${exitCodeOfCommand ?? '?'}): ${commandLine}\n${stderr.trim()}`,
    });
  }
}

export function isAbortError(error: unknown): boolean {
  return error instanceof InterruptedError || (error instanceof Error && error.name === 'AbortError');
}
