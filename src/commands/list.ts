import { labSummaries, loadProgress } from './session.js';
import { renderTable } from '../ui/table.js';
import { toolCommand } from '../platform/invocation.js';
import type { CommandRun } from './types.js';
import { EXIT } from '../core/errors.js';

export const run: CommandRun = async (env) => {
  const labs = await labSummaries();
  const progress = await loadProgress(env);
  const { out } = env;
  if (env.options.json) {
    out.json(
      labs.map((lab) => ({
        id: lab.id,
        order: lab.order,
        title: lab.title,
        summary: lab.summary,
        requires: lab.requires,
        steps: lab.steps.map((s) => ({
          id: s.id,
          title: s.title,
          done: progress.labs[lab.id]?.done.includes(s.id) ?? false,
        })),
      })),
    );
    return EXIT.ok;
  }
  const rows = labs.map((lab) => {
    const done = progress.labs[lab.id]?.done.length ?? 0;
    return [String(lab.order).padStart(2, '0'), lab.id, out.t(lab.title), `${done}/${lab.steps.length}`];
  });
  out.raw(
    renderTable(out.t({ ko: '번호,ID,실습,진행', en: '#,ID,Lab,Done' }).split(','), rows, { colors: out.c }) + '\n',
  );
  out.print({
    ko: `\n실습 내용 보기: ${toolCommand('show <ID>')}   시작: ${toolCommand('start')}`,
    en: `\nRead a lab: ${toolCommand('show <ID>')}   Begin: ${toolCommand('start')}`,
  });
  return EXIT.ok;
};
