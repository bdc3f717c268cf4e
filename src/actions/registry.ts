import { applyAction, deleteAction } from './apply.js';
import { hostsAddAction, hostsRemoveAction } from './hosts.js';
import { kubectlAction } from './kubectl.js';
import { tlsGenerateAction } from './tls-generate.js';
import type { ActionDefinition } from './types.js';

/** Every action a lab.yaml may name, keyed by that name. */
// Each entry has its own spec type; the loader validates a spec (its schema is in specs.ts) before the entry sees it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const ACTIONS: ReadonlyMap<string, ActionDefinition<any>> = new Map(
  [applyAction, deleteAction, kubectlAction, tlsGenerateAction, hostsAddAction, hostsRemoveAction].map((a) => [
    a.name,
    a,
  ]),
);
