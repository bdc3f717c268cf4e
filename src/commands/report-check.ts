import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Receipt } from '../checks/receipt.js';
import { EXIT } from '../core/errors.js';
import { tr, type Message } from '../core/i18n.js';
import { sha256Of, stepDigest } from '../engine/evidence.js';
import { fileProblem } from '../platform/os-errors.js';
import { DONE_HOW, type Progress } from '../engine/progress.js';
import { EVIDENCE_BEGIN, EVIDENCE_END, REPORT_FORMAT, type Report } from './report.js';
import type { CommandEnv } from './types.js';

/**
 * `status --check-report`: a handed-in report read back and every digest recomputed. Apart from status.ts, which
 * `status` alone loads, since the schema needs zod.
 */

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
    throw fileProblem(file, error, 'read');
  }
}

export async function checkReportCommand(env: CommandEnv, file: string): Promise<number> {
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
