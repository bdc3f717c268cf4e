import { z } from 'zod';
import type { CheckSummary } from '../core/learner-events.js';

/** Ids are short and plain, so a hostile value cannot grow the store or carry markup the page would render. */
const id = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/);
const short = (max: number) => z.string().max(max);

const checkSummary = z.strictObject({
  title: short(160),
  verdict: z.enum(['pass', 'not-yet', 'wrong', 'broken']),
  failure: z
    .string()
    .regex(/^[a-z0-9-]{1,24}$/)
    .optional(),
  observed: short(200),
}) satisfies z.ZodType<CheckSummary>;

/** A display name: the learner's choice, any script, no control characters. */
export const displayName = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[^\p{Cc}\p{Cf}]+$/u);

/** Who (a random seat id and the chosen name) and when (the laptop's clock) come with every event. */
const envelope = { id: z.uuid(), seat: z.uuid(), name: displayName, at: z.iso.datetime() };
const where = { lab: id, step: id };
const event = <T extends z.ZodRawShape>(shape: T) => z.strictObject({ ...envelope, ...shape });

/** One event on the wire. Unknown fields are refused, so nothing the schema does not name is ever stored. */
export const wireEvent = z.discriminatedUnion('type', [
  event({ type: z.literal('hello'), version: short(40) }),
  event({
    type: z.literal('doctor'),
    ok: z.boolean(),
    failures: z.number().int().min(0).max(100),
    warnings: z.number().int().min(0).max(100),
  }),
  event({
    type: z.literal('step'),
    ...where,
    index: z.number().int().min(0).max(100),
    count: z.number().int().min(1).max(100),
  }),
  event({ type: z.literal('check'), ...where, passed: z.boolean(), checks: z.array(checkSummary).max(12) }),
  event({ type: z.enum(['hint', 'solution', 'skip', 'goto']), ...where }),
  event({ type: z.literal('finished'), lab: id }),
]);
export type WireEvent = z.infer<typeof wireEvent>;

/** POST /api/events: a batch, so a laptop that was offline catches up in a few requests. */
export const MAX_BATCH = 100;
export const eventBatch = z.strictObject({ events: z.array(wireEvent).min(1).max(MAX_BATCH) });

/** The instructor's note, shown on learners' step screens. Both languages, like every learner-facing text. */
const noteText = short(280).regex(/^[^\p{Cc}\p{Cf}]*$/u);
/** No control characters: a note is printed on learners' terminals, where an escape sequence would act. */
export const note = z.strictObject({ ko: noteText, en: noteText });
export type Note = z.infer<typeof note>;
