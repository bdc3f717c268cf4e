import type { ApplySpec } from './specs.js';
import type { ActionDefinition } from './types.js';
import { copyToWorkspace, workspacePath } from './workspace-copy.js';
import { kubectlStep } from './kubectl-call.js';
import { manifestDependencies } from './dependencies.js';
import { applyLines, deleteLines, expectedErrorOf, manifestOf } from './lines.js';

/** Copy a manifest into the workspace and `kubectl apply -f` that copy; reset deletes what it applied. */
export const applyAction: ActionDefinition<ApplySpec> = {
  name: 'apply',
  ...applyLines,
  async run(spec, ctx) {
    const copy = await copyToWorkspace(ctx.paths.root, ctx.paths.workspace, manifestOf(spec));
    await kubectlStep(ctx, ['apply', '-f', copy], expectedErrorOf(spec));
  },
  async undo(spec, ctx) {
    if (expectedErrorOf(spec) !== undefined) return;
    const copy = await copyToWorkspace(ctx.paths.root, ctx.paths.workspace, manifestOf(spec));
    await kubectlStep(ctx, ['delete', '-f', copy, '--ignore-not-found']);
  },
  files: (spec) => [manifestOf(spec)],
  dependsOn: (spec, ctx) =>
    manifestDependencies(ctx.root, manifestOf(spec), workspacePath(ctx.workspace, manifestOf(spec))),
};

/** `kubectl delete -f` a manifest (e.g. to switch from one version of an object to another). */
export const deleteAction: ActionDefinition<string> = {
  name: 'delete',
  ...deleteLines,
  async run(spec, ctx) {
    const copy = await copyToWorkspace(ctx.paths.root, ctx.paths.workspace, spec);
    await kubectlStep(ctx, ['delete', '-f', copy, '--ignore-not-found']);
  },
  files: (spec) => [spec],
  dependsOn: (spec, ctx) => manifestDependencies(ctx.root, spec, workspacePath(ctx.workspace, spec)),
};
