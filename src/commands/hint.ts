import { labPaths, labsOf, loadProgress, offlineCluster, resolveTarget } from './session.js';
import { previewTemplate } from '../engine/template.js';
import type { CommandRun } from './types.js';
import { EXIT } from '../core/errors.js';

export const run: CommandRun = async (env, { args }) => {
  const { lab, step } = resolveTarget(await labsOf(), await loadProgress(env), args[0]);
  const { out } = env;
  out.print(out.c.bold(`${lab.id}/${step.id} — ${out.t(step.title)}`));
  const where = { cluster: offlineCluster(env), paths: labPaths(env) };
  out.print(previewTemplate(out.t(step.hint), where));
  if (step.mistakes.length > 0) {
    out.print({ ko: '\n이 단계에서 흔한 실수:', en: '\nMistakes often made in this step:' });
    for (const mistake of step.mistakes) out.print(`  - ${out.t(mistake.name)}`);
  }
  return EXIT.ok;
};
