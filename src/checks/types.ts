import type { LabContext } from '../contract/context.js';
import type { Dependency, DependencyContext } from '../contract/dependencies.js';
import type { Message } from '../core/i18n.js';
import type { Receipt } from './receipt.js';

/**
 * pass: the thing holds. not-yet: it does not hold yet (keep polling). wrong: something exists but differs from
 * what the step asks (the learner must change it). broken: the environment is at fault, not the learner (run doctor).
 */
export type Verdict = 'pass' | 'not-yet' | 'wrong' | 'broken';

export interface CheckResult {
  verdict: Verdict;
  /** What was seen, e.g. `HTTP 404 from 127.0.0.1:80` or `connection refused`. */
  observed: Message;
  /** What the step wants, e.g. `HTTP 200 with a jordy pod name`. */
  expected: Message;
  /** The equivalent command a learner can paste: a curl or kubectl line. */
  command: string;
  /** The likely cause when it did not pass. */
  cause?: Message;
  /** Pod names that answered, in order, for the per-pod bar chart (spread, sticky, source-ip). */
  pods?: string[];
  /** Network checks: what was seen at each layer of the path (the last attempt's, or the one that stopped). */
  receipt?: Receipt;
}

/** Where a network check sends its traffic from (docs/ARCHITECTURE.md, "Vantage points"). */
export type Vantage = 'host' | 'network' | 'auto';

/** A check as the command a learner could type (lines.ts), apart from what runs it. */
export interface CheckLines<Spec = unknown> {
  /** The equivalent curl/kubectl line, placeholders left as they are (for `show` and the task list). */
  describe(spec: Spec): string;
}

/** One kind of check, keyed in lab.yaml by `name`; its spec's schema is in specs.ts, under the same name. */
export interface CheckDefinition<Spec = unknown> extends CheckLines<Spec> {
  name: string;
  /** Does this check send traffic (as opposed to reading the API)? Labs need at least one network check a step. */
  network: boolean;
  /** One attempt. Never throws for a failed expectation: returns a verdict. Placeholders are already filled. */
  run(spec: Spec, ctx: CheckContext): Promise<CheckResult>;
  /**
   * What a new attempt would see change (engine/watch re-checks when it does). Static placeholders are filled,
   * dynamic ones are `<name>`; the objects those name are added by the engine.
   */
  dependsOn?(spec: Spec, ctx: DependencyContext): Dependency[];
}

export interface CheckContext extends LabContext {
  vantage: Vantage;
  /** Per attempt: how long a single network operation may take. */
  timeoutMs: number;
}
