import { DEFAULT_CLUSTER_NAME } from '../cluster/types.js';
import type { LabContext } from '../contract/context.js';
import { formatCommand, shellQuote } from '../platform/command.js';
import { toolCommand } from '../platform/invocation.js';
import { defaultHostsFile } from '../platform/paths.js';
import { certificateFiles, defaultCertName } from '../tls/files.js';
import { opensslCommands } from '../tls/openssl.js';
import type { ApplySpec, HostsAddSpec, HostsRemoveSpec, KubectlSpec, TlsGenerateSpec } from './specs.js';
import type { ActionLines } from './types.js';
import { workspacePath } from './workspace-copy.js';

/*
 * Each action as the commands a learner could type, apart from what runs it: `show` prints them without loading
 * the definitions (registry.ts), which bring the hosts file editor and the certificate maker.
 * The definitions take their `commands` and `undoCommands` from here, so both say the same. `ACTION_LINES` names
 * the same actions as `ACTIONS`, as a test keeps it.
 */

export const manifestOf = (spec: ApplySpec): string => (typeof spec === 'string' ? spec : spec.file);
export const expectedErrorOf = (spec: ApplySpec): string | undefined =>
  typeof spec === 'string' ? undefined : spec.expectError;

export const applyLines: ActionLines<ApplySpec> = {
  commands: (spec, ctx) => [
    ctx.cluster.kubectlLine(['apply', '-f', workspacePath(ctx.paths.workspace, manifestOf(spec))]),
  ],
  undoCommands: (spec, ctx) =>
    expectedErrorOf(spec) === undefined
      ? [
          ctx.cluster.kubectlLine([
            'delete',
            '-f',
            workspacePath(ctx.paths.workspace, manifestOf(spec)),
            '--ignore-not-found',
          ]),
        ]
      : [],
};

export const deleteLines: ActionLines<string> = {
  commands: (spec, ctx) => [
    ctx.cluster.kubectlLine(['delete', '-f', workspacePath(ctx.paths.workspace, spec), '--ignore-not-found']),
  ],
};

export const kubectlLines: ActionLines<KubectlSpec> = {
  commands: (spec, ctx) => [ctx.cluster.kubectlLine(spec.args)],
  undoCommands: (spec, ctx) => (spec.undo ? [ctx.cluster.kubectlLine(spec.undo)] : []),
};

export const certificateNameOf = (spec: TlsGenerateSpec): string => spec.name ?? defaultCertName(spec.hosts);
export const certificateFilesOf = (spec: TlsGenerateSpec, workspace: string): { keyFile: string; certFile: string } =>
  certificateFiles(workspace, certificateNameOf(spec));

export const tlsGenerateLines: ActionLines<TlsGenerateSpec> = {
  commands: (spec, ctx) =>
    opensslCommands({ ...certificateFilesOf(spec, ctx.paths.workspace), hosts: spec.hosts, days: spec.days }),
  undoCommands: (spec, ctx) => {
    const files = certificateFilesOf(spec, ctx.paths.workspace);
    return [formatCommand({ file: 'rm', args: ['-f', files.keyFile, files.certFile] })];
  },
};

/**
 * What "Run it for me" really does, as a command: the tool writes its marked block (which `down` removes), so the
 * line shown is the tool's own `hosts` command, not an `echo | sudo tee -a` that would leave an unmarked entry.
 */
function hostsCommand(
  verb: 'add' | 'remove',
  names: string[],
  ctx: Pick<LabContext, 'paths' | 'cluster'>,
  address?: string,
): string {
  const args = [
    'hosts',
    verb,
    ...(address && address !== '127.0.0.1' ? ['--address', address] : []),
    ...names,
    ...(ctx.paths.hostsFile === defaultHostsFile() ? [] : ['--hosts-file', ctx.paths.hostsFile]),
    // `hosts` tells the lab's own cluster that the file changed, so a step waiting on it looks at once.
    ...(ctx.cluster.name === DEFAULT_CLUSTER_NAME ? [] : ['--cluster-name', ctx.cluster.name]),
  ];
  return toolCommand(args.map(shellQuote).join(' '));
}

export const hostsAddLines: ActionLines<HostsAddSpec> = {
  commands: (spec, ctx) => [hostsCommand('add', spec.names, ctx, spec.address)],
  undoCommands: (spec, ctx) => [hostsCommand('remove', spec.names, ctx)],
};

export const hostsRemoveLines: ActionLines<HostsRemoveSpec> = {
  commands: (spec, ctx) => [hostsCommand('remove', spec.names, ctx)],
};

/** Every action's lines, keyed by the name a lab.yaml uses. */
export const ACTION_LINES: ReadonlyMap<string, ActionLines> = new Map<string, ActionLines>([
  ['apply', applyLines],
  ['delete', deleteLines],
  ['kubectl', kubectlLines],
  ['tls-generate', tlsGenerateLines],
  ['hosts-add', hostsAddLines],
  ['hosts-remove', hostsRemoveLines],
]);
