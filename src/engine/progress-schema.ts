import { z } from 'zod';
import type { Receipt } from '../checks/receipt.js';
import type { Verdict } from '../checks/types.js';
import { DONE_HOW } from './progress.js';

/**
 * The shape of progress.json, apart from progress.ts: loading zod costs about as much as starting node, so a file
 * this tool wrote and sealed is read without it (progress.ts), and only other files are validated here.
 */

/** Stored language-free: a fixed text in both languages, or data (a command, an address); rendered when shown. */
const message = z.union([z.string(), z.object({ ko: z.string(), en: z.string() })]);

const checkRecord = z.object({
  title: message,
  verdict: z.enum(['pass', 'not-yet', 'wrong', 'broken']),
  observed: message,
  expected: message,
  command: z.string(),
  /** What the check saw at each layer (checks/receipt.ts); written by this tool, so only its shape is checked. */
  receipt: z
    .custom<Receipt>((v) => typeof v === 'object' && v !== null && Array.isArray((v as Receipt).hops))
    .optional(),
});

const stepResult = z.object({
  at: z.string(),
  checks: z.array(checkRecord),
  how: z.enum(DONE_HOW).optional(),
  /** sha256 of what the checks observed, how and when (evidence.ts), so an edited hand-in shows. */
  digest: z.string().optional(),
});

/** What happened to a step, in order: kept for the report even after a skipped step is picked up again. */
const stepEvent = z.object({
  step: z.string(),
  what: z.enum(['passed', 'skipped']),
  how: z.enum(DONE_HOW).optional(),
  at: z.string(),
});

const labProgress = z.object({
  /** Step ids the checks proved, in the order they were proved. */
  done: z.array(z.string()),
  /** Step ids the learner chose to skip (never counted as done). */
  skipped: z.array(z.string()).default([]),
  /** The step the learner is on (absent when the lab is finished or not started). */
  current: z.string().optional(),
  /** What the checks saw the last time each step was verified, for `status --report`. */
  results: z.record(z.string(), stepResult).default({}),
  events: z.array(stepEvent).default([]),
  finishedAt: z.string().optional(),
  /** Predictions made before a step's checks, graded by what the packets did (the report shows misconceptions). */
  predictions: z
    .array(
      z.object({
        step: z.string(),
        at: z.string(),
        check: z.string(),
        predicted: z.string(),
        actual: z.string().optional(),
        correct: z.boolean(),
      }),
    )
    .default([]),
});

export const progressSchema = z.object({
  version: z.literal(1),
  cluster: z.string(),
  /** The lab the learner was last in, so `start` resumes there. */
  lastLab: z.string().optional(),
  /** The learner's name for reports (`status --report --name`, or asked once). */
  learner: z.string().optional(),
  labs: z.record(z.string(), labProgress),
});

export type Progress = z.infer<typeof progressSchema>;
export type LabProgress = z.infer<typeof labProgress>;
/** What a check saw, as stored: texts in both languages, rendered when shown. */
export type StoredCheckRecord = z.infer<typeof checkRecord> & { verdict: Verdict };
/** The same, rendered in one language (self-test reports, `verify --json`). */
export interface CheckRecord {
  title: string;
  verdict: Verdict;
  observed: string;
  expected: string;
  command: string;
}
export type StepResult = z.infer<typeof stepResult>;
export type StepEvent = z.infer<typeof stepEvent>;
