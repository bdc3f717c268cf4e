import { InterruptedError } from '../core/errors.js';
import type { Message } from '../core/i18n.js';
import type { LabContext } from '../contract/context.js';
import type { Lab } from './lab.js';
import type { CheckRecord } from './progress.js';
import { checkStepOnce, labActions, runActions, toRecords, undoActions, waitForStep } from './runner.js';

export interface StepReport {
  step: string;
  before: CheckRecord[];
  after: CheckRecord[];
  /** Why this step is defective: a check that passed before the step, or failed after its solution ran. */
  defects: string[];
  durationMs: number;
}

export interface LabReport {
  lab: string;
  passed: boolean;
  steps: StepReport[];
  /** A failure outside the checks (an action failed, setup failed), if any. */
  error?: string;
  durationMs: number;
}

export type SelfTestEvent =
  | { type: 'lab'; lab: Lab }
  | { type: 'step-start'; lab: Lab; index: number }
  | { type: 'step-done'; lab: Lab; index: number; report: StepReport };

/**
 * The lab's self-test (principle 3): from a reset lab, for every step the checks must all fail before the step, the
 * step's actions run, and then the checks must all pass. The lab is reset again at the end.
 */
export async function selfTestLab(
  lab: Lab,
  ctx: LabContext,
  onEvent: (e: SelfTestEvent) => void = () => {},
  options: { maxWaitMs?: number } = {},
): Promise<LabReport> {
  const started = Date.now();
  const steps: StepReport[] = [];
  onEvent({ type: 'lab', lab });
  try {
    await undoActions(labActions(lab), ctx);
    await runActions(lab.setup, ctx);
    for (const [index, step] of lab.steps.entries()) {
      onEvent({ type: 'step-start', lab, index });
      const stepStart = Date.now();
      const before = toRecords(await checkStepOnce(step, ctx), 'en');
      await runActions(step.actions, ctx);
      // A cap below the step's `within` lets a failing step report what failed before a CI timeout does.
      const deadlineMs = Math.min(step.within * 1000, options.maxWaitMs ?? Infinity);
      const after = toRecords(await waitForStep(step, ctx, { deadlineMs }), 'en');
      const defects = [
        ...before.filter((r) => r.verdict === 'pass').map((r) => `passed before its step: ${r.title}`),
        ...after
          .filter((r) => r.verdict !== 'pass')
          .map((r) => `${r.verdict} after its step: ${r.title} — saw ${r.observed}`),
      ];
      const report = { step: step.id, before, after, defects, durationMs: Date.now() - stepStart };
      steps.push(report);
      onEvent({ type: 'step-done', lab, index, report });
      if (after.some((r) => r.verdict !== 'pass')) break;
    }
    await undoActions(labActions(lab), ctx);
  } catch (error) {
    if (error instanceof InterruptedError) throw error;
    return { lab: lab.id, passed: false, steps, error: errorText(error, ctx), durationMs: Date.now() - started };
  }
  const passed = steps.length === lab.steps.length && steps.every((s) => s.defects.length === 0);
  return { lab: lab.id, passed, steps, durationMs: Date.now() - started };
}

function errorText(error: unknown, ctx: LabContext): string {
  const text = (error as { text?: Message }).text;
  if (text) return typeof text === 'string' ? text : text[ctx.lang];
  return error instanceof Error ? error.message : String(error);
}
