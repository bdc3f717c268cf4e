import { writeFile } from 'node:fs/promises';
import { receiptLine } from '../checks/receipt.js';
import type { Lab } from '../engine/lab.js';
import type { Progress } from '../engine/progress.js';
import { currentStep, labsOf, loadProgress } from './session.js';
import { UsageError } from '../core/errors.js';
import { tr, type Lang } from '../core/i18n.js';
import { renderTable } from '../ui/table.js';
import type { CommandRun } from './types.js';

interface LabStatus {
  id: string;
  title: string;
  done: number;
  total: number;
  current?: string;
  finishedAt?: string;
  steps: {
    id: string;
    title: string;
    done: boolean;
    checkedAt?: string;
    checks: Progress['labs'][string]['results'][string]['checks'];
    /** Predictions made before the checks, oldest first, each graded by what the packets did. */
    predictions: Progress['labs'][string]['predictions'];
  }[];
}

export function statusOf(labs: Lab[], progress: Progress, lang: Lang): LabStatus[] {
  return labs.map((lab) => {
    const state = progress.labs[lab.id];
    return {
      id: lab.id,
      title: tr(lab.title, lang),
      done: state?.done.length ?? 0,
      total: lab.steps.length,
      current: state ? currentStep(lab, progress)?.id : undefined,
      finishedAt: state?.finishedAt,
      steps: lab.steps.map((s) => ({
        id: s.id,
        title: tr(s.title, lang),
        done: state?.done.includes(s.id) ?? false,
        checkedAt: state?.results[s.id]?.at,
        checks: state?.results[s.id]?.checks ?? [],
        predictions: (state?.predictions ?? []).filter((p) => p.step === s.id),
      })),
    };
  });
}

/** A report a learner can hand in: what was finished and what each check saw. */
export function markdownReport(status: LabStatus[], cluster: string, lang: Lang): string {
  const t = (ko: string, en: string) => tr({ ko, en }, lang);
  const lines = [
    `# expose-labs — ${t('실습 보고서', 'lab report')}`,
    '',
    `${t('클러스터', 'Cluster')}: ${cluster}  `,
    `${t('작성', 'Written')}: ${new Date().toISOString()}`,
    '',
  ];
  for (const lab of status) {
    lines.push(`## ${lab.title} (${lab.id}) — ${lab.done}/${lab.total}`, '');
    for (const step of lab.steps) {
      lines.push(
        `- [${step.done ? 'x' : ' '}] ${step.title} (${step.id})${step.checkedAt ? ` — ${t('확인', 'checked')} ${step.checkedAt}` : ''}`,
      );
      for (const check of step.checks) {
        lines.push(
          `  - ${check.verdict === 'pass' ? '✔' : '✖'} ${check.title}: ${check.observed}`,
          `    \`${check.command}\``,
          ...(check.receipt ? [`    ${t('경로', 'Path')}: ${receiptLine(check.receipt, lang)}`] : []),
        );
      }
      for (const p of step.predictions) {
        const grade = p.correct ? t('맞음', 'right') : t('틀림', 'wrong');
        lines.push(`  - ${t('예상', 'Prediction')} (${p.check}): ${p.predicted} → ${p.actual ?? '?'} — ${grade}`);
      }
    }
    lines.push('');
  }
  return lines.join('\n');
}

export const run: CommandRun = async (env, { opts }) => {
  const labs = await labsOf();
  const progress = await loadProgress(env);
  const status = statusOf(labs, progress, env.options.lang);
  const { out } = env;
  if (typeof opts.report === 'string') {
    const file = opts.report;
    if (file.endsWith('.json'))
      await writeFile(file, JSON.stringify({ cluster: progress.cluster, labs: status }, null, 2) + '\n');
    else if (file.endsWith('.md')) await writeFile(file, markdownReport(status, progress.cluster, env.options.lang));
    else
      throw new UsageError({
        ko: '--report 파일은 .md 또는 .json 이어야 합니다.',
        en: '--report needs a .md or .json file name.',
      });
    out.print({ ko: `보고서를 썼습니다: ${file}`, en: `Report written: ${file}` });
    return 0;
  }
  if (env.options.json) {
    out.json({ cluster: progress.cluster, lastLab: progress.lastLab, labs: status });
    return 0;
  }
  const header = out.t({ ko: 'ID,실습,진행,지금 단계', en: 'ID,Lab,Done,Current step' }).split(',');
  const rows = status.map((s) => [
    s.id,
    s.title,
    `${s.done}/${s.total}`,
    s.finishedAt ? out.t({ ko: '완료', en: 'finished' }) : (s.current ?? '-'),
  ]);
  out.raw(renderTable(header, rows, { colors: out.c }) + '\n');
  return 0;
};
