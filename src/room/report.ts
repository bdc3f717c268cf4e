import { z } from 'zod';
import { displayName } from './schema.js';
import { maskAddresses } from './failure-kind.js';

/** The file `expose-labs status --report F.json` writes (src/commands/status.ts), as far as a room reads it. */
export const statusReport = z.object({
  cluster: z.string(),
  labs: z.array(
    z.object({
      id: z.string(),
      steps: z.array(
        z.object({
          id: z.string(),
          done: z.boolean(),
          checkedAt: z.string().optional(),
          checks: z.array(
            z.object({
              title: z.string(),
              verdict: z.enum(['pass', 'not-yet', 'wrong', 'broken']),
              observed: z.string(),
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
        done: step.done,
        checks: step.checks.map((c) => ({
          title: c.title.slice(0, 160),
          verdict: c.verdict,
          observed: maskAddresses(c.observed).slice(0, 200),
        })),
      })),
    })),
  });
}
