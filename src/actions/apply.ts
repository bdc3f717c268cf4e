import type { ApplySpec } from './specs.js';
import type { ActionDefinition } from './types.js';
import { copyToWorkspace, workspacePath } from './workspace-copy.js';
import { kubectlStep } from './kubectl-call.js';
import { manifestDependencies } from './dependencies.js';

const fileOf = (spec: ApplySpec) => (typeof spec === 'string' ? spec : spec.file);
const expectedError = (spec: ApplySpec) => (typeof spec === 'string' ? undefined : spec.expectError);

/** Copy a manifest into the workspace and `kubectl apply -f` that copy; reset deletes what it applied. */
export const applyAction: ActionDefinition<ApplySpec> = {
  name: 'apply',
  commands: (spec, ctx) => [ctx.cluster.kubectlLine(['apply', '-f', workspacePath(ctx.paths.workspace, fileOf(spec))])],
  async run(spec, ctx) {
    const copy = await copyToWorkspace(ctx.paths.root, ctx.paths.workspace, fileOf(spec));
    await kubectlStep(ctx, ['apply', '-f', copy], expectedError(spec));
  },
  undoCommands: (spec, ctx) =>
    expectedError(spec) === undefined
      ? [
          ctx.cluster.kubectlLine([
            'delete',
            '-f',
            workspacePath(ctx.paths.workspace, fileOf(spec)),
            '--ignore-not-found',
          ]),
        ]
      : [],
  async undo(spec, ctx) {
    if (expectedError(spec) !== undefined) return;
    const copy = await copyToWorkspace(ctx.paths.root, ctx.paths.workspace, fileOf(spec));
    await kubectlStep(ctx, ['delete', '-f', copy, '--ignore-not-found']);
  },
  files: (spec) => [fileOf(spec)],
  dependsOn: (spec, ctx) => manifestDependencies(ctx.root, fileOf(spec), workspacePath(ctx.workspace, fileOf(spec))),
};

/** `kubectl delete -f` a manifest (e.g. to switch from one version of an object to another). */
export const deleteAction: ActionDefinition<string> = {
  name: 'delete',
  commands: (spec, ctx) => [
    ctx.cluster.kubectlLine(['delete', '-f', workspacePath(ctx.paths.workspace, spec), '--ignore-not-found']),
  ],
  async run(spec, ctx) {
    const copy = await copyToWorkspace(ctx.paths.root, ctx.paths.workspace, spec);
    await kubectlStep(ctx, ['delete', '-f', copy, '--ignore-not-found']);
  },
  files: (spec) => [spec],
  dependsOn: (spec, ctx) => manifestDependencies(ctx.root, spec, workspacePath(ctx.workspace, spec)),
};
