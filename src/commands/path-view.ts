import type { Receipt } from '../checks/receipt.js';
import { accessibleEnv } from '../core/accessible.js';
import type { Lab, Step } from '../engine/lab.js';
import type { Progress } from '../engine/progress.js';
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

interface Judged {
  verdict: string;
  receipt?: Receipt;
}

/** The result worth drawing: the first network check that did not pass, else the last one with a receipt. */
function telling<T>(items: T[], result: (item: T) => Judged): T | undefined {
  const withReceipt = items.filter((item) => result(item).receipt);
  return withReceipt.find((item) => result(item).verdict !== 'pass') ?? withReceipt.at(-1);
}

/** The receipt the step's checks left last time (a resumed step shows where its traffic stopped). */
export function lastReceipt(progress: Progress, lab: Lab, step: Step): Receipt | undefined {
  return telling(progress.labs[lab.id]?.results[step.id]?.checks ?? [], (check) => check)?.receipt;
}

/** After a step's checks: the path with where the telling check's traffic went and stopped. */
export function printMarkedPath(env: CommandEnv, lab: Lab, outcomes: CheckOutcome[]): void {
  const shown = telling(outcomes, (outcome) => outcome.result);
  if (!shown || !lab.path) return;
  env.out.raw(pathDiagram(env, lab, shown.result.receipt, checkTitle(shown.check, env.options.lang)) + '\n');
}
