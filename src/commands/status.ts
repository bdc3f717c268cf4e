import { writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { accessibleEnv } from '../core/accessible.js';
import type { Progress, ProgressStore } from '../engine/progress.js';
import { labSummaries, loadProgress, progressStore } from './session.js';
import { EXIT, UsageError, UserError } from '../core/errors.js';
import { renderTable } from '../ui/table.js';
import { buildReport, statusOf } from './report.js';
import type { CommandEnv, CommandRun } from './types.js';

async function writeReportFile(file: string, content: string): Promise<void> {
  try {
    await writeFile(file, content);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new UserError(
        {
          ko: `보고서를 쓸 폴더가 없습니다: ${dirname(file)}`,
          en: `The folder for the report does not exist: ${dirname(file)}`,
        },
        { ko: '있는 폴더의 경로를 주세요.', en: 'Give a path in a folder that exists.' },
      );
    // Loaded only on failure: status itself never needs it.
    throw (await import('../platform/os-errors.js')).fileProblem(file, error, 'write');
  }
}

/** The learner's name: the flag (remembered), the one given before, or asked once at a terminal. */
async function learnerName(env: CommandEnv, store: ProgressStore, progress: Progress, flag: unknown): Promise<void> {
  if (typeof flag === 'string' && flag.trim() !== '') progress.learner = flag.trim();
  else if (!progress.learner && env.interactive) {
    const { createAsker } = await import('../ui/prompts.js');
    const asker = createAsker({
      lang: env.options.lang,
      interactive: true,
      yes: false,
      input: env.io.stdin,
      output: env.io.stdout,
      accessible: accessibleEnv(env.io.env),
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

export const run: CommandRun = async (env, { opts }) => {
  if (typeof opts.checkReport === 'string')
    return (await import('./report-check.js')).checkReportCommand(env, opts.checkReport);
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
      file.endsWith('.json')
        ? JSON.stringify(report, null, 2) + '\n'
        : (await import('./report-markdown.js')).markdownReport(report, env.options.lang),
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
