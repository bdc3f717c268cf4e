import type { Text } from './i18n.js';

/** How a check ended, as a room sees it: the verdict and, when it got no proper answer, what kind of failure. */
export interface CheckSummary {
  title: string;
  verdict: 'pass' | 'not-yet' | 'wrong' | 'broken';
  /** `refused`, `dropped`, `http-404`, `tls`… (see src/room/failure-kind.ts); absent on a pass. */
  failure?: string;
  /** What the check saw, in English, with addresses masked. */
  observed: string;
}

/**
 * What a learner's session reports while it walks the labs. Deliberately small: lab and step ids, verdicts, counts
 * and the tool version. Never file contents, keys, kubeconfig, commands typed or addresses.
 */
export type LearnerEvent =
  | { type: 'hello'; version: string }
  | { type: 'doctor'; ok: boolean; failures: number; warnings: number }
  | { type: 'step'; lab: string; step: string; index: number; count: number }
  | { type: 'check'; lab: string; step: string; passed: boolean; checks: CheckSummary[] }
  | { type: 'hint' | 'solution' | 'skip' | 'goto'; lab: string; step: string }
  | { type: 'finished'; lab: string };

/** Where the flow sends those events. The labs never wait on it: `emit` returns at once and cannot fail. */
export interface EventSink {
  emit(event: LearnerEvent): void;
  /** The last note the room's instructor posted, if any (shown on step screens). */
  note(): Text | undefined;
  /** Give queued events a short, bounded chance to leave before the process ends. */
  close(): Promise<void>;
}

/** No room joined: nothing is sent anywhere. */
export const NO_ROOM: EventSink = {
  emit: () => {},
  note: () => undefined,
  close: async () => {},
};
