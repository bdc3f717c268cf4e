import { z } from 'zod';
import type { ActionDefinition } from './types.js';
import { kubectlStep } from './kubectl-call.js';
import { kubectlArgsDependencies } from './dependencies.js';

/**
 * Flags that would point kubectl at another cluster or identity than the lab's context, which the Cluster names
 * itself (`--context`): refused when the lab is loaded, not only by lint.
 */
const CONTEXT_FLAGS =
  /^(?:--context|--kubeconfig|--cluster|--user|--server|-s|--token|--as|--as-group|--as-uid|--username|--password|--certificate-authority|--client-certificate|--client-key|--insecure-skip-tls-verify|--tls-server-name)(?:=|$)/;

const args = z
  .array(z.string().min(1))
  .min(1)
  .refine((list) => !list.some((arg) => CONTEXT_FLAGS.test(arg)), {
    message:
      'no flag that chooses the cluster or the user (--context, --kubeconfig, --server, …): the tool names the lab context itself',
  });
const schema = z.strictObject({
  args,
  /** The call that undoes this one for `reset` (e.g. `delete secret niniz-secret --ignore-not-found`). */
  undo: args.optional(),
  expectError: z.string().min(1).optional(),
});
type Spec = z.infer<typeof schema>;

/** Any kubectl call, shown with its output (e.g. `get node -o wide`, `create secret tls …`, `patch service …`). */
export const kubectlAction: ActionDefinition<Spec> = {
  name: 'kubectl',
  schema,
  commands: (spec, ctx) => [ctx.cluster.kubectlLine(spec.args)],
  async run(spec, ctx) {
    await kubectlStep(ctx, spec.args, spec.expectError);
  },
  undoCommands: (spec, ctx) => (spec.undo ? [ctx.cluster.kubectlLine(spec.undo)] : []),
  async undo(spec, ctx) {
    if (spec.undo) await kubectlStep(ctx, spec.undo);
  },
  dependsOn: async (spec) => kubectlArgsDependencies(spec.args),
};
