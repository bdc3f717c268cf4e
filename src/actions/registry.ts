import { applyAction, deleteAction } from './apply.js';
import { hostsAddAction, hostsRemoveAction } from './hosts.js';
import { kubectlAction } from './kubectl.js';
import { tlsGenerateAction } from './tls-generate.js';
import type { ActionDefinition } from './types.js';

/** Every action a lab.yaml may name, keyed by that name. */
export const ACTIONS: ReadonlyMap<string, ActionDefinition<any>> = new Map(
  [applyAction, deleteAction, kubectlAction, tlsGenerateAction, hostsAddAction, hostsRemoveAction].map((a) => [a.name, a]),
);
