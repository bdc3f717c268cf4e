import { readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { receiptLine, type Receipt } from '../checks/receipt.js';
import type { LabSummary } from '../engine/catalogue.js';

/** What a report needs of a lab: the catalogue's summary or the loaded lab both have it. */
type LabOutline = Pick<LabSummary, 'id' | 'title' | 'steps'>;
import {
  DONE_HOW,
  type StoredCheckRecord,
  type DoneHow,
  type Progress,
  type ProgressStore,
} from '../engine/progress.js';
import { sha256Of, stepDigest } from '../engine/evidence.js';
import { currentStep, labSummaries, loadProgress, progressStore } from './session.js';
import { EXIT, UsageError, UserError } from '../core/errors.js';
import { tr, type Lang, type Message, type Text } from '../core/i18n.js';
import { machineIdentity, toolVersion } from '../platform/tool-info.js';
import { toolCommand } from '../platform/invocation.js';
import { createAsker } from '../ui/prompts.js';
import { renderTable } from '../ui/table.js';
import type { CommandEnv, CommandRun } from './types.js';

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

interface ReportLab {
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

const EVIDENCE_BEGIN = '<!-- expose-labs-evidence';
const EVIDENCE_END = '-->';

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

const text = z.object({ ko: z.string(), en: z.string() });
const message = z.union([z.string(), text]);
const how = z.enum(DONE_HOW);
const reportSchema = z.object({
  format: z.literal(REPORT_FORMAT),
  learner: z.string().nullable(),
  machine: z.object({ hostname: z.string(), platform: z.string(), arch: z.string() }),
  tool: z.object({ name: z.literal('expose-labs'), version: z.string() }),
  writtenAt: z.string(),
  cluster: z.string(),
  labs: z.array(
    z.object({
      id: z.string(),
      title: text,
      done: z.number(),
      total: z.number(),
      current: z.string().optional(),
      finishedAt: z.string().optional(),
      steps: z.array(
        z.object({
          id: z.string(),
          title: text,
          state: z.enum(['done', 'skipped', 'open']),
          how: how.optional(),
          doneAt: z.string().optional(),
          skippedAt: z.string().optional(),
          checkedAt: z.string().optional(),
          checkedHow: how.optional(),
          checks: z.array(
            z.object({
              title: message,
              verdict: z.enum(['pass', 'not-yet', 'wrong', 'broken']),
              observed: message,
              expected: message,
              command: z.string(),
              receipt: z.custom<Receipt>((v) => typeof v === 'object' && v !== null).optional(),
            }),
          ),
          digest: z.string().optional(),
          predictions: z.custom<Progress['labs'][string]['predictions']>((v) => Array.isArray(v)),
        }),
      ),
    }),
  ),
  digest: z.string(),
});

/** The evidence of a report file: the JSON itself, or the block a Markdown report carries. */
function reportEvidence(content: string): unknown {
  const start = content.indexOf(EVIDENCE_BEGIN);
  const json =
    start >= 0 ? content.slice(start + EVIDENCE_BEGIN.length, content.indexOf(EVIDENCE_END, start)) : content;
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}

export interface ReportCheck {
  ok: boolean;
  problems: Message[];
  report?: Report;
}

/** Recompute every digest of a report; name each step whose evidence no longer matches. */
export function checkReport(content: string): ReportCheck {
  const parsed = reportSchema.safeParse(reportEvidence(content));
  if (!parsed.success)
    return {
      ok: false,
      problems: [
        {
          ko: 'expose-labs 보고서가 아니거나 형식이 맞지 않습니다 (--report 로 쓴 .json 또는 .md 를 주세요).',
          en: 'Not an expose-labs report, or not in its format (give the .json or .md written by --report).',
        },
      ],
    };
  const report = parsed.data;
  const problems: Message[] = [];
  for (const lab of report.labs) {
    for (const step of lab.steps) {
      if (!step.checkedAt) continue;
      const expected = stepDigest({
        lab: lab.id,
        step: step.id,
        at: step.checkedAt,
        how: step.checkedHow,
        checks: step.checks,
      });
      if (step.digest !== expected)
        problems.push({
          ko: `${lab.id}/${step.id}: 확인 결과가 기록된 뒤에 바뀌었습니다.`,
          en: `${lab.id}/${step.id}: what the checks saw was changed after it was recorded.`,
        });
    }
  }
  const { digest, ...body } = report;
  if (sha256Of(body) !== digest)
    problems.push({
      ko: '보고서 내용(이름, 컴퓨터, 버전, 시각, 단계)이 쓰인 뒤에 바뀌었습니다.',
      en: 'The report (name, machine, version, time or steps) was changed after it was written.',
    });
  return { ok: problems.length === 0, problems, report };
}

async function readReportFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new UserError({
      ko: `보고서를 읽을 수 없습니다: ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      en: `Cannot read the report ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    });
  }
}

