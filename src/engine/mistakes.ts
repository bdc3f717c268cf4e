import type { CheckResult, Verdict } from '../checks/types.js';
import { InterruptedError, UserError } from '../core/errors.js';
import { tr } from '../core/i18n.js';
import { sleep } from '../core/poll.js';
import type { LabContext } from '../contract/context.js';
import type { Lab, LabAction, LabCheck, Mistake, Step } from './lab.js';
import { mistakeRoot } from './mistake-root.js';
import { labActions, runActions, runCheck, undoActions, waitForStep } from './runner.js';

/** The known mistake a failed check's result points at: same check, same verdict, and `seen` matches what it saw. */
export function knownMistake(step: Step, check: LabCheck, result: CheckResult): Mistake | undefined {
  if (result.verdict === 'pass' || check.id === undefined) return undefined;
  const observed = tr(result.observed, 'en');
  return step.mistakes.find(
    (m) =>
      m.caughtBy === check.id &&
      m.verdict === result.verdict &&
      m.seen !== undefined &&
      new RegExp(m.seen).test(observed),
  );
}

export interface MistakeReport {
  lab: string;
  step: string;
  mistake: string;
  /** The mistake's name, in the report's language. */
  name: string;
  caughtBy: string;
  expected: Mistake['verdict'];
  /** What the named check (or the step's commands) gave in the end. */
  got: Verdict | 'refused' | 'accepted';
  observed: string;
  caught: boolean;
  /** Why it was not caught, when it was not. */
  problem?: string;
  durationMs: number;
}

export interface MistakeOptions {
  /** Upper bound for each wait (the step's `within` otherwise), so a mistake that is not caught still ends soon. */
  maxWaitMs?: number;
  /** Lower bound for every mistake's `settle` (a slower real cluster needs the verdict to hold longer). */
  minSettleMs?: number;
}

const POLL_MS = 250;

function errorText(error: unknown): string {
  if (error instanceof UserError) return tr(error.text, 'en');
  return error instanceof Error ? error.message : String(error);
}

/**
 * Poll the named check until it has given the mistake's verdict (with `seen` matching) for `settle` seconds, it
 * passes (not caught), or the wait ends. A verdict that has held that long is taken as stable, so a caught mistake
 * takes seconds, not the step's whole deadline.
 */
async function judge(
  check: LabCheck,
  mistake: Mistake,
  ctx: LabContext,
  waitMs: number,
  settleMs: number,
): Promise<{ result: CheckResult; caught: boolean }> {
  const end = Date.now() + waitMs;
  const seen = mistake.seen === undefined ? undefined : new RegExp(mistake.seen);
  let heldSince: number | undefined;
  for (;;) {
    if (ctx.signal.aborted) throw new InterruptedError();
    const result = await runCheck(check, ctx);
    const matches = result.verdict === mistake.verdict && (seen === undefined || seen.test(tr(result.observed, 'en')));
    if (mistake.verdict === 'pass') {
      if (matches) return { result, caught: true };
      if (result.verdict === 'wrong' || result.verdict === 'broken') return { result, caught: false };
    } else {
      if (result.verdict === 'pass' || result.verdict === 'broken') return { result, caught: false };
      heldSince = matches ? (heldSince ?? Date.now()) : undefined;
      if (heldSince !== undefined && Date.now() - heldSince >= settleMs) return { result, caught: true };
    }
    if (Date.now() >= end) return { result, caught: false };
    await sleep(POLL_MS, ctx.signal);
  }
}

/** A command the cluster refused (kubectl failed), with its words: what caughtBy: kubectl looks for. */
class Refused extends Error {}

async function commands(actions: LabAction[], ctx: LabContext): Promise<void> {
  try {
    await runActions(actions, ctx);
  } catch (error) {
    if (error instanceof InterruptedError) throw error;
    if (error instanceof UserError) throw new Refused(errorText(error));
    throw error;
  }
}

const appliesAny = (actions: LabAction[], files: ReadonlySet<string>) =>
  actions.some((a) => (a.def.files?.(a.spec) ?? []).some((f) => files.has(f)));

/**
 * Bring the cluster to where a learner with this mistake stands when starting `index`: setup and earlier steps
 * done. An earlier step that applies a patched file carries the mistake too, so it need not pass; the others must,
 * or the try would not test what it names.
 */
