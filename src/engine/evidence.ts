import { createHash } from 'node:crypto';

/**
 * Digests that make a hand-in report tamper-evident: each step's evidence (what every check observed, how the step
 * was done, when) is hashed when it is recorded, and the report hashes all of it with who, where and which tool
 * version. `status --check-report` recomputes both, so a line edited by hand shows. It is a seal against editing,
 * not a signature: someone who runs this code on made-up evidence can make a matching digest.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function sha256Of(value: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(value)).digest('hex')}`;
}

/** The fields of a step's evidence that its digest covers. */
export interface StepEvidence {
  lab: string;
  step: string;
  at: string;
  how?: string;
  checks: unknown[];
}

export function stepDigest(evidence: StepEvidence): string {
  return sha256Of({
    lab: evidence.lab,
    step: evidence.step,
    at: evidence.at,
    how: evidence.how,
    checks: evidence.checks,
  });
}
