import type { KubectlSpec } from './specs.js';
import type { ActionDefinition } from './types.js';
import { kubectlStep } from './kubectl-call.js';
import { kubectlArgsDependencies } from './dependencies.js';
import { kubectlLines } from './lines.js';

/** Any kubectl call, shown with its output (e.g. `get node -o wide`, `create secret tls …`, `patch service …`). */
export const kubectlAction: ActionDefinition<KubectlSpec> = {
  name: 'kubectl',
  ...kubectlLines,
  async run(spec, ctx) {
    await kubectlStep(ctx, spec.args, spec.expectError);
  },
  async undo(spec, ctx) {
    if (spec.undo) await kubectlStep(ctx, spec.undo);
  },
  dependsOn: async (spec) => kubectlArgsDependencies(spec.args),
};
