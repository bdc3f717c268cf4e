import { mkdir, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { Receipt } from '../checks/receipt.js';
import { readRegularFile, writeFileAtomic } from '../platform/atomic-file.js';
import type { Verdict } from '../checks/types.js';
import type { Message } from '../core/i18n.js';

/** Stored language-free: a fixed text in both languages, or data (a command, an address); rendered when shown. */
const message = z.union([z.string(), z.object({ ko: z.string(), en: z.string() })]);

const checkRecord = z.object({
  title: message,
  verdict: z.enum(['pass', 'not-yet', 'wrong', 'broken']),
  observed: message,
  expected: message,
  command: z.string(),
  /** What the check saw at each layer (checks/receipt.ts); written by this tool, so only its shape is checked. */
  receipt: z
    .custom<Receipt>((v) => typeof v === 'object' && v !== null && Array.isArray((v as Receipt).hops))
    .optional(),
});

/**
 * How a step's checks came to be run: the learner typed the commands (watched, or `verify` afterwards), "Run it for
 * me", `solve`, presenter mode (`start --auto`), or a replay of earlier steps (`goto`, a new cluster).
 */
export const DONE_HOW = ['typed', 'run-for-me', 'solve', 'auto', 'replay'] as const;
export type DoneHow = (typeof DONE_HOW)[number];

const stepResult = z.object({
  at: z.string(),
  checks: z.array(checkRecord),
  how: z.enum(DONE_HOW).optional(),
  /** sha256 of what the checks observed, how and when (evidence.ts), so an edited hand-in shows. */
  digest: z.string().optional(),
});

/** What happened to a step, in order: kept for the report even after a skipped step is picked up again. */
const stepEvent = z.object({
  step: z.string(),
  what: z.enum(['passed', 'skipped']),
  how: z.enum(DONE_HOW).optional(),
  at: z.string(),
});

const labProgress = z.object({
  /** Step ids the checks proved, in the order they were proved. */
  done: z.array(z.string()),
  /** Step ids the learner chose to skip (never counted as done). */
  skipped: z.array(z.string()).default([]),
  /** The step the learner is on (absent when the lab is finished or not started). */
  current: z.string().optional(),
  /** What the checks saw the last time each step was verified, for `status --report`. */
  results: z.record(z.string(), stepResult).default({}),
  events: z.array(stepEvent).default([]),
  finishedAt: z.string().optional(),
  /** Predictions made before a step's checks, graded by what the packets did (the report shows misconceptions). */
  predictions: z
    .array(
      z.object({
        step: z.string(),
        at: z.string(),
        check: z.string(),
        predicted: z.string(),
        actual: z.string().optional(),
        correct: z.boolean(),
      }),
    )
    .default([]),
});

const progressSchema = z.object({
  version: z.literal(1),
  cluster: z.string(),
  /** The lab the learner was last in, so `start` resumes there. */
  lastLab: z.string().optional(),
  /** The learner's name for reports (`status --report --name`, or asked once). */
  learner: z.string().optional(),
  labs: z.record(z.string(), labProgress),
});

export type Progress = z.infer<typeof progressSchema>;
export type LabProgress = z.infer<typeof labProgress>;
/** What a check saw, as stored: texts in both languages, rendered when shown. */
export type StoredCheckRecord = z.infer<typeof checkRecord> & { verdict: Verdict };
/** The same, rendered in one language (self-test reports, `verify --json`). */
export interface CheckRecord {
  title: string;
  verdict: Verdict;
  observed: string;
  expected: string;
  command: string;
}
export type StepResult = z.infer<typeof stepResult>;
export type StepEvent = z.infer<typeof stepEvent>;

export function emptyProgress(cluster: string): Progress {
  return { version: 1, cluster, labs: {} };
}

export interface LoadedProgress {
  progress: Progress;
  /** Set when the file was unreadable and moved aside: tell the learner. */
  warning?: Message;
}

/**
 * Progress of one cluster, in `<home>/<cluster>/progress.json`. Written atomically (temp file, fsync, rename) so a
 * crash leaves the old file or the new one. A corrupt file is moved aside, never deleted, and the tool goes on.
 */
export class ProgressStore {
  constructor(
    readonly file: string,
    readonly cluster: string,
  ) {}

  async load(): Promise<LoadedProgress> {
    let text: string;
    try {
      // Never a blocking read: a FIFO or device in its place is moved aside like a corrupt file.
      text = (await readRegularFile(this.file, 16 * 1024 * 1024)).toString('utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { progress: emptyProgress(this.cluster) };
      return this.moveAside(`${(error as Error).message}`);
    }
    let parsed: unknown;
    try {
      // Editors on Windows may save it with a BOM; the JSON after it is still ours.
      parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch {
      return this.moveAside('not valid JSON');
    }
    const result = progressSchema.safeParse(parsed);
    if (!result.success) return this.moveAside('unexpected content');
    return { progress: result.data };
  }

  private async moveAside(reason: string): Promise<LoadedProgress> {
    const aside = `${this.file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    try {
      await rename(this.file, aside);
    } catch {
      // Could not move it (permissions): start fresh anyway; save() will report if it cannot write either.
    }
    return {
      progress: emptyProgress(this.cluster),
      warning: {
        ko: `진행 상황 파일을 읽을 수 없어(${reason}) ${aside} 로 옮기고 처음부터 시작합니다.`,
        en: `The progress file could not be read (${reason}); it was moved to ${aside} and progress starts fresh.`,
      },
    };
  }

  async save(progress: Progress): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    await writeFileAtomic(this.file, Buffer.from(JSON.stringify(progress, null, 2) + '\n', 'utf8'), { mode: 0o600 });
  }
}

export function labState(progress: Progress, labId: string): LabProgress {
  return (progress.labs[labId] ??= { done: [], skipped: [], results: {}, predictions: [], events: [] });
}

/** The first step, in order, neither proved nor skipped. */
export function nextOpenStep<S extends { id: string }>(
  steps: readonly S[],
  state: LabProgress | undefined,
): S | undefined {
  return steps.find((s) => !state?.done.includes(s.id) && !state?.skipped.includes(s.id));
}

/** The learner skips a step: it is not done, and the next open step becomes current. */
export function skipStep(
  progress: Progress,
  lab: { id: string; steps: readonly { id: string }[] },
  step: { id: string },
): void {
  const state = labState(progress, lab.id);
  if (!state.done.includes(step.id) && !state.skipped.includes(step.id)) {
    state.skipped.push(step.id);
    state.events.push({ step: step.id, what: 'skipped', at: new Date().toISOString() });
  }
  state.current = nextOpenStep(lab.steps, state)?.id;
}

/** The checks of a step passed: it is done (even if once skipped), and the next open step becomes current. */
export function markPassed(
  progress: Progress,
  lab: { id: string; steps: readonly { id: string }[] },
  step: { id: string },
  how?: DoneHow,
): void {
  const state = labState(progress, lab.id);
  if (!state.done.includes(step.id)) {
    state.done.push(step.id);
    state.events.push({ step: step.id, what: 'passed', ...(how ? { how } : {}), at: new Date().toISOString() });
  }
  state.skipped = state.skipped.filter((id) => id !== step.id);
  state.current = nextOpenStep(lab.steps, state)?.id;
  if (state.done.length === lab.steps.length) state.finishedAt ??= new Date().toISOString();
}
