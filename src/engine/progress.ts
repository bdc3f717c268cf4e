import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Message } from '../core/i18n.js';
import { readRegularFile, writeFileAtomic } from '../platform/atomic-file.js';
import type { LabProgress, Progress } from './progress-schema.js';

export type {
  CheckRecord,
  LabProgress,
  Progress,
  StepEvent,
  StepResult,
  StoredCheckRecord,
} from './progress-schema.js';
import { makeFolders } from '../platform/folders.js';

/**
 * How a step's checks came to be run: the learner typed the commands (watched, or `verify` afterwards), "Run it for
 * me", `solve`, presenter mode (`start --auto`), or a replay of earlier steps (`goto`, a new cluster).
 */
export const DONE_HOW = ['typed', 'run-for-me', 'solve', 'auto', 'replay'] as const;
export type DoneHow = (typeof DONE_HOW)[number];

/** Beside the file: the digest of what save() last validated and wrote, and of the schema it was validated by. */
export function sealFileOf(progressFile: string): string {
  return `${progressFile}.validated`;
}

let schemaDigest: string | undefined;

/**
 * sha256 of the schema's source and of this module's (DONE_HOW is here): progress-schema.js and progress.js, or .ts
 * under the tests, so a file sealed by a version with another schema is validated again after an upgrade.
 */
function seal(text: string): string {
  const here = fileURLToPath(import.meta.url);
  schemaDigest ??= createHash('sha256')
    .update(readFileSync(here.replace(/progress\.(js|ts)$/, 'progress-schema.$1')))
    .update(readFileSync(here))
    .digest('hex');
  return `${schemaDigest} ${createHash('sha256').update(text).digest('hex')}\n`;
}

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
    if (await this.sealed(text)) return { progress: parsed as Progress };
    const { progressSchema } = await import('./progress-schema.js');
    const result = progressSchema.safeParse(parsed);
    if (!result.success) return this.moveAside('unexpected content');
    return { progress: result.data };
  }

  private get sealFile(): string {
    return sealFileOf(this.file);
  }

  /** Is this exactly the text save() wrote, under the schema this version validates by? Then it needs no zod. */
  private async sealed(text: string): Promise<boolean> {
    try {
      return (await readFile(this.sealFile, 'utf8')) === seal(text);
    } catch {
      return false;
    }
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

  /** Validated before it is written: what load() reads unchecked under the seal is what the schema accepted. */
  async save(progress: Progress): Promise<void> {
    const { progressSchema } = await import('./progress-schema.js');
    const text = JSON.stringify(progressSchema.parse(progress), null, 2) + '\n';
    await makeFolders(dirname(this.file));
    await writeFileAtomic(this.file, Buffer.from(text, 'utf8'), { mode: 0o600 });
    // Written after the file: a crash between the two leaves an old seal, and the next load validates in full.
    await writeFileAtomic(this.sealFile, Buffer.from(seal(text), 'utf8'), { mode: 0o600 });
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
