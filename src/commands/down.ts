import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CleanupError } from '../cluster/cleanup-error.js';
import { EXIT, InterruptedError, UserError } from '../core/errors.js';
import { tr, type Text } from '../core/i18n.js';
import { clusterOptions } from './providers.js';
import { shellQuote } from '../platform/command.js';
import { prepareHostsEdit, readHostsBlock, removeHosts } from '../hosts/hosts-file.js';
import { clusterHome } from '../platform/paths.js';
import { choosePlain, createReporter } from '../ui/tasks.js';
import { forgetRoom } from '../room/client.js';
import { learnerRoomFiles } from './room-join.js';
import { toolCommandHere } from './session.js';
import { withParticle } from '../core/korean.js';
import type { CommandEnv, CommandInput } from './types.js';
import { toolCommand } from '../platform/invocation.js';
import { sealFileOf } from '../engine/progress.js';

/** The secrets `tls generate` and the TLS lab write into the workspace. */
const SECRET = /\.(key|cert)$/;

async function secretFiles(workspace: string): Promise<string[]> {
  if (!existsSync(workspace)) return [];
  const entries = await readdir(workspace, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && SECRET.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/**
 * The hosts block first: it is the one part that may ask for a password, and it must ask before any task list
 * draws. An empty block means nothing to do and nothing to ask.
 */
async function removeHostsBlock(env: CommandEnv): Promise<void> {
  const { options, out } = env;
  if (options.noHosts) {
    out.print({ ko: '--no-hosts: hosts 파일은 건드리지 않습니다.', en: '--no-hosts: the hosts file is left alone.' });
    return;
  }
  const entries = await readHostsBlock(options.hostsFile);
  if (entries.length === 0) return;
  const names = entries.flatMap((e) => e.names).join(' ');
  if (options.dryRun) {
    out.print({
      ko: `# ${options.hostsFile}에서 expose-labs 블록 지우기: ${names}`,
      en: `# remove the expose-labs block from ${options.hostsFile}: ${names}`,
    });
    return;
  }
  const edit = {
    file: options.hostsFile,
    exec: env.deps.exec,
    argv0: env.io.argv0,
    interactive: env.interactive,
    signal: env.signal,
  };
  await prepareHostsEdit(edit);
  const result = await removeHosts(edit);
  for (const command of result.commands) out.command(command);
  for (const warning of result.warnings) out.warn(warning);
  out.print({ ko: `hosts 파일에서 지웠습니다: ${names}`, en: `Removed from the hosts file: ${names}` });
}

/** Workspace secrets and this cluster's progress (and its seal): files of this tool only, never anything else in the folder. */
async function removeLocalFiles(env: CommandEnv): Promise<void> {
  const { options, out } = env;
  const home = clusterHome(options.home, options.clusterName);
  const progress = [home.progressFile, sealFileOf(home.progressFile)].filter((file) => existsSync(file));
  const files = [...(await secretFiles(home.workspace)), ...progress];
  for (const file of files) {
    if (options.dryRun) out.command(`rm ${shellQuote(file)}`);
    else await rm(file, { force: true });
  }
  if (files.length > 0 && !options.dryRun) {
    out.print({ ko: `지웠습니다: ${files.join(', ')}`, en: `Removed: ${files.join(', ')}` });
  }
}

function firstLine(error: unknown, lang: 'ko' | 'en'): string {
  if (error instanceof UserError) return tr(error.text, lang);
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

/**
 * `expose-labs down`: the cluster, its load balancer containers (and the shared cloud-provider-kind once no
 * kind cluster is left), the hosts block, the workspace secrets and the progress of this cluster. Best effort:
 * each part is tried even when another fails (no Docker engine must not leave `niniz.key` behind), then what
 * could not be removed is named and the exit code is 1. Whatever is already gone is skipped, so a second run
 * does nothing. `--dry-run` prints and runs nothing.
 */
export async function run(env: CommandEnv, _input: CommandInput): Promise<number> {
  const { options, out } = env;
  const failures: string[] = [];
  const attempt = async (part: Text, work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      if (error instanceof InterruptedError || env.signal.aborted) throw error;
      const lines = error instanceof CleanupError ? error.parts : [firstLine(error, options.lang)];
      failures.push(...lines.map((line) => `${tr(part, options.lang)}: ${line}`));
    }
  };
  await attempt({ ko: 'hosts 파일', en: 'hosts file' }, () => removeHostsBlock(env));
  await attempt({ ko: '클러스터', en: 'cluster' }, async () => {
    const provider = await env.deps.provider(options);
    const reporter = createReporter(out, { plain: choosePlain(env.io, options.verbose), signal: env.signal });
    await provider.down(clusterOptions(options), reporter, env.signal);
  });
  await attempt({ ko: '작업 폴더', en: 'workspace' }, () => removeLocalFiles(env));
  // The cluster is gone, and with it the room this cluster was reporting to.
  if (!options.dryRun)
    await attempt({ ko: '방', en: 'room' }, async () => void (await forgetRoom(learnerRoomFiles(env))));
  if (failures.length > 0) {
    out.warn({
      ko: `지울 수 있는 것은 지웠지만 ${failures.length}개를 지우지 못했습니다:\n${failures.map((f) => `  - ${f}`).join('\n')}\nDocker가 돌지 않았다면 ${toolCommand('doctor')} 로 확인한 뒤 ${withParticle(toolCommandHere(options, 'down'), '을/를')} 다시 실행하세요.`,
      en: `Removed what could be removed; ${failures.length} part(s) could not be:\n${failures.map((f) => `  - ${f}`).join('\n')}\nIf Docker was not running, check with ${toolCommand('doctor')}, then run ${toolCommandHere(options, 'down')} again.`,
    });
    return EXIT.failure;
  }
  out.print(
    options.dryRun
      ? { ko: '--dry-run: 아무것도 지우지 않았습니다.', en: '--dry-run: nothing was removed.' }
      : {
          ko: `expose-labs 클러스터 ${options.clusterName}의 흔적을 모두 지웠습니다.`,
          en: `Everything of the expose-labs cluster ${options.clusterName} is gone.`,
        },
  );
  return EXIT.ok;
}
