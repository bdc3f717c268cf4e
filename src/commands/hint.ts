import { labsOf, loadProgress, resolveTarget } from '../engine/session.js';
import type { CommandRun } from './types.js';

export const run: CommandRun = async (env, { args }) => {
  const { lab, step } = resolveTarget(await labsOf(), await loadProgress(env), args[0]);
  env.out.print(env.out.c.bold(`${lab.id}/${step.id} — ${env.out.t(step.title)}`));
  env.out.print(env.out.t(step.hint));
  return 0;
};
