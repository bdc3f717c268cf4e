import { Listr, PRESET_TIMER, type ListrTask } from 'listr2';
import { accessibleEnv } from '../core/accessible.js';
import type { Reporter } from '../core/reporter.js';
import { InterruptedError, isAbortError, UserError } from '../core/errors.js';
import { tr, type Lang, type Message } from '../core/i18n.js';
import type { Output } from './output.js';

/**
 * Plain lines instead of a live task list when nobody watches a terminal (a pipe, CI, TERM=dumb), when
 * `--verbose` output would be torn apart by the redrawing renderer, or in accessible mode (ACCESSIBLE=1).
 */
export function choosePlain(io: { stdout: { isTTY?: boolean }; env: NodeJS.ProcessEnv }, verbose: boolean): boolean {
  const ci = io.env.CI;
  const inCi = ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
  return verbose || io.stdout.isTTY !== true || inCi || io.env.TERM === 'dumb' || accessibleEnv(io.env);
}

export type TaskOutcome = 'ok' | { failed: Message } | { skipped: Message };

export interface ListTask {
  title: Message;
  /** `update` shows a line under the task: the equivalent command, what the last attempt saw. */
  run: (signal: AbortSignal, update: (output: string) => void) => Promise<TaskOutcome>;
}

export interface TaskResult {
  title: string;
  outcome: 'ok' | 'failed' | 'skipped';
  message?: string;
}

const INTERRUPTED = { ko: '중단됨', en: 'interrupted' };

