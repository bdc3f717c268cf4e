import type { CheckResult } from '../checks/types.js';
import { InterruptedError, UserError } from '../core/errors.js';
import { tr, type Message } from '../core/i18n.js';
import type { LabContext } from '../contract/context.js';
import type { Lab, LabAction, LabCheck, Step } from './lab.js';
import { StepWatch } from './watch/step-watch.js';
import type { CheckRecord } from './progress.js';
import { actionCommands, checkCommand } from './step-lines.js';
import { fillStatic, resolveDeep, Unresolved } from './template.js';
import { toolCommand } from '../platform/invocation.js';

/** Run actions in order, each command shown before it runs. In dry-run, only show. */
export async function runActions(actions: LabAction[], ctx: LabContext): Promise<void> {
  if (!ctx.dryRun) {
    for (const action of actions) if (action.def.prepare) await action.def.prepare(await resolveSpec(action, ctx), ctx);
  }
  for (const action of actions) {
    if (ctx.signal.aborted) throw new InterruptedError();
    if (action.title) ctx.log.info(action.title);
    for (const line of actionCommands([action], ctx)) ctx.log.command(line);
    if (ctx.dryRun) continue;
    await action.def.run(await resolveSpec(action, ctx), ctx);
  }
}

/** An action's spec with its placeholders filled; a value that does not exist yet is the learner's problem to see. */
async function resolveSpec(action: LabAction, ctx: LabContext): Promise<unknown> {
  return resolveDeep(action.spec, ctx).catch((error: unknown) => {
    if (error instanceof Unresolved) throw new UserError(error.reason);
    throw error;
  });
}

/** Undo actions in reverse order (reset). Each undo is a no-op when there is nothing to remove. */
export async function undoActions(actions: LabAction[], ctx: LabContext): Promise<void> {
  if (!ctx.dryRun) {
    for (const action of actions)
      if (action.def.undo && action.def.prepare) await action.def.prepare(await resolveSpec(action, ctx), ctx);
  }
  for (const action of [...actions].reverse()) {
    if (!action.def.undo) continue;
    if (ctx.dryRun) {
      for (const line of action.def.undoCommands?.(fillStatic(action.spec, ctx), ctx) ?? []) ctx.log.command(line);
      continue;
    }
    const spec = await resolveDeep(action.spec, ctx).catch(() => undefined);
    if (spec !== undefined) await action.def.undo(spec, ctx);
  }
}

export interface CheckOutcome {
  check: LabCheck;
  result: CheckResult;
}

export function checkTitle(check: LabCheck, lang: LabContext['lang']): string {
  return check.title ? tr(check.title, lang) : `${check.name}: ${check.def.describe(check.spec)}`;
}

/** One attempt of one check. A value that does not exist yet is "not yet"; an unexpected error is "broken". */
export async function runCheck(check: LabCheck, ctx: LabContext, timeoutMs = 3000): Promise<CheckResult> {
  const command = checkCommand(check, ctx);
  let spec: unknown;
  try {
    spec = await resolveDeep(check.spec, ctx);
  } catch (error) {
    if (error instanceof Unresolved) {
      return {
        verdict: 'not-yet',
        observed: error.reason,
        expected: { ko: '값이 준비됨', en: 'the value to exist' },
        command,
      };
    }
    if (error instanceof InterruptedError) throw error;
    return { verdict: 'broken', observed: String((error as Error).message), expected: '', command };
  }
  try {
    return await check.def.run(spec, { ...ctx, vantage: check.from, timeoutMs });
  } catch (error) {
    if (error instanceof InterruptedError || ctx.signal.aborted) throw new InterruptedError();
    const message: Message = error instanceof UserError ? error.text : String((error as Error).message ?? error);
    return {
      verdict: 'broken',
      observed: message,
      expected: '',
      command,
      cause: {
        ko: `환경 문제일 수 있습니다: ${toolCommand()} doctor 를 실행해 보세요.`,
        en: `This may be an environment problem: run ${toolCommand()} doctor.`,
      },
    };
  }
}

/** Run every check of a step once. */
export async function checkStepOnce(step: Step, ctx: LabContext): Promise<CheckOutcome[]> {
  const outcomes: CheckOutcome[] = [];
  for (const check of step.checks) outcomes.push({ check, result: await runCheck(check, ctx) });
  return outcomes;
}

/** Watch what a step depends on while its checks wait (engine/watch); `close` it when the step is over. */
export function watchStep(step: Step, ctx: LabContext): StepWatch {
  return new StepWatch(step, ctx);
}

/**
 * Wait for each check until it passes or the step's deadline passes: re-checked when something it depends on
 * changes (engine/watch). A check that passed is not run again; a broken environment stops its wait at once. Every
 * watcher has ended when this returns.
 */
export async function waitForStep(
  step: Step,
  ctx: LabContext,
  options: { deadlineMs?: number; onResult?: (index: number, result: CheckResult) => void } = {},
): Promise<CheckOutcome[]> {
  const deadlineMs = options.deadlineMs ?? step.within * 1000;
  const watch = watchStep(step, ctx);
  try {
    return await Promise.all(
      step.checks.map(async (check, index) => {
        const result = await watch.waitCheck(index, () => runCheck(check, ctx), {
          deadlineMs,
          signal: ctx.signal,
          onAttempt: (r) => options.onResult?.(index, r),
        });
        return { check, result };
      }),
    );
  } finally {
    await watch.close();
  }
}

export const allPassed = (outcomes: CheckOutcome[]): boolean => outcomes.every((o) => o.result.verdict === 'pass');

export function toRecords(outcomes: CheckOutcome[], lang: LabContext['lang']): CheckRecord[] {
  return outcomes.map(({ check, result }) => ({
    title: checkTitle(check, lang),
    verdict: result.verdict,
    observed: tr(result.observed, lang),
    expected: tr(result.expected, lang),
    command: result.command,
    ...(result.receipt ? { receipt: result.receipt } : {}),
  }));
}

/**
 * Run earlier steps again and wait until each one's checks pass (catching up with `goto`, or after a new cluster).
 * Stops with a message naming the first step that did not come back.
 */
export async function replaySteps(
  lab: Lab,
  steps: Step[],
  ctx: LabContext,
  onStep: (step: Step) => void = () => {},
): Promise<void> {
  for (const step of steps) {
    onStep(step);
    await runActions(step.actions, ctx);
    if (ctx.dryRun) continue;
    if (!allPassed(await waitForStep(step, ctx))) {
      throw new UserError(
        {
          ko: `${lab.id}/${step.id} 단계를 다시 실행했지만 확인을 통과하지 못했습니다.`,
          en: `Replayed ${lab.id}/${step.id}, but its checks did not pass.`,
        },
        {
          ko: `${toolCommand()} verify ${lab.id}/${step.id} 로 무엇이 다른지 보거나, ${toolCommand()} goto ${lab.id}/${step.id} 로 그 단계부터 다시 하세요.`,
          en: `See what differs with ${toolCommand()} verify ${lab.id}/${step.id}, or start again from that step with ${toolCommand()} goto ${lab.id}/${step.id}.`,
        },
      );
    }
  }
}

/** Every action of a lab's steps, for reset. */
export function labActions(lab: Lab): LabAction[] {
  return lab.steps.flatMap((s) => s.actions);
}
