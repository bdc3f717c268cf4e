import { z } from 'zod';

/** A text in both languages; both must be there and non-empty. */
export const textSchema = z.strictObject({
  ko: z.string().trim().min(1, 'Korean text (ko) is empty'),
  en: z.string().trim().min(1, 'English text (en) is empty'),
});

const idSchema = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and dashes');

/**
 * An action or check entry: exactly one registry key (`apply:`, `http:` …) holding that entry's spec, plus the
 * common fields. The spec itself is validated by the registry entry (see engine/lab-loader.ts).
 */
const entryCommon = {
  title: textSchema.optional(),
};

export const actionEntrySchema = z.looseObject(entryCommon);

export const checkEntrySchema = z.looseObject({
  ...entryCommon,
  /** host: sockets from this process; network: a container on the kind network; auto: host when it can reach. */
  from: z.enum(['host', 'network', 'auto']).optional(),
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
  requires: z.array(z.enum(['loadBalancer', 'ingress'])).default([]),
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
export type LabData = z.infer<typeof labSchema>;
export type PathHopData = z.infer<typeof pathHopSchema>;
