import pc from 'picocolors';
import { accessibleEnv } from '../core/accessible.js';
import { tr, type Lang, type Message } from '../core/i18n.js';

/** Colours only when the stream is a terminal and NO_COLOR is unset; never in accessible mode (ACCESSIBLE=1). */
export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (accessibleEnv(env)) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

export type Colors = ReturnType<typeof pc.createColors>;

/** Localized printing to stdout/stderr: the only way commands write to the terminal. */
export class Output {
  readonly c: Colors;
  constructor(
    readonly lang: Lang,
    private readonly stdout: NodeJS.WritableStream,
    private readonly stderr: NodeJS.WritableStream,
    color: boolean,
    private readonly verboseOn = false,
  ) {
    this.c = pc.createColors(color);
  }

  t(message: Message): string {
    return tr(message, this.lang);
  }

  print(message: Message = ''): void {
    this.stdout.write(this.t(message) + '\n');
  }

  /** A command about to run, as the learner could type it. */
  command(line: string): void {
    this.stdout.write(this.c.dim('$ ') + this.c.cyan(line) + '\n');
  }

  warn(message: Message): void {
    this.stderr.write(this.c.yellow('! ') + this.t(message) + '\n');
  }

  error(message: Message): void {
    this.stderr.write(this.c.red('✖ ') + this.t(message) + '\n');
  }

  verbose(message: Message): void {
    if (this.verboseOn) this.stderr.write(this.c.dim(this.t(message)) + '\n');
  }

  json(value: unknown): void {
    this.stdout.write(JSON.stringify(value, null, 2) + '\n');
  }

  /** Raw text (tables, rendered Markdown), written as is. */
  raw(text: string): void {
    this.stdout.write(text);
  }
}
