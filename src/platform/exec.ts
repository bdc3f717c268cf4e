import { CommandFailedError, InterruptedError, ToolMissingError } from '../core/errors.js';
import type { Message } from '../core/i18n.js';
import { formatCommand, type Command, type CommandResult, type Exec } from './command.js';
import { toolCommand } from './invocation.js';
import { withParticle } from '../core/korean.js';

/** How to install each program the labs run; shown when it is missing (made when asked: it names the tool's command). */
const installHints = (): Record<string, Message> => ({
  kubectl: {
    ko: `kubectl 설치: https://kubernetes.io/docs/tasks/tools/ (또는 \`${toolCommand()} doctor --fix\`)`,
    en: `Install kubectl: https://kubernetes.io/docs/tasks/tools/ (or run \`${toolCommand()} doctor --fix\`)`,
  },
  kind: {
    ko: `kind 설치: https://kind.sigs.k8s.io/docs/user/quick-start/#installation (또는 \`${toolCommand()} doctor --fix\`)`,
    en: `Install kind: https://kind.sigs.k8s.io/docs/user/quick-start/#installation (or run \`${toolCommand()} doctor --fix\`)`,
  },
  docker: {
    ko: 'Docker 설치: https://docs.docker.com/get-docker/ — 설치 후 Docker 엔진이 실행 중인지 확인하세요.',
    en: 'Install Docker: https://docs.docker.com/get-docker/ — then make sure the Docker engine is running.',
  },
  sudo: {
    ko: 'sudo가 없습니다. 관리자 권한 터미널에서 다시 실행하거나 --hosts-file/--no-hosts 를 쓰세요.',
    en: 'sudo is not available. Run from an administrator terminal, or use --hosts-file / --no-hosts.',
  },
});

function installHint(file: string): Message {
  const base = file.split(/[\\/]/).pop() ?? file;
  return installHints()[base] ?? { ko: `${withParticle(base, '을/를')} 설치하세요.`, en: `Install ${base}.` };
}

export interface ExecOptions {
  /** Called with each command line before it runs (`--verbose`). */
  onCommand?: (line: string) => void;
  /** Called with the finished result (`--verbose`). */
  onResult?: (line: string, result: CommandResult) => void;
}

/** The one place the product starts processes. execa is loaded on first use: commands that run nothing start faster. */
export function createExec(options: ExecOptions = {}): Exec {
  return async (command, { signal, onLine } = {}) => {
    if (signal?.aborted) throw new InterruptedError();
    const { execa } = await import('execa');
    const line = formatCommand(command);
    options.onCommand?.(line);
    const child = execa(command.file, [...command.args], {
      reject: false,
      stdin: command.interactive ? 'inherit' : command.input === undefined ? 'ignore' : 'pipe',
      stdout: command.interactive ? 'inherit' : 'pipe',
      stderr: command.interactive ? 'inherit' : 'pipe',
      input: command.interactive ? undefined : command.input,
      timeout: command.timeoutMs,
      cwd: command.cwd,
      env: command.env,
      cancelSignal: signal,
      stripFinalNewline: false,
      // A watch runs for as long as the step: its lines go to onLine, not into memory.
      buffer: { stdout: onLine === undefined, stderr: true },
    });
    if (onLine && child.stdout) streamLines(child.stdout, onLine);
    const result = await child;
    if (result.isCanceled || signal?.aborted) throw new InterruptedError();
    if ((result as { code?: string }).code === 'ENOENT' && result.exitCode === undefined) {
      throw new ToolMissingError(command.file, installHint(command.file));
    }
    const done: CommandResult = {
      exitCode: result.exitCode,
      stdout: typeof result.stdout === 'string' ? result.stdout : '',
      stderr: typeof result.stderr === 'string' ? result.stderr : '',
      failed: result.failed,
      timedOut: result.timedOut,
    };
    options.onResult?.(line, done);
    return done;
  };
}

/** Split a stream into lines (LF or CRLF) and hand each one on, the last one too when it has no line end. */
function streamLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (pending + chunk).split(/\r?\n/);
    pending = parts.pop() ?? '';
    for (const part of parts) onLine(part);
  });
  stream.on('end', () => {
    if (pending) onLine(pending);
  });
}

/** `--dry-run`: print each command instead of running it; every command "succeeds" with no output. */
export function createDryRunExec(print: (line: string) => void): Exec {
  return async (command) => {
    print(formatCommand(command) + (command.input !== undefined ? '  <<stdin' : ''));
    return { exitCode: 0, stdout: '', stderr: '', failed: false, timedOut: false };
  };
}

/** Run and insist on success: a failure becomes a CommandFailedError carrying stderr. */
export async function run(exec: Exec, command: Command, signal?: AbortSignal): Promise<CommandResult> {
  const result = await exec(command, { signal });
  if (result.failed) {
    throw new CommandFailedError(formatCommand(command), result.exitCode, result.stderr || result.stdout);
  }
  return result;
}
