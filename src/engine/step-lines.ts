import type { LabContext } from '../contract/context.js';
import type { LabAction, LabCheck } from './lab.js';
import { fillStatic } from './template.js';

/*
 * What a step's actions and checks look like as commands, apart from the runner: `show` prints them without
 * loading what runs and watches a step.
 */

/** The commands a learner could type for these actions: known values filled in, ones read from the cluster as `<name>`. */
export function actionCommands(actions: LabAction[], ctx: Pick<LabContext, 'cluster' | 'paths' | 'lang'>): string[] {
  return actions.flatMap((a) => a.def.commands(fillStatic(a.spec, ctx), ctx));
}

/** A check's equivalent command for display, the same way. */
export function checkCommand(check: LabCheck, ctx: Pick<LabContext, 'cluster' | 'paths'>): string {
  return fillStatic(check.def.describe(fillStatic(check.spec, ctx)), ctx);
}
