import type { Lab } from '../engine/lab.js';
import { tryLabMistakes, type MistakeOptions, type MistakeReport } from '../engine/mistakes.js';
import type { LabContext } from '../contract/context.js';
import { renderTable } from '../ui/table.js';
import type { CommandEnv } from './types.js';
import { EXIT } from '../core/errors.js';

/** The catch table: one row per mistake, in lab order. */
export function mistakeTable(env: CommandEnv, reports: MistakeReport[]): string {
  const { out } = env;
  const header = out
    .t({ ko: '실습,실수,잡는 확인,판정,결과,시간', en: 'lab,mistake,caught by,verdict,result,time' })
    .split(',');
  const rows = reports.map((r) => [
    r.lab,
    `${r.step}/${r.mistake}\n${r.name}`,
    r.caughtBy,
    r.expected === r.got ? r.got : `${r.expected} ≠ ${r.got}`,
    r.caught ? out.c.green(out.t({ ko: '잡힘', en: 'caught' })) : out.c.red(out.t({ ko: '놓침', en: 'missed' })),
    `${(r.durationMs / 1000).toFixed(1)} s`,
  ]);
  return renderTable(header, rows, { colors: out.c, align: ['left', 'left', 'left', 'left', 'left', 'right'] });
}

/** `test --mistakes`: every chosen lab's known mistakes, each from a clean lab; 0 only when all are caught. */
export async function runMistakes(
  env: CommandEnv,
  labs: Lab[],
  ctx: LabContext,
  options: MistakeOptions,
): Promise<number> {
  const { out } = env;
  const reports: MistakeReport[] = [];
  const started = Date.now();
  for (const lab of labs) {
    const found = await tryLabMistakes(lab, ctx, options, ({ report }) => {
      if (env.options.json) return;
      const mark = report.caught ? out.c.green('✔') : out.c.red('✖');
      out.print(`${mark} ${lab.id}/${report.step}/${report.mistake} (${(report.durationMs / 1000).toFixed(1)} s)`);
      if (!report.caught) out.print(`    ${report.problem ?? ''} — saw ${report.observed}`);
    });
    reports.push(...found);
  }
  const caught = reports.filter((r) => r.caught).length;
  const seconds = (Date.now() - started) / 1000;
  if (env.options.json) {
    out.json({ passed: caught === reports.length, caught, total: reports.length, seconds, mistakes: reports });
  } else {
    out.raw('\n' + mistakeTable(env, reports) + '\n');
    out.print({
      ko: `\n실수 ${reports.length}개 중 ${caught}개를 잡음 (${seconds.toFixed(1)} 초)`,
      en: `\n${caught} of ${reports.length} mistakes caught (${seconds.toFixed(1)} s)`,
    });
  }
  return caught === reports.length ? EXIT.ok : EXIT.failure;
}
