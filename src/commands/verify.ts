import { connectCluster, labContext, labsOf, loadProgress, progressStore, resolveTarget } from './session.js';
import { allPassed, checkTitle, toRecords } from '../engine/runner.js';
import { checkCommand } from '../engine/step-lines.js';
import { knownMistake } from '../engine/mistakes.js';
import { recordOutcomes, verifyStep } from './step-flow.js';
import { printMarkedPath } from './path-view.js';
import { sendNudge } from '../platform/nudge.js';
import { clusterHome } from '../platform/paths.js';
import type { CommandRun } from './types.js';
import { EXIT } from '../core/errors.js';

/** A learner who did the step by hand asks: did it work? Checks get a short while to settle, then the verdict. */
const SETTLE_MS = 5_000;
/** Checked after the learner did the step by hand. */
const HOW = 'typed';

export const run: CommandRun = async (env, { args }) => {
  const store = progressStore(env);
  const progress = await loadProgress(env, store);
  const { lab, step } = resolveTarget(await labsOf(), progress, args[0]);
  const ctx = labContext(env, await connectCluster(env));
  if (env.options.dryRun) {
    for (const check of step.checks) env.out.command(checkCommand(check, ctx));
    return EXIT.ok;
  }
  if (!env.options.json) env.out.print(env.out.c.bold(`${lab.id}/${step.id} — ${env.out.t(step.title)}`));
  const outcomes = await verifyStep(env, ctx, step, {
    deadlineMs: Math.min(SETTLE_MS, step.within * 1000),
    quiet: env.options.json,
  });
  recordOutcomes(progress, lab, step, outcomes, HOW);
  await store.save(progress);
  if (!env.options.json) printMarkedPath(env, lab, outcomes);
  await sendNudge(clusterHome(env.options.home, env.options.clusterName).nudgeFile);
  if (env.options.json)
    env.out.json({
      lab: lab.id,
      step: step.id,
      passed: allPassed(outcomes),
      checks: toRecords(outcomes, env.options.lang),
      // What a failed check's observation matches among the step's known mistakes (name and hint in --lang).
      mistakes: outcomes.flatMap(({ check, result }) => {
        const mistake = knownMistake(step, check, result);
        if (!mistake) return [];
        const lang = env.options.lang;
        return [{ check: checkTitle(check, lang), id: mistake.id, name: mistake.name[lang], hint: mistake.hint[lang] }];
      }),
    });
  return allPassed(outcomes) ? EXIT.ok : EXIT.failure;
};
