import { labActions, replaySteps, runActions, undoActions } from '../engine/runner.js';
import { labState, markPassed } from '../engine/progress.js';
import {
  connectCluster,
  findLab,
  findStep,
  labContext,
  labsOf,
  loadProgress,
  progressStore,
  toolCommandHere,
} from './session.js';
import { rememberedRoom } from './room-join.js';
import type { CommandRun } from './types.js';
import { EXIT } from '../core/errors.js';

/** Catch up in a workshop: reset the lab, replay the solutions of the steps before `lab/step`, and stop there. */
export const run: CommandRun = async (env, { args }) => {
  const [labName, stepName] = args[0]!.split('/');
  const lab = findLab(await labsOf(), labName!);
  const target = stepName ? findStep(lab, stepName) : lab.steps[0]!;
  const store = progressStore(env);
  const progress = await loadProgress(env, store);
  const ctx = labContext(env, await connectCluster(env));
  const { out } = env;
  out.print({ ko: `▶ ${lab.id} 초기화`, en: `▶ resetting ${lab.id}` });
  await undoActions(labActions(lab), ctx);
  delete progress.labs[lab.id];
  // Saved at once: if the replay below fails, progress must not claim steps that were just undone.
  if (!env.options.dryRun) await store.save(progress);
  await runActions(lab.setup, ctx);
  const earlier = lab.steps.slice(0, lab.steps.indexOf(target));
  await replaySteps(lab, earlier, ctx, (step) =>
    out.print(out.c.bold(`▶ ${lab.id}/${step.id} — ${out.t(step.title)}`)),
  );
  for (const step of earlier) markPassed(progress, lab, step, 'replay');
  labState(progress, lab.id).current = target.id;
  progress.lastLab = lab.id;
  if (!env.options.dryRun) await store.save(progress);
  if (!env.options.dryRun) {
    const room = rememberedRoom(env);
    room.emit({ type: 'goto', lab: lab.id, step: target.id });
    await room.close();
  }
  out.print({
    ko: `준비됐습니다: ${lab.id}/${target.id} 단계에서 계속하세요 (${toolCommandHere(env.options, 'start')}).`,
    en: `Ready: continue at ${lab.id}/${target.id} (${toolCommandHere(env.options, 'start')}).`,
  });
  return EXIT.ok;
};
