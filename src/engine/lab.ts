import type { ActionDefinition } from '../actions/types.js';
import type { CheckDefinition, Vantage } from '../checks/types.js';
import type { Capabilities } from '../cluster/types.js';
import type { Text } from '../core/i18n.js';
import type { LabText, MistakeData, PathHopData, StepData } from './lab-schema.js';

/** An action entry of lab.yaml, matched to its registry definition and validated by it. */
export interface LabAction {
  name: string;
  title?: LabText;
  spec: unknown;
  // The spec type differs per action; `spec` was validated by its schema (specs.ts) when the lab was loaded.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  def: ActionDefinition<any>;
}

export interface LabCheck {
  name: string;
  /** Set when a mistake names this check (`caughtBy`). */
  id?: string;
  title?: LabText;
  from: Vantage;
  spec: unknown;
  // The spec type differs per check; `spec` was validated by its schema (specs.ts) when the lab was loaded.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  def: CheckDefinition<any>;
}

/** A known mistake of a step, its actions bound like the step's. */
export interface Mistake extends Omit<MistakeData, 'actions' | 'before'> {
  actions?: LabAction[];
  before: LabAction[];
}

export interface Step extends Omit<StepData, 'actions' | 'checks' | 'mistakes'> {
  actions: LabAction[];
  checks: LabCheck[];
  mistakes: Mistake[];
}

/** A lab as the engine uses it: validated, with every action and check bound to its definition. */
export interface Lab {
  id: string;
  /** From the folder name `NN-id`: the order in the menu. */
  order: number;
  /** Absolute path of lab.yaml. */
  file: string;
  title: LabText;
  summary: LabText;
  requires: ('loadBalancer' | 'ingress' | 'gateway')[];
  setup: LabAction[];
  steps: Step[];
  recap: LabText;
  path?: PathHopData[];
}

type Unbound<T> = Omit<T, 'def'>;

/**
 * A lab as data: each action and check named, with its spec, but not bound to its definition. Enough to read a lab
 * (`show`), which then loads none of what runs a step; a bound `Lab` is one too.
 */
export interface LabData extends Omit<Lab, 'file' | 'setup' | 'steps'> {
  setup: Unbound<LabAction>[];
  steps: (Omit<Step, 'actions' | 'checks' | 'mistakes'> & {
    actions: Unbound<LabAction>[];
    checks: Unbound<LabCheck>[];
    mistakes: (Omit<Mistake, 'actions' | 'before'> & {
      actions?: Unbound<LabAction>[];
      before: Unbound<LabAction>[];
    })[];
  })[];
}

/** The texts of a lab that screens render as Markdown, in both languages: its title as a heading, and the bodies. */
export function markdownTexts(lab: LabData): { headings: string[]; bodies: string[] } {
  const both = (text: LabText): string[] => [text.ko, text.en];
  return {
    headings: both(lab.title),
    bodies: [
      ...both(lab.summary),
      ...both(lab.recap),
      ...lab.steps.flatMap((step) => [...both(step.explain), ...both(step.solution)]),
    ],
  };
}

export function labSkippedMessage(lab: Pick<Lab, 'id'>, missing: Lab['requires']): Text {
  return {
    ko: `${lab.id}: 이 클러스터에 ${missing.join(', ')} 기능이 없어 건너뜁니다.`,
    en: `${lab.id}: skipped, this cluster has no ${missing.join(', ')}.`,
  };
}

/** What a lab needs that the cluster does not offer (an existing cluster may have no LoadBalancer or ingress). */
export function missingCapabilities(lab: Pick<Lab, 'requires'>, capabilities: Capabilities): Lab['requires'] {
  return lab.requires.filter((need) => !capabilities[need]);
}
