import { isIP } from 'node:net';
import type { HostsAddSpec, HostsRemoveSpec } from './specs.js';
import type { LabContext } from '../contract/context.js';
import type { Dependency, DependencyContext } from '../contract/dependencies.js';
import { formatCommand } from '../platform/command.js';
import {
  addHosts,
  prepareHostsEdit,
  removeHosts,
  type HostsEditOptions,
  type HostsEditResult,
} from '../hosts/hosts-file.js';
import type { Text } from '../core/i18n.js';
import type { ActionDefinition } from './types.js';
import { withParticle } from '../core/korean.js';
import { hostsAddLines, hostsRemoveLines } from './lines.js';

/**
 * Inside a task list nobody can type a sudo password: `interactive` is false here, and the command that starts the
 * task list asks for it first (prepareHostsEdit).
 */
function editOptions(ctx: LabContext): HostsEditOptions {
  return {
    file: ctx.paths.hostsFile,
    exec: ctx.exec,
    argv0: ctx.argv0 ?? process.argv.slice(0, 2),
    interactive: false,
    signal: ctx.signal,
    onWait: (message) => ctx.log.warn(message),
  };
}

/** Ask for the sudo password (if the file needs it) before anything else of the step runs. */
async function prepareEdit(ctx: LabContext): Promise<void> {
  if (!ctx.noHosts) await prepareHostsEdit({ ...editOptions(ctx), interactive: ctx.interactive ?? false });
}

/** The commands that ran are already shown by the exec under --verbose. */
function report(ctx: LabContext, result: HostsEditResult, unchanged: Text): void {
  for (const warning of result.warnings) ctx.log.warn(warning);
  if (!result.changed) ctx.log.info(unchanged);
}

/** Done by hand, this action changes the hosts file (unless the learner has none to change). */
async function hostsDependencies(_spec: unknown, ctx: DependencyContext): Promise<Dependency[]> {
  return ctx.noHosts ? [] : [{ type: 'file', path: ctx.hostsFile }];
}

/** curl's --resolve does for one request what the hosts line does for the machine. */
function curlResolveLines(spec: HostsAddSpec, ctx: LabContext): string[] {
  const loopback = isIP(spec.address) && /^(127\.|::1$)/.test(spec.address);
  const ports = loopback ? ctx.cluster.ports : { http: 80, https: 443 };
  const host = isIP(spec.address) === 6 ? `[${spec.address}]` : spec.address;
  return spec.names.flatMap((name) =>
    (['http', 'https'] as const).map((scheme) => {
      const port = ports[scheme];
      const standard = port === (scheme === 'http' ? 80 : 443);
      const url = `${scheme}://${name}${standard ? '' : `:${port}`}/`;
      return formatCommand({
        file: 'curl',
        args: [...(scheme === 'https' ? ['-k'] : []), '--resolve', `${name}:${port}:${host}`, url],
      });
    }),
  );
}

function explainNoHosts(spec: HostsAddSpec, ctx: LabContext): void {
  ctx.log.info({
    ko: `--no-hosts: ${withParticle(ctx.paths.hostsFile, '은/는')} 고치지 않습니다. 직접 추가한다면 이 줄입니다:`,
    en: `--no-hosts: ${ctx.paths.hostsFile} is left alone. The line you would add yourself:`,
  });
  for (const name of spec.names) ctx.log.info(`  ${spec.address} ${name}`);
  ctx.log.info({
    ko: 'hosts 파일 없이도 curl에 주소를 직접 알려 줄 수 있습니다 (--resolve 이름:포트:주소). 검사도 이렇게 Host 헤더와 SNI를 보냅니다:',
    en: 'Without the hosts file, curl can be given the address itself (--resolve name:port:address); the checks send the Host header and SNI the same way:',
  });
  for (const line of curlResolveLines(spec, ctx)) ctx.log.command(line);
}

/** Map names to an address in the tool's block of the hosts file; reset removes those names. */
export const hostsAddAction: ActionDefinition<HostsAddSpec> = {
  name: 'hosts-add',
  dependsOn: hostsDependencies,
  ...hostsAddLines,
  prepare: (_spec, ctx) => prepareEdit(ctx),
  async run(spec, ctx) {
    if (ctx.noHosts) return explainNoHosts(spec, ctx);
    const result = await addHosts({ ...editOptions(ctx), address: spec.address, names: spec.names });
    report(ctx, result, {
      ko: `${ctx.paths.hostsFile}에 이미 있습니다: ${spec.names.join(', ')}`,
      en: `Already in ${ctx.paths.hostsFile}: ${spec.names.join(', ')}`,
    });
  },
  async undo(spec, ctx) {
    if (ctx.noHosts) return;
    const result = await removeHosts({ ...editOptions(ctx), names: spec.names });
    report(ctx, result, { ko: '지울 hosts 항목이 없습니다.', en: 'No hosts entries to remove.' });
  },
};

/** Take names out of the tool's block (the block goes when its last name does). */
export const hostsRemoveAction: ActionDefinition<HostsRemoveSpec> = {
  name: 'hosts-remove',
  dependsOn: hostsDependencies,
  ...hostsRemoveLines,
  prepare: (_spec, ctx) => prepareEdit(ctx),
  async run(spec, ctx) {
    if (ctx.noHosts) return;
    const result = await removeHosts({ ...editOptions(ctx), names: spec.names });
    report(ctx, result, { ko: '지울 hosts 항목이 없습니다.', en: 'No hosts entries to remove.' });
  },
};
