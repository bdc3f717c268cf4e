import { receiptLine } from '../checks/receipt.js';
import { tr, type Lang, type Message, type Text } from '../core/i18n.js';
import type { DoneHow } from '../engine/progress.js';
import { toolCommand } from '../platform/invocation.js';
import { EVIDENCE_BEGIN, EVIDENCE_END, type Report } from './report.js';

const HOW_TEXT: Record<DoneHow, Text> = {
  typed: { ko: '직접 입력', en: 'typed by the learner' },
  'run-for-me': { ko: '"대신 실행"', en: '"Run it for me"' },
  solve: { ko: 'solve 명령', en: 'the solve command' },
  auto: { ko: '발표 모드 (start --auto)', en: 'presenter mode (start --auto)' },
  replay: { ko: '앞 단계 다시 실행 (goto, 새 클러스터)', en: 'replayed (goto, a new cluster)' },
};

/** A report a learner can hand in, in the report's language; the evidence rides along so it can be re-checked. */
export function markdownReport(report: Report, lang: Lang): string {
  const t = (text: Message) => tr(text, lang);
  const lines = [
    `# expose-labs — ${t({ ko: '실습 보고서', en: 'lab report' })}`,
    '',
    `${t({ ko: '이름', en: 'Learner' })}: ${report.learner ?? t({ ko: '(없음)', en: '(not given)' })}  `,
    `${t({ ko: '컴퓨터', en: 'Machine' })}: ${report.machine.hostname} (${report.machine.platform}/${report.machine.arch})  `,
    `${t({ ko: '도구', en: 'Tool' })}: expose-labs ${report.tool.version}  `,
    `${t({ ko: '클러스터', en: 'Cluster' })}: ${report.cluster}  `,
    `${t({ ko: '작성', en: 'Written' })}: ${report.writtenAt}`,
    '',
  ];
  for (const lab of report.labs) {
    lines.push(`## ${t(lab.title)} (${lab.id}) — ${lab.done}/${lab.total}`, '');
    for (const step of lab.steps) {
      const mark = step.state === 'done' ? 'x' : step.state === 'skipped' ? '-' : ' ';
      const detail =
        step.state === 'done'
          ? ` — ${t({ ko: '완료', en: 'done' })} ${step.doneAt ?? ''}${step.how ? `, ${t(HOW_TEXT[step.how])}` : ''}`
          : step.state === 'skipped'
            ? ` — ${t({ ko: '건너뜀', en: 'skipped' })} ${step.skippedAt ?? ''}`
            : step.checkedAt
              ? ` — ${t({ ko: '확인했지만 통과 못함', en: 'checked, not passed' })} ${step.checkedAt}`
              : '';
      lines.push(`- [${mark}] ${t(step.title)} (${step.id})${detail}`);
      for (const check of step.checks) {
        lines.push(
          `  - ${check.verdict === 'pass' ? '✔' : '✖'} ${t(check.title)}: ${t(check.observed)}`,
          `    \`${check.command}\``,
          ...(check.receipt ? [`    ${t({ ko: '경로', en: 'Path' })}: ${receiptLine(check.receipt, lang)}`] : []),
        );
      }
      for (const p of step.predictions) {
        const grade = p.correct ? t({ ko: '맞음', en: 'right' }) : t({ ko: '틀림', en: 'wrong' });
        lines.push(
          `  - ${t({ ko: '예상', en: 'Prediction' })} (${p.check}): ${p.predicted} → ${p.actual ?? '?'} — ${grade}`,
        );
      }
    }
    lines.push('');
  }
  lines.push(
    `${t({ ko: '다이제스트', en: 'Digest' })}: \`${report.digest}\``,
    '',
    t({
      ko: `확인: ${toolCommand('status --check-report 이-파일')}`,
      en: `Check: ${toolCommand('status --check-report THIS-FILE')}`,
    }),
    '',
    EVIDENCE_BEGIN,
    JSON.stringify(report).replace(/--/g, '-\\u002d'),
    EVIDENCE_END,
    '',
  );
  return lines.join('\n');
}