async function reach(
  lab: Lab,
  index: number,
  mistake: Mistake,
  ctx: LabContext,
  clean: LabContext,
  wait: { waitMs: number; settleMs: number },
) {
  const patched = new Set(mistake.patch.map((p) => p.file));
  await undoActions(labActions(lab), clean);
  await commands(mistake.before, clean);
  await commands(lab.setup, ctx);
  for (const earlier of lab.steps.slice(0, index)) {
    await commands(earlier.actions, ctx);
    const carries = appliesAny(earlier.actions, patched);
    const deadlineMs = carries ? wait.settleMs : Math.min(earlier.within * 1000, wait.waitMs);
    const failed = (await waitForStep(earlier, ctx, { deadlineMs })).find((o) => o.result.verdict !== 'pass');
    if (failed && !carries)
      throw new Error(
        `earlier step ${earlier.id} did not pass: ${tr(failed.result.observed, 'en')} (with this mistake)`,
      );
  }
}

/** Try one mistake from a clean lab, then clean up after it (its objects may carry names the lab does not use). */
export async function tryMistake(
  lab: Lab,
  index: number,
  mistake: Mistake,
  ctx: LabContext,
  options: MistakeOptions = {},
): Promise<MistakeReport> {
  const started = Date.now();
  const step = lab.steps[index]!;
  const waitMs = Math.min(step.within * 1000, options.maxWaitMs ?? Infinity);
  const settleMs = Math.max(mistake.settle * 1000, options.minSettleMs ?? 0);
  const overlay = await mistakeRoot(ctx.paths.root, mistake.patch);
  const wrongCtx: LabContext = { ...ctx, paths: { ...ctx.paths, root: overlay.root } };
  const report = (got: MistakeReport['got'], observed: string, caught: boolean, problem?: string): MistakeReport => ({
    lab: lab.id,
    step: step.id,
    mistake: mistake.id,
    name: tr(mistake.name, ctx.lang),
    caughtBy: mistake.caughtBy,
    expected: mistake.verdict,
    got,
    observed,
    caught,
    ...(problem === undefined ? {} : { problem }),
    durationMs: Date.now() - started,
  });
  try {
    let refused: string | undefined;
    try {
      await reach(lab, index, mistake, wrongCtx, ctx, { waitMs, settleMs });
      await commands(mistake.actions ?? step.actions, wrongCtx);
    } catch (error) {
      if (!(error instanceof Refused)) throw error;
      refused = error.message;
    }
    if (mistake.caughtBy === 'kubectl') {
      if (refused === undefined) return report('accepted', 'every command of the step succeeded', false, 'not refused');
      const caught = new RegExp(mistake.seen!).test(refused);
      return report('refused', refused, caught, caught ? undefined : `refused, but not with /${mistake.seen}/`);
    }
    if (refused !== undefined) return report('refused', refused, false, 'a step command failed: use caughtBy: kubectl');
    const check = step.checks.find((c) => c.id === mistake.caughtBy)!;
    const { result, caught } = await judge(check, mistake, wrongCtx, waitMs, settleMs);
    const observed = tr(result.observed, 'en');
    const problem = caught
      ? undefined
      : result.verdict === mistake.verdict
        ? `${result.verdict}, but the observation does not match /${mistake.seen}/`
        : `gave ${result.verdict}, not ${mistake.verdict}`;
    return report(result.verdict, observed, caught, problem);
  } catch (error) {
    if (error instanceof InterruptedError) throw error;
    return report('broken', errorText(error), false, errorText(error));
  } finally {
    await undoActions([...labActions(lab), ...(mistake.actions ?? [])], wrongCtx).catch(() => {});
    await undoActions(mistake.before, ctx).catch(() => {});
    await overlay.dispose();
  }
}

export type MistakeEvent = { type: 'mistake-done'; report: MistakeReport };

/** Every mistake of a lab, one by one; the lab is left reset with its setup done the right way. */
export async function tryLabMistakes(
  lab: Lab,
  ctx: LabContext,
  options: MistakeOptions = {},
  onEvent: (e: MistakeEvent) => void = () => {},
): Promise<MistakeReport[]> {
  const reports: MistakeReport[] = [];
  for (const [index, step] of lab.steps.entries()) {
    for (const mistake of step.mistakes) {
      const report = await tryMistake(lab, index, mistake, ctx, options);
      reports.push(report);
      onEvent({ type: 'mistake-done', report });
    }
  }
  if (reports.length > 0) {
    await undoActions(labActions(lab), ctx);
    await runActions(lab.setup, ctx);
  }
  return reports;
}
