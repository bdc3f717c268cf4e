import { writeFile } from 'node:fs/promises';
import { labSkippedMessage, missingCapabilities, type Lab } from '../engine/lab.js';
import { selfTestLab, type LabReport } from '../engine/selftest.js';
import { connectCluster, findLab, labContext, labsOf, outputLog } from './session.js';
import { EXIT, UsageError } from '../core/errors.js';
import { runMistakes } from './test-mistakes.js';
import type { CommandRun } from './types.js';

function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
}

/** JUnit XML: one testsuite per lab, one testcase per step, so CI systems can show the self-test. */
export function junitXml(reports: LabReport[]): string {
  const suites = reports.map((r) => {
    const failures = r.steps.filter((s) => s.defects.length > 0).length + (r.error ? 1 : 0);
    const cases = r.steps.map((s) => {
      const failure = s.defects.length
        ? `<failure message="${escapeXml(s.defects[0]!)}">${escapeXml(s.defects.join('\n'))}</failure>`
        : '';
      return `    <testcase classname="${r.lab}" name="${escapeXml(s.step)}" time="${(s.durationMs / 1000).toFixed(3)}">${failure}</testcase>`;
    });
    if (r.error)
      cases.push(`    <testcase classname="${r.lab}" name="lab"><error message="${escapeXml(r.error)}"/></testcase>`);
    return `  <testsuite name="${r.lab}" tests="${cases.length}" failures="${failures}" time="${(r.durationMs / 1000).toFixed(3)}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="expose-labs self-test">\n${suites.join('\n')}\n</testsuites>\n`;
}

/** Self-test labs on the live cluster: every check fails before its step and passes after it. */
export const run: CommandRun = async (env, { args, opts }) => {
  if (env.options.noHosts) {
    throw new UsageError(
      {
        ko: '자체 시험은 hosts 항목이 생기기 전과 후를 비교하므로 --no-hosts 와 함께 쓸 수 없습니다.',
        en: 'The self-test compares before and after the hosts entries, so it cannot run with --no-hosts.',
      },
      {
        ko: '시스템 hosts 파일을 건드리지 않으려면 --hosts-file <임시 파일> 을 쓰세요: 확인은 그 파일로 이름을 찾습니다.',
        en: 'To leave the system hosts file alone, pass --hosts-file <a temp file>: the checks resolve names through it.',
      },
    );
  }
  const labs = await labsOf();
  const chosen: Lab[] = args[0] ? [findLab(labs, args[0])] : labs;
  const cluster = await connectCluster(env);
  const provider = await env.deps.provider(env.options);
  const capabilities = await provider.capabilities(cluster);
  const ctx = labContext(env, cluster, outputLog(env, true));
  const { out } = env;
  const maxWaitMs = typeof opts.maxWait === 'number' ? opts.maxWait * 1000 : undefined;
  if (opts.mistakes === true) {
    const usable = chosen.filter((lab) => {
      const missing = missingCapabilities(lab, capabilities);
      if (missing.length) out.warn(labSkippedMessage(lab, missing));
      return missing.length === 0;
    });
    const minSettleMs = typeof opts.settle === 'number' ? opts.settle * 1000 : undefined;
    return runMistakes(env, usable, ctx, { maxWaitMs, minSettleMs });
  }
  const reports: LabReport[] = [];
  for (const lab of chosen) {
    const missing = missingCapabilities(lab, capabilities);
    if (missing.length) {
      out.warn(labSkippedMessage(lab, missing));
      reports.push({
        lab: lab.id,
        passed: false,
        steps: [],
        error: `cluster lacks ${missing.join(', ')}`,
        durationMs: 0,
      });
      continue;
    }
    const report = await selfTestLab(
      lab,
      ctx,
      (event) => {
        if (env.options.json || event.type !== 'step-done') return;
        const mark = event.report.defects.length ? out.c.red('✖') : out.c.green('✔');
        out.print(`${mark} ${lab.id}/${event.report.step} (${(event.report.durationMs / 1000).toFixed(1)} s)`);
        for (const defect of event.report.defects) out.print(`    ${defect}`);
      },
      { maxWaitMs },
    );
    if (report.error && !env.options.json) out.error(`${lab.id}: ${report.error}`);
    reports.push(report);
  }
  if (typeof opts.junit === 'string') await writeFile(opts.junit, junitXml(reports));
  const passed = reports.filter((r) => r.passed).length;
  if (env.options.json) out.json({ passed: passed === reports.length, labs: reports });
  else {
    out.print({
      ko: `\n실습 ${reports.length}개 중 ${passed}개 통과 (클러스터: ${cluster.context})`,
      en: `\n${passed} of ${reports.length} labs passed (cluster: ${cluster.context})`,
    });
  }
  return passed === reports.length ? EXIT.ok : EXIT.failure;
};
