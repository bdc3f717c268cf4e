import { describe, expect, it } from 'vitest';
import { checkReport } from '../../src/commands/report-check.js';
import { buildReport, statusOf } from '../../src/commands/report.js';
import { markdownReport } from '../../src/commands/report-markdown.js';
import { emptyProgress, labState, markPassed, skipStep } from '../../src/engine/progress.js';
import { labsOf } from '../../src/commands/session.js';

describe('status report: skipped steps (item 9)', () => {
  it('a skipped step is marked skipped with its time, not shown as untried, even after the lab ends', async () => {
    const labs = await labsOf();
    const lab = labs.find((l) => l.id === 'nodeport')!;
    const progress = emptyProgress('expose-labs');
    skipStep(progress, lab, lab.steps[0]!);
    markPassed(progress, lab, lab.steps[1]!, 'run-for-me');
    // At the end of a lab the skipped list is cleared so the menu offers the step again.
    labState(progress, lab.id).skipped = [];
    const steps = statusOf([lab], progress)[0]!.steps;
    expect(steps.map((s) => [s.state, s.how])).toEqual([
      ['skipped', undefined],
      ['done', 'run-for-me'],
    ]);
    expect(steps[0]!.skippedAt).toMatch(/^\d{4}-/);
    const md = markdownReport(buildReport([lab], progress), 'en');
    expect(md).toMatch(/^- \[-\] .* \(create-service\) — skipped \d{4}-/m);
    expect(md).toMatch(/^- \[x\] .* \(unmapped-port\) — done \d{4}-.*"Run it for me"/m);
    expect(checkReport(md).ok).toBe(true);
  });
});
