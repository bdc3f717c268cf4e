import { labPaths, labsOf, loadProgress, offlineCluster, resolveTarget } from './session.js';
import { previewTemplate } from '../engine/template.js';
import type { CommandRun } from './types.js';

export const run: CommandRun = async (env, { args }) => {
  const { lab, step } = resolveTarget(await labsOf(), await loadProgress(env), args[0]);
  const { out } = env;
  out.print(out.c.bold(`${lab.id}/${step.id} — ${out.t(step.title)}`));
  out.print(previewTemplate(out.t(step.hint), { cluster: offlineCluster(env), paths: labPaths(env) }));
  return 0;
};
