import { tr } from '../core/i18n.js';
import type { Lab, Step } from '../engine/lab.js';
import { gradePrediction, outcomeName, predictionMenu, type Outcome, type PredictionMenu } from '../engine/predict.js';
import { labState, type Progress } from '../engine/progress.js';
import type { CheckOutcome } from '../engine/runner.js';
import { checkTitle } from '../engine/runner.js';
import type { Asker } from '../ui/prompts.js';
import type { CommandEnv } from './types.js';

export interface Prediction {
  menu: PredictionMenu;
  predicted: Outcome;
}

/**
 * Before the checks: what will the packets do? A short menu for the step's most telling network check; the
 * learner may pass. Only asked of a person at a terminal (callers leave it out under --auto and --no-predict).
 */
export async function askPrediction(env: CommandEnv, asker: Asker, step: Step): Promise<Prediction | undefined> {
  const menu = predictionMenu(step);
  if (!menu || !env.interactive) return undefined;
  const title = checkTitle(menu.check, env.options.lang);
  const predicted = await asker.select<Outcome | 'pass'>({
    message: { ko: `예상해 보세요 — ${title}`, en: `Predict — ${title}` },
    flag: '--no-predict',
    choices: [
      ...menu.choices,
      { value: 'pass' as const, name: { ko: '예상하지 않고 넘어가기', en: 'Skip the prediction' } },
    ],
  });
  return predicted === 'pass' ? undefined : { menu, predicted };
}

/** Grade the prediction by the check's real result, say why when it was wrong, and keep it in progress. */
export function gradeAndRecord(
  env: CommandEnv,
  progress: Progress,
  lab: Lab,
  step: Step,
  prediction: Prediction,
  outcomes: CheckOutcome[],
): void {
  const outcome = outcomes[prediction.menu.index];
  if (!outcome) return;
  const { check } = prediction.menu;
  const graded = gradePrediction(prediction.predicted, check, outcome.result);
  const { out } = env;
  const lang = env.options.lang;
  const said = tr(outcomeName(prediction.predicted, check), lang);
  if (!graded.actual) {
    out.print(
      out.t({ ko: '이번 결과로는 예상을 채점할 수 없습니다.', en: 'This result cannot grade the prediction.' }),
    );
    return;
  }
  if (graded.correct) {
    out.print(out.c.green(out.t({ ko: `✔ 예상이 맞았습니다: ${said}`, en: `✔ Your prediction was right: ${said}` })));
  } else {
    const real = tr(outcomeName(graded.actual, check), lang);
    out.print(
      out.c.yellow(
        out.t({
          ko: `✖ 예상과 달랐습니다: ${said} → 실제로는 ${real}`,
          en: `✖ Not what you predicted: ${said} → in fact ${real}`,
        }),
      ),
    );
    if (graded.why) out.print(`  ${out.t(graded.why)}`);
  }
  labState(progress, lab.id).predictions.push({
    step: step.id,
    at: new Date().toISOString(),
    check: checkTitle(check, lang),
    predicted: prediction.predicted,
    actual: graded.actual,
    correct: graded.correct,
  });
}
