import type { CheckResult } from '../checks/types.js';
import type { LabContext } from '../contract/context.js';
import type { Lab, Step } from '../engine/lab.js';
import { previewTemplate } from '../engine/template.js';
import { knownMistake } from '../engine/mistakes.js';
import { labState, markPassed, type StoredCheckRecord, type DoneHow, type Progress } from '../engine/progress.js';
import { stepDigest } from '../engine/evidence.js';
import { checkCommand } from '../engine/step-lines.js';
import { allPassed, checkTitle, runCheck, waitForStep, watchStep, type CheckOutcome } from '../engine/runner.js';
import { podBarChart } from '../ui/chart.js';
import { tr } from '../core/i18n.js';
import { renderCheckFailure } from '../ui/step-screen.js';
import { choosePlain, runTaskList } from '../ui/tasks.js';
import type { CommandEnv } from './types.js';

const VERDICT_TEXT = {
  'not-yet': { ko: '아직 아님', en: 'not yet' },
  wrong: { ko: '다름', en: 'wrong' },
  broken: { ko: '환경 문제', en: 'environment problem' },
  pass: { ko: '통과', en: 'passed' },
} as const;

/**
 * Run a step's checks as a task list: each check named with its equivalent command; with `deadlineMs` each is polled
 * until it passes. Failures are explained (seen, expected, likely cause, the step's hint); results are recorded.
 */
export async function verifyStep(
  env: CommandEnv,
  ctx: LabContext,
  step: Step,
  options: { deadlineMs: number; quiet?: boolean },
): Promise<CheckOutcome[]> {
  const { out } = env;
  if (options.quiet) return waitForStep(step, ctx, { deadlineMs: options.deadlineMs });
  const outcomes: CheckOutcome[] = [];
  const watch = watchStep(step, ctx);
  await runTaskList(
    out,
    step.checks.map((check, index) => ({
      title: check.title ?? `${check.name}: ${checkCommand(check, ctx)}`,
      run: async (signal: AbortSignal, update: (output: string) => void) => {
        update(`$ ${checkCommand(check, ctx)}`);
        const result: CheckResult = await watch.waitCheck(index, () => runCheck(check, { ...ctx, signal }), {
          deadlineMs: options.deadlineMs,
          signal,
          onAttempt: (r) =>
            update(
              `$ ${r.command}\n${tr(VERDICT_TEXT[r.verdict], env.options.lang)}: ${tr(r.observed, env.options.lang)}`,
            ),
        });
        outcomes[index] = { check, result };
        if (result.verdict === 'pass') return 'ok' as const;
        return {
          failed: `${tr(VERDICT_TEXT[result.verdict], env.options.lang)}: ${tr(result.observed, env.options.lang)}`,
        };
      },
    })),
    { plain: choosePlain(env.io, env.options.verbose), signal: env.signal, concurrent: true },
  ).finally(() => watch.close());
  const width = Math.min(env.io.stdout.columns ?? 80, 100);
  for (const { check, result } of outcomes) {
    if (result.pods && result.pods.length > 1) {
      out.print({
        ko: `${checkTitle(check, 'ko')} — 파드별 요청 수`,
        en: `${checkTitle(check, 'en')} — requests per pod`,
      });
      out.raw(podBarChart(result.pods, { colors: out.c, width }) + '\n');
    }
    if (result.verdict !== 'pass') {
      const mistake = knownMistake(step, check, result);
      out.raw(
        renderCheckFailure({
          lang: env.options.lang,
          colors: out.c,
          title: checkTitle(check, env.options.lang),
          observed: out.t(result.observed),
          expected: out.t(result.expected),
          command: result.command,
          cause: result.cause ? out.t(result.cause) : undefined,
          mistake: mistake ? out.t(mistake.name) : undefined,
          hint: result.verdict === 'broken' ? undefined : previewTemplate(out.t((mistake ?? step).hint), ctx),
        }) + '\n',
      );
    }
  }
  return outcomes;
}

/** What the checks saw, language-free (titles and observations stay `{ ko, en }`): the report renders them later. */
export function evidenceRecords(outcomes: CheckOutcome[]): StoredCheckRecord[] {
  return outcomes.map(({ check, result }) => ({
    title: check.title ?? `${check.name}: ${check.def.describe(check.spec)}`,
    verdict: result.verdict,
    observed: result.observed,
    expected: result.expected,
    command: result.command,
    ...(result.receipt ? { receipt: result.receipt } : {}),
  }));
}

/**
 * Store what the checks saw and how the step was done (with its digest); a full pass marks the step done and moves
 * on. A failed re-check of a step already done (a later step may change what it proved) does not move the learner
 * back.
 */
export function recordOutcomes(
  progress: Progress,
  lab: Lab,
  step: Step,
  outcomes: CheckOutcome[],
  how: DoneHow,
): boolean {
  const state = labState(progress, lab.id);
  const at = new Date().toISOString();
  const checks = evidenceRecords(outcomes);
  state.results[step.id] = { at, checks, how, digest: stepDigest({ lab: lab.id, step: step.id, at, how, checks }) };
  progress.lastLab = lab.id;
  if (allPassed(outcomes)) {
    markPassed(progress, lab, step, how);
    return true;
  }
  if (!state.done.includes(step.id)) state.current = step.id;
  return false;
}
