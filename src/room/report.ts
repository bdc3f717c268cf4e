import { z } from 'zod';
import { displayName } from './schema.js';
import { maskAddresses } from './failure-kind.js';

/** The file `expose-labs status --report F.json` writes (src/commands/status.ts), as far as a room reads it. */
/** A report stores texts in both languages ({ ko, en }); the room shows the English one. */
const reportText = z.union([z.string(), z.object({ ko: z.string(), en: z.string() })]);
const plain = (text: z.infer<typeof reportText>): string => (typeof text === 'string' ? text : text.en);

export const statusReport = z.object({
  cluster: z.string(),
  labs: z.array(
    z.object({
      id: z.string(),
      steps: z.array(
        z.object({
          id: z.string(),
          // status --report writes `state` (done, skipped, open); earlier versions wrote `done`.
          done: z.boolean().optional(),
          state: z.enum(['done', 'skipped', 'open']).optional(),
          checkedAt: z.string().optional(),
          checks: z.array(
            z.object({
              title: reportText,
              verdict: z.enum(['pass', 'not-yet', 'wrong', 'broken']),
              observed: reportText,
            }),
          ),
        }),
      ),
    }),
  ),
});
export type StatusReport = z.infer<typeof statusReport>;

/** A hand-in as the room stores it: who, and per step whether it was done and what its checks last saw. */
export const importedReport = z.object({
  seat: z.uuid(),
  name: displayName,
  labs: z
    .array(
      z.object({
        id: z.string().max(64),
        steps: z
          .array(
            z.object({
              id: z.string().max(64),
              done: z.boolean(),
              checks: z
                .array(
                  z.object({
                    title: z.string().max(160),
                    verdict: z.enum(['pass', 'not-yet', 'wrong', 'broken']),
                    observed: z.string().max(200),
                  }),
                )
                .max(12),
            }),
          )
          .max(100),
      }),
    )
    .max(50),
});
export type ImportedReport = z.infer<typeof importedReport>;

/** Keep what the room shows (done steps, verdicts) and nothing else of a learner's report. */
export function toImported(report: StatusReport, name: string, seat: string): ImportedReport {
  return importedReport.parse({
    seat,
    name,
    labs: report.labs.map((lab) => ({
      id: lab.id,
      steps: lab.steps.map((step) => ({
        id: step.id,
        done: step.done ?? step.state === 'done',
        checks: step.checks.map((c) => ({
          title: plain(c.title).slice(0, 160),
          verdict: c.verdict,
          observed: maskAddresses(plain(c.observed)).slice(0, 200),
        })),
      })),
    })),
  });
}
