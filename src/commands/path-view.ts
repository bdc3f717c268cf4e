import type { Receipt } from '../checks/receipt.js';
import { accessibleEnv } from '../core/accessible.js';
import type { Lab } from '../engine/lab.js';
import { markPath } from '../engine/path-marks.js';
import type { CheckOutcome } from '../engine/runner.js';
import { checkTitle } from '../engine/runner.js';
import { diagramStyle, renderPathDiagram } from '../ui/path-diagram.js';
import type { CommandEnv } from './types.js';

/** Accessible mode for this command (core/accessible.ts). */
export function isAccessible(env: Pick<CommandEnv, 'io'>): boolean {
  return accessibleEnv(env.io.env);
}

/** The lab's path drawn for this terminal, marked with a receipt (none: unmarked). Empty for a lab without one. */
export function pathDiagram(env: CommandEnv, lab: Lab, receipt?: Receipt, caption?: string): string {
  if (!lab.path) return '';
  const { lang } = env.options;
  return renderPathDiagram({
    hops: markPath(lab.path, receipt, lang),
    lang,
    colors: env.out.c,
    width: Math.min(env.io.stdout.columns ?? 80, 100),
    style: diagramStyle(env.io.env, isAccessible(env)),
    caption,
  });
}

/** The receipt worth drawing: the first network check that did not pass, else the last one with a receipt. */
export function telling(outcomes: CheckOutcome[]): CheckOutcome | undefined {
  const withReceipt = outcomes.filter((o) => o?.result.receipt);
  return withReceipt.find((o) => o.result.verdict !== 'pass') ?? withReceipt.at(-1);
}

/** After a step's checks: the path with where the telling check's traffic went and stopped. */
export function printMarkedPath(env: CommandEnv, lab: Lab, outcomes: CheckOutcome[]): void {
  const shown = telling(outcomes);
  if (!shown || !lab.path) return;
  env.out.raw(pathDiagram(env, lab, shown.result.receipt, checkTitle(shown.check, env.options.lang)) + '\n');
}
