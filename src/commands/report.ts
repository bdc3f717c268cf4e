import { receiptLine } from '../checks/receipt.js';
import type { LabSummary } from '../engine/catalogue.js';
import { sha256Of } from '../engine/evidence.js';
import type { DoneHow, Progress, StoredCheckRecord } from '../engine/progress.js';
import { tr, type Lang, type Message, type Text } from '../core/i18n.js';
import { toolCommand } from '../platform/invocation.js';
import { machineIdentity, toolVersion } from '../platform/tool-info.js';
import { currentStep } from './session.js';

/** What a report needs of a lab: the catalogue's summary or the loaded lab both have it. */
export type LabOutline = Pick<LabSummary, 'id' | 'title' | 'steps'>;

export const REPORT_FORMAT = 'expose-labs-report/1' as const;

type StepState = 'done' | 'skipped' | 'open';

/** One step in a report: how it was done and when, and what the checks saw (language-free). */
interface ReportStep {
  id: string;
  title: Text;
  state: StepState;
  how?: DoneHow;
  doneAt?: string;
  skippedAt?: string;
  checkedAt?: string;
  checkedHow?: DoneHow;
  checks: StoredCheckRecord[];
  digest?: string;
  /** Predictions made before the checks, oldest first, each graded by what the packets did. */
  predictions: Progress['labs'][string]['predictions'];
}

export interface ReportLab {
  id: string;
  title: Text;
  done: number;
  total: number;
  current?: string;
  finishedAt?: string;
  steps: ReportStep[];
}

export interface Report {
  format: typeof REPORT_FORMAT;
  learner: string | null;
  machine: { hostname: string; platform: string; arch: string };
  tool: { name: 'expose-labs'; version: string };
  writtenAt: string;
  cluster: string;
  labs: ReportLab[];
  digest: string;
}

export function statusOf(labs: LabOutline[], progress: Progress): ReportLab[] {
  return labs.map((lab) => {
    const state = progress.labs[lab.id];
    const last = (step: string, what: 'passed' | 'skipped') =>
      state?.events.filter((e) => e.step === step && e.what === what).at(-1);
    return {
      id: lab.id,
      title: lab.title,
      done: state?.done.length ?? 0,
      total: lab.steps.length,
      current: state ? currentStep(lab, progress)?.id : undefined,
      finishedAt: state?.finishedAt,
      steps: lab.steps.map((s) => {
        const result = state?.results[s.id];
        const passed = last(s.id, 'passed');
        const skipped = last(s.id, 'skipped');
        const done = state?.done.includes(s.id) ?? false;
        const wasSkipped = !done && (state?.skipped.includes(s.id) || skipped !== undefined);
        return {
          id: s.id,
          title: s.title,
          state: done ? 'done' : wasSkipped ? 'skipped' : 'open',
          how: done ? passed?.how : undefined,
          doneAt: done ? passed?.at : undefined,
          skippedAt: wasSkipped ? skipped?.at : undefined,
          checkedAt: result?.at,
          checkedHow: result?.how,
          checks: result?.checks ?? [],
          digest: result?.digest,
          predictions: (state?.predictions ?? []).filter((p) => p.step === s.id),
        };
      }),
    };
  });
}

export function buildReport(labs: LabOutline[], progress: Progress, now = new Date()): Report {
  const body = {
    format: REPORT_FORMAT,
    learner: progress.learner ?? null,
    machine: machineIdentity(),
    tool: { name: 'expose-labs' as const, version: toolVersion() },
    writtenAt: now.toISOString(),
    cluster: progress.cluster,
    labs: statusOf(labs, progress),
  };
  return { ...body, digest: sha256Of(body) };
}

const HOW_TEXT: Record<DoneHow, Text> = {
  typed: { ko: '직접 입력', en: 'typed by the learner' },
  'run-for-me': { ko: '"대신 실행"', en: '"Run it for me"' },
  solve: { ko: 'solve 명령', en: 'the solve command' },
  auto: { ko: '발표 모드 (start --auto)', en: 'presenter mode (start --auto)' },
  replay: { ko: '앞 단계 다시 실행 (goto, 새 클러스터)', en: 'replayed (goto, a new cluster)' },
};

export const EVIDENCE_BEGIN = '<!-- expose-labs-evidence';
export const EVIDENCE_END = '-->';

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
