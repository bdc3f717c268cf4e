import { connectCluster, labContext, labsOf, loadProgress, progressStore, resolveTarget } from './session.js';
import { allPassed, runActions } from '../engine/runner.js';
import { renderMarkdown } from '../ui/markdown.js';
import { previewTemplate } from '../engine/template.js';
import { recordOutcomes, verifyStep } from './step-flow.js';
import type { CommandRun } from './types.js';
import { EXIT } from '../core/errors.js';

const HOW = 'solve';

/** Show the solution of a step, run it, and prove it worked. */
export const run: CommandRun = async (env, { args }) => {
  const store = progressStore(env);
  const progress = await loadProgress(env, store);
  const { lab, step } = resolveTarget(await labsOf(), progress, args[0]);
  const ctx = labContext(env, await connectCluster(env));
  const { out } = env;
  out.print(out.c.bold(`${lab.id}/${step.id} — ${out.t(step.title)}`));
  out.raw(
    renderMarkdown(out.t(step.solution), {
      colors: out.c,
      width: Math.min(env.io.stdout.columns ?? 80, 100),
      fill: (text) => previewTemplate(text, ctx),
    }) + '\n',
  );
  await runActions(step.actions, ctx);
  if (env.options.dryRun) return EXIT.ok;
  const outcomes = await verifyStep(env, ctx, step, { deadlineMs: step.within * 1000 });
  recordOutcomes(progress, lab, step, outcomes, HOW);
  await store.save(progress);
  return allPassed(outcomes) ? EXIT.ok : EXIT.failure;
};