/** Why a task failed, in the learner's language. */
export function errorText(error: unknown, lang: Lang): string {
  if (isAbortError(error)) return tr(INTERRUPTED, lang);
  if (error instanceof UserError) return tr(error.text, lang);
  return error instanceof Error ? error.message : String(error);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The listr2 live list for a terminal. Ctrl-C is the caller's: listr2's own handler would exit 127 and run no rollback. */
function liveList<T extends object>(tasks: ListrTask<T>[], concurrent: boolean): Listr<T> {
  return new Listr<T>(tasks, {
    concurrent,
    exitOnError: false,
    registerSignalListeners: false,
    renderer: 'default',
    // Never reached: without a terminal we print plain lines ourselves (see isLive).
    fallbackRenderer: 'simple',
    rendererOptions: {
      collapseErrors: false,
      collapseSkips: false,
      showErrorMessage: true,
      showSkipMessage: true,
      timer: PRESET_TIMER,
    },
  });
}

/** listr2 draws only on a real terminal; otherwise we print plain lines ourselves. */
function isLive(plain: boolean): boolean {
  return !plain && process.stdout.isTTY === true;
}

/** Plain-line task output: `▶ title`, indented output, `✔ title (1.2 s)` / `✖ title: message` / `↓ title: message`. */
class PlainLines {
  constructor(
    private readonly out: Output,
    private readonly label: string = '',
  ) {}

  started(title: string): void {
    this.out.print(`${this.out.c.cyan('▶')} ${this.label}${title}`);
  }

  output(text: string): void {
    for (const line of text.split('\n')) this.out.print(`  ${this.label}${this.out.c.dim(line)}`);
  }

  ok(title: string, ms: number): void {
    this.out.print(`${this.out.c.green('✔')} ${this.label}${title} ${this.out.c.dim(`(${seconds(ms)})`)}`);
  }

  failed(title: string, message: string): void {
    this.out.print(`${this.out.c.red('✖')} ${this.label}${title}: ${indentRest(message)}`);
  }

  skipped(title: string, message: string): void {
    this.out.print(`${this.out.c.yellow('↓')} ${this.label}${title}: ${indentRest(message)}`);
  }
}

function indentRest(message: string): string {
  return message.replace(/\n/g, '\n  ');
}

/**
 * The `Reporter` of cluster providers: one task at a time, a one-line listr2 list on a terminal, plain
 * `▶`/`✔`/`✖` lines otherwise. Errors pass through unchanged. `signal` is handed to each task (Ctrl-C).
 */
export function createReporter(
  out: Output,
  opts: { plain: boolean; signal?: AbortSignal; dryRun?: boolean },
): Reporter {
  const signal = opts.signal ?? new AbortController().signal;
  if (opts.dryRun) return planReporter(out, signal);
  const live = isLive(opts.plain);
  const lines = new PlainLines(out);
  let showOutput: ((text: string) => void) | undefined;

  return {
    async task<T>(title: Message, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
      const text = out.t(title);
      if (!live) {
        const started = Date.now();
        lines.started(text);
        showOutput = (note) => lines.output(note);
        try {
          const value = await run(signal);
          lines.ok(text, Date.now() - started);
          return value;
        } catch (error) {
          lines.failed(text, errorText(error, out.lang));
          throw error;
        } finally {
          showOutput = undefined;
        }
      }
      let value: T | undefined;
      let failure: { error: unknown } | undefined;
      const list = liveList<object>(
        [
          {
            title: text,
            rendererOptions: { persistentOutput: true },
            task: async (_ctx, task) => {
              showOutput = (note) => (task.output = note);
              try {
                value = await run(signal);
              } catch (error) {
                failure = { error };
                throw new Error(errorText(error, out.lang), { cause: error });
              }
            },
          },
        ],
        false,
      );
      try {
        await list.run();
      } finally {
        showOutput = undefined;
      }
      if (failure) throw failure.error;
      return value as T;
    },

    note(message: Message): void {
      const text = out.t(message);
      if (showOutput) showOutput(text);
      else out.print(text);
    },
  };
}

/**
 * `--dry-run`: each task is a plan, not an event. No ✔ and no timing for work that never ran; the commands the task
 * would run are printed under it by the dry-run exec.
 */
function planReporter(out: Output, signal: AbortSignal): Reporter {
  return {
    async task<T>(title: Message, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
      out.print(
        `${out.c.dim('▷')} ${out.t(title)} ${out.c.dim(out.t({ ko: '(계획: 실행하지 않음)', en: '(planned, not run)' }))}`,
      );
      return run(signal);
    },
    note: (message) => out.print(`  ${out.c.dim(out.t(message))}`),
  };
}

/**
 * The check list of a step: each task named, its `update` lines shown under it, a failure shown with its
 * message. A failed task never throws; the results come back in task order. If `signal` is aborted (Ctrl-C),
 * tasks not yet started are skipped and InterruptedError is thrown once the list has stopped.
 */
export async function runTaskList(
  out: Output,
  tasks: ListTask[],
  opts: { plain: boolean; signal: AbortSignal; concurrent?: boolean },
): Promise<TaskResult[]> {
  const { signal } = opts;
  const concurrent = opts.concurrent === true && tasks.length > 1;
  const results: TaskResult[] = tasks.map((task) => ({ title: out.t(task.title), outcome: 'skipped' }));

  /** Runs one task and records its result; returns what the view should show. */
  const execute = async (index: number, update: (output: string) => void): Promise<TaskResult> => {
    const result = results[index]!;
    if (signal.aborted) {
      Object.assign(result, { outcome: 'skipped', message: tr(INTERRUPTED, out.lang) });
      return result;
    }
    let last: string | undefined;
    const dedupedUpdate = (output: string): void => {
      // Polling repeats the same observation; show it once.
      if (output === last) return;
      last = output;
      update(output);
    };
    try {
      const outcome = await tasks[index]!.run(signal, dedupedUpdate);
      if (outcome === 'ok') Object.assign(result, { outcome: 'ok', message: undefined });
      else if ('failed' in outcome) Object.assign(result, { outcome: 'failed', message: out.t(outcome.failed) });
      else Object.assign(result, { outcome: 'skipped', message: out.t(outcome.skipped) });
    } catch (error) {
      Object.assign(result, { outcome: 'failed', message: errorText(error, out.lang) });
    }
    return result;
  };

  const runPlain = async (index: number): Promise<void> => {
    // Concurrent tasks interleave their lines: number them so each line can be traced to its task.
    const lines = new PlainLines(out, concurrent ? `[${index + 1}] ` : '');
    const title = results[index]!.title;
    const started = Date.now();
    if (!signal.aborted) lines.started(title);
    let shown: string[] = [];
    const done = await execute(index, (output) => {
      // A log keeps what it printed: repeat only the lines that changed since the last update.
      const next = output.split('\n');
      const changed = next.filter((line, position) => line !== shown[position]);
      shown = next;
      if (changed.length > 0) lines.output(changed.join('\n'));
    });
    if (done.outcome === 'ok') lines.ok(title, Date.now() - started);
    else if (done.outcome === 'failed') lines.failed(title, done.message ?? '');
    else lines.skipped(title, done.message ?? '');
  };

  if (isLive(opts.plain)) {
    await liveList<object>(
      results.map((result, index) => ({
        title: result.title,
        rendererOptions: { persistentOutput: true },
        task: async (_ctx, task) => {
          const done = await execute(index, (output) => (task.output = output));
          if (done.outcome === 'failed') throw new Error(done.message);
          if (done.outcome === 'skipped') task.skip(done.message);
        },
      })),
      concurrent,
    ).run();
  } else if (concurrent) {
    await Promise.all(results.map((_, index) => runPlain(index)));
  } else {
    for (let index = 0; index < results.length; index++) await runPlain(index);
  }
  if (signal.aborted) throw new InterruptedError();
  return results;
}
