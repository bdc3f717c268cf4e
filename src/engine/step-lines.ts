import { ACTION_LINES } from '../actions/lines.js';
import type { ActionLines } from '../actions/types.js';
import { CHECK_LINES } from '../checks/lines.js';
import type { CheckLines } from '../checks/types.js';
import type { LabContext } from '../contract/context.js';
import { fillStatic } from './template.js';

/*
 * What a step's actions and checks look like as commands, apart from the runner: `show` prints them from the faces
 * (actions/lines.ts, checks/lines.ts) without loading what runs and watches a step. An entry bound to its
 * definition (`LabAction`, `LabCheck`) shows that definition's lines, which for every real one are the face's (a
 * test keeps them the same) and for a test's stand-in are its own; an unbound one, as `show` has it, is looked up by
 * its name.
 */

interface Entry<Lines> {
  name: string;
  spec: unknown;
  def?: Lines;
}

function linesOf<Lines>(entry: Entry<Lines>, faces: ReadonlyMap<string, Lines>, kind: string): Lines {
  const lines = entry.def ?? faces.get(entry.name);
  // The loader refuses a lab naming an unknown action or check, so this is a bug in whatever built the entry.
  if (!lines) throw new Error(`no ${kind} named "${entry.name}"`);
  return lines;
}

/** The commands a learner could type for these actions: known values filled in, ones read from the cluster as `<name>`. */
export function actionCommands(
  actions: readonly Entry<ActionLines>[],
  ctx: Pick<LabContext, 'cluster' | 'paths' | 'lang'>,
): string[] {
  return actions.flatMap((a) => linesOf(a, ACTION_LINES, 'action').commands(fillStatic(a.spec, ctx), ctx));
}

/** A check's equivalent command for display, the same way. */
export function checkCommand(check: Entry<CheckLines>, ctx: Pick<LabContext, 'cluster' | 'paths'>): string {
  return fillStatic(linesOf(check, CHECK_LINES, 'check').describe(fillStatic(check.spec, ctx)), ctx);
}
