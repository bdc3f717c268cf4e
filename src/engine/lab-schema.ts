import { z } from 'zod';

/** A text in both languages; both must be there and non-empty. */
export const textSchema = z.strictObject({
  ko: z.string().trim().min(1, 'Korean text (ko) is empty'),
  en: z.string().trim().min(1, 'English text (en) is empty'),
});

const idSchema = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and dashes');

/**
 * An action or check entry: exactly one registry key (`apply:`, `http:` …) holding that entry's spec, plus the
 * common fields. The spec itself is validated by its schema in actions/specs.ts or checks/specs.ts (lab-loader.ts).
 */
const entryCommon = {
  title: textSchema.optional(),
};

export const actionEntrySchema = z.looseObject(entryCommon);

export const checkEntrySchema = z.looseObject({
  ...entryCommon,
  /** A name for this check within its step, so a mistake can say which check catches it (`caughtBy`). */
  id: idSchema.optional(),
  /** host: sockets from this process; network: a container on the kind network; auto: host when it can reach. */
  from: z.enum(['host', 'network', 'auto']).optional(),
});

/** A dotted path into a manifest object, list items by index: `spec.ports.0.nodePort`. */
const fieldPath = z
  .string()
  .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'a dotted field path such as spec.ports.0.nodePort');

/** One edit of one manifest while a mistake is tried: every apply of `file` then uses the edited copy. */
export const manifestPatchSchema = z.strictObject({
  file: z.string().regex(/^fixtures\/[A-Za-z0-9_./-]+\.ya?ml$/, 'a .yaml file under fixtures/'),
  /** `Kind/name` of the object to edit; may be left out when the file holds one object. */
  object: z
    .string()
    .regex(/^[A-Za-z]+\/[a-z0-9.-]+$/, 'Kind/name, e.g. Service/jordy-lb-svc')
    .optional(),
  set: z.record(fieldPath, z.unknown()).optional(),
  remove: z.array(fieldPath).optional(),
  /** Move a field to another name (a misspelt key keeps its value). */
  rename: z.record(fieldPath, fieldPath).optional(),
});

/**
 * A mistake learners make in this step, tried by `expose-labs test --mistakes`: after a clean setup (and the
 * earlier steps), the step is done the wrong way and the check `caughtBy` must give `verdict`. When a check's
 * observation matches `seen`, the learner's failure names the mistake and shows its hint.
 */
export const mistakeSchema = z.strictObject({
  id: idSchema,
  name: textSchema,
  /** Manifest edits, applied to every apply of those files during the try (setup, earlier steps, this step). */
  patch: z.array(manifestPatchSchema).default([]),
  /** Instead of the step's actions (a different command, a step left out). */
  actions: z.array(actionEntrySchema).optional(),
  /** Run before the lab's setup: what a learner's cluster may already hold (e.g. left over from another lab). */
  before: z.array(actionEntrySchema).default([]),
  /** The id of the step's check that must catch it, or `kubectl` when the step's own command is refused. */
  caughtBy: idSchema,
  /** wrong / not-yet: the check's verdict. refused: a step command fails (caughtBy: kubectl). pass: the lab copes. */
  verdict: z.enum(['wrong', 'not-yet', 'refused', 'pass']),
  /** A regular expression the observation (English) or kubectl's error must match, so the mistake can be named. */
  seen: z.string().min(1).optional(),
  hint: textSchema,
  /** Seconds the verdict must hold before it counts (default 2): long enough that a correct step would have passed. */
  settle: z.number().positive().max(120).default(2),
});

export const stepSchema = z.strictObject({
  id: idSchema,
  title: textSchema,
  /** Markdown: what the step teaches and what differs from the post on today's tools. */
  explain: textSchema,
  /** Files (relative to the package root) shown to the learner, e.g. the manifest this step applies. */
  show: z.array(z.string().min(1)).default([]),
  /** What "run it for me" (and `solve`, `goto`, `test`) does. */
  actions: z.array(actionEntrySchema).min(1, 'a step needs at least one action'),
  /** What proves the step; each must fail before the step and pass after it. */
  checks: z.array(checkEntrySchema).min(1, 'a step needs at least one check'),
  hint: textSchema,
  /** Markdown: the commands a learner types to do it by hand. */
  solution: textSchema,
  /** Seconds the checks may take to pass after the actions ran. */
  within: z.number().int().positive().max(900).default(120),
  /** What learners get wrong here, each with the check that catches it (see CONTRIBUTING.md, "Mistakes"). */
  mistakes: z.array(mistakeSchema).default([]),
});

/** One hop of a lab's traffic path; `layer` is where a check's receipt marks what it saw (checks/receipt.ts). */
export const pathHopSchema = z.strictObject({
  layer: z.enum(['client', 'port-mapping', 'load-balancer', 'node', 'ingress', 'kube-proxy', 'service', 'pod']),
  label: textSchema,
});

export const labSchema = z.strictObject({
  id: idSchema,
  title: textSchema,
  summary: textSchema,
  /** What the cluster must offer; labs missing a capability are marked unavailable on an existing cluster. */
  requires: z.array(z.enum(['loadBalancer', 'ingress', 'gateway'])).default([]),
  /** Run (idempotently) before the first step: the sample apps the lab needs. Not undone by reset. */
  setup: z.array(actionEntrySchema).default([]),
  steps: z.array(stepSchema).min(1, 'a lab needs at least one step'),
  /** Shown when the lab is finished: what was proved. */
  recap: textSchema,
  /** The way traffic goes, client first (the post's diagram); step screens draw it with the last check marked. */
  path: z.array(pathHopSchema).min(2).optional(),
});

export type LabText = z.infer<typeof textSchema>;
export type ActionEntry = z.infer<typeof actionEntrySchema>;
export type CheckEntry = z.infer<typeof checkEntrySchema>;
export type StepData = z.infer<typeof stepSchema>;
export type MistakeData = z.infer<typeof mistakeSchema>;
export type ManifestPatch = z.infer<typeof manifestPatchSchema>;
export type LabData = z.infer<typeof labSchema>;
export type PathHopData = z.infer<typeof pathHopSchema>;
