/** A process to run: what `exec` takes, and what `--dry-run` and the learner see. */
export interface Command {
  file: string;
  args: readonly string[];
  /** Text written to the child's stdin; without it stdin is ignored (kubectl must never wait for a password). */
  input?: string;
  timeoutMs?: number;
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Hand the terminal to the child (e.g. `sudo -v`, `kubectl edit`). */
  interactive?: boolean;
}

export interface CommandResult {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  /** True when the command could not start, exited non-zero, timed out or was cancelled. */
  failed: boolean;
  timedOut: boolean;
}

export interface ExecCallOptions {
  signal?: AbortSignal;
  /**
   * Each line of stdout as it comes, for a long-running command such as `kubectl get --watch`; stdout is then not
   * kept in the result. An Exec that cannot stream may ignore it (the caller sees the command end).
   */
  onLine?: (line: string) => void;
}

export type Exec = (command: Command, options?: ExecCallOptions) => Promise<CommandResult>;

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quote one argument for a POSIX shell so the printed line can be pasted as is. */
export function shellQuote(arg: string): string {
  if (arg !== '' && SAFE.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function formatCommand(command: Pick<Command, 'file' | 'args'>): string {
  return [command.file, ...command.args].map(shellQuote).join(' ');
}