async function writeReportFile(file: string, content: string): Promise<void> {
  try {
    await writeFile(file, content);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(
      code === 'ENOENT'
        ? {
            ko: `보고서를 쓸 폴더가 없습니다: ${dirname(file)}`,
            en: `The folder for the report does not exist: ${dirname(file)}`,
          }
        : {
            ko: `보고서를 쓸 수 없습니다: ${file} (${code ?? String(error)})`,
            en: `Cannot write the report ${file} (${code ?? String(error)})`,
          },
      { ko: '있는 폴더의 경로를 주세요.', en: 'Give a path in a folder that exists.' },
    );
  }
}

/** The learner's name: the flag (remembered), the one given before, or asked once at a terminal. */
async function learnerName(env: CommandEnv, store: ProgressStore, progress: Progress, flag: unknown): Promise<void> {
  if (typeof flag === 'string' && flag.trim() !== '') progress.learner = flag.trim();
  else if (!progress.learner && env.interactive) {
    const asker = createAsker({
      lang: env.options.lang,
      interactive: true,
      yes: false,
      input: env.io.stdin,
      output: env.io.stdout,
      signal: env.signal,
    });
    progress.learner = (
      await asker.text({
        message: { ko: '보고서에 넣을 이름은?', en: 'Your name for the report?' },
        flag: '--name',
        validate: (value) =>
          value.trim() === '' ? { ko: '이름을 적어 주세요.', en: 'Type a name, please.' } : undefined,
      })
    ).trim();
  } else if (!progress.learner) {
    env.out.warn({
      ko: '보고서에 이름이 없습니다: --name "이름" 을 붙이세요.',
      en: 'The report has no name: add --name "Your Name".',
    });
    return;
  }
  await store.save(progress);
}

async function checkReportCommand(env: CommandEnv, file: string): Promise<number> {
  const result = checkReport(await readReportFile(file));
  const { out } = env;
  if (env.options.json) {
    out.json({ ok: result.ok, problems: result.problems.map((p) => tr(p, env.options.lang)) });
    return result.ok ? EXIT.ok : EXIT.failure;
  }
  if (result.ok && result.report) {
    const r = result.report;
    out.print(
      out.c.green(
        out.t({
          ko: `✔ 보고서가 쓰인 그대로입니다: ${r.learner ?? '(이름 없음)'}, ${r.machine.hostname}, expose-labs ${r.tool.version}, ${r.writtenAt}`,
          en: `✔ The report is as written: ${r.learner ?? '(no name)'}, ${r.machine.hostname}, expose-labs ${r.tool.version}, ${r.writtenAt}`,
        }),
      ),
    );
    return EXIT.ok;
  }
  for (const problem of result.problems) out.print(`${out.c.red('✖')} ${out.t(problem)}`);
  return EXIT.failure;
}

export const run: CommandRun = async (env, { opts }) => {
  if (typeof opts.checkReport === 'string') return checkReportCommand(env, opts.checkReport);
  const labs = await labSummaries();
  const store = progressStore(env);
  const progress = await loadProgress(env, store);
  const { out } = env;
  if (typeof opts.report === 'string') {
    const file = opts.report;
    if (!file.endsWith('.json') && !file.endsWith('.md'))
      throw new UsageError({
        ko: '--report 파일은 .md 또는 .json 이어야 합니다.',
        en: '--report needs a .md or .json file name.',
      });
    await learnerName(env, store, progress, opts.name);
    const report = buildReport(labs, progress);
    await writeReportFile(
      file,
      file.endsWith('.json') ? JSON.stringify(report, null, 2) + '\n' : markdownReport(report, env.options.lang),
    );
    out.print({ ko: `보고서를 썼습니다: ${file}`, en: `Report written: ${file}` });
    return EXIT.ok;
  }
  const status = statusOf(labs, progress);
  if (env.options.json) {
    out.json({ cluster: progress.cluster, lastLab: progress.lastLab, labs: status });
    return EXIT.ok;
  }
  const header = out.t({ ko: 'ID,실습,진행,지금 단계', en: 'ID,Lab,Done,Current step' }).split(',');
  const rows = status.map((s) => [
    s.id,
    out.t(s.title),
    `${s.done}/${s.total}`,
    s.finishedAt ? out.t({ ko: '완료', en: 'finished' }) : (s.current ?? '-'),
  ]);
  out.raw(renderTable(header, rows, { colors: out.c }) + '\n');
  return EXIT.ok;
};
