import { InterruptedError } from '../../src/core/errors.js';
import { formatCommand, type CommandResult, type Exec } from '../../src/platform/command.js';

/** One expected command and what it answers. */
export interface Step {
  argv: string[];
  stdout?: string;
  stderr?: string;
  exitCode?: number;
  /** Expected stdin (kubectl apply -f - and the like). */
  input?: string;
  /** Never finishes on its own: only an abort ends it (a long `kind create` when Ctrl-C comes). */
  hang?: boolean;
  /** Called when this command starts (e.g. to abort the run at exactly this point). */
  onStart?: () => void;
  /** Thrown instead of a result (ToolMissingError: the program is not installed). */
  error?: Error;
  /** Runs beside other commands (image pulls during `kind create`): may come at any point after the steps before it. */
  unordered?: boolean;
  /** May never run (a pull a failure cut short): `finish()` does not ask for it. */
  optional?: boolean;
}

/**
 * A fake Exec that insists on an exact transcript: each call must be the next expected argv, anything else is
 * a violation (recorded, and thrown). `finish()` fails the test on any violation or on steps never reached,
 * even where the code under test swallowed the error.
 */
export function scriptedExec(steps: Step[]) {
  const queue = [...steps];
  const calls: string[][] = [];
  const violations: string[] = [];
  const exec: Exec = async (command, { signal } = {}) => {
    const argv = [command.file, ...command.args];
    calls.push(argv);
    if (signal?.aborted) throw new InterruptedError();
    const line = formatCommand(command);
    const lineOf = (s: Step) => formatCommand({ file: s.argv[0]!, args: s.argv.slice(1) });
    // An unordered step matches wherever it waits in the queue; the first ordered step must be next otherwise.
    let index = queue.findIndex((s) => s.unordered && lineOf(s) === line);
    if (index < 0) index = queue.findIndex((s) => !s.unordered);
    const step = index < 0 ? undefined : queue.splice(index, 1)[0];
    if (!step) {
      violations.push(`unexpected command: ${line}`);
      throw new Error(`unexpected command: ${line}`);
    }
    const expected = lineOf(step);
    if (expected !== line) {
      violations.push(`expected: ${expected}\n     got: ${line}`);
      throw new Error(`expected: ${expected}\n     got: ${line}`);
    }
    if (step.input !== undefined && step.input !== command.input) violations.push(`stdin differs for ${line}`);
    step.onStart?.();
    if (step.error) throw step.error;
    if (step.hang) {
      return new Promise<CommandResult>((_resolve, reject) => {
        if (signal?.aborted) return reject(new InterruptedError());
        signal?.addEventListener('abort', () => reject(new InterruptedError()), { once: true });
      });
    }
    if (signal?.aborted) throw new InterruptedError();
    const exitCode = step.exitCode ?? 0;
    return { exitCode, stdout: step.stdout ?? '', stderr: step.stderr ?? '', failed: exitCode !== 0, timedOut: false };
  };
  return {
    exec,
    calls,
    lines: () => calls.map((argv) => formatCommand({ file: argv[0]!, args: argv.slice(1) })),
    finish(): void {
      const problems = [
        ...violations,
        ...queue.filter((s) => !s.optional).map((s) => `never ran: ${s.argv.join(' ')}`),
      ];
      if (problems.length > 0) throw new Error(problems.join('\n'));
    },
  };
}
