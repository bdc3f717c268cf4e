import type { LabSummary } from '../engine/catalogue.js';
import { sha256Of } from '../engine/evidence.js';
import type { DoneHow, Progress, StoredCheckRecord } from '../engine/progress.js';
import type { Text } from '../core/i18n.js';
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

/** Where a Markdown report carries its evidence (report-markdown.ts writes it, report-check.ts reads it). */
export const EVIDENCE_BEGIN = '<!-- expose-labs-evidence';
export const EVIDENCE_END = '-->';
