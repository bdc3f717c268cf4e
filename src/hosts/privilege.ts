import { access, constants } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UserError } from '../core/errors.js';
import type { Text } from '../core/i18n.js';
import type { Command, CommandResult, Exec } from '../platform/command.js';
import type { OsFacts } from './os.js';
import { withParticle } from '../core/korean.js';

/**
 * Only the write of the hosts file is elevated, never the tool: as root the kubeconfig and workspace files would
 * become root's. Where we cannot write, the tool re-invokes its own hidden `hosts-write` command under `sudo -n`,
 * the new content on stdin and the hash of the content it replaces as an argument. Windows has no sudo to lean on:
 * the learner runs an elevated terminal.
 */

export type HostsAccess = 'direct' | 'sudo' | 'elevated-terminal';

export async function canWriteFile(file: string): Promise<boolean> {
  try {
    await access(file, constants.W_OK);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return false;
  }
  try {
    await access(dirname(file), constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

export async function hostsAccess(
  file: string,
  facts: OsFacts,
  canWrite: (file: string) => Promise<boolean>,
): Promise<HostsAccess> {
  if (facts.isRoot || (await canWrite(file))) return 'direct';
  return facts.platform === 'win32' ? 'elevated-terminal' : 'sudo';
}

const OTHER_WAYS: Text = {
  ko: '또는 --no-hosts 로 hosts 파일 없이 진행하거나 (검사는 Host 헤더와 SNI를 씁니다), --hosts-file 로 쓸 수 있는 다른 파일을 지정하세요.',
  en: 'Or go on without the hosts file with --no-hosts (checks then send the Host header and SNI), or point --hosts-file at a file you can write.',
};

/** Windows, not elevated. */
export function elevatedTerminalError(file: string): UserError {
  return new UserError(
    {
      ko: `${withParticle(file, '을/를')} 고치려면 관리자 권한이 필요합니다.`,
      en: `Changing ${file} needs administrator rights.`,
    },
    {
      ko: `터미널을 "관리자 권한으로 실행"으로 연 뒤 다시 실행하세요. ${OTHER_WAYS.ko}`,
      en: `Open a terminal with "Run as administrator" and run again. ${OTHER_WAYS.en}`,
    },
  );
}

/** The write failed although the file looked writable (read-only mount, ACL). */
export function cannotWriteError(file: string, reason: Text): UserError {
  return new UserError(
    { ko: `${file}에 쓸 수 없습니다: ${reason.ko}`, en: `Cannot write ${file}: ${reason.en}` },
    OTHER_WAYS,
  );
}

/** The argv that writes `file` as root through the tool's own hidden command; `argv0` is [node, cli script]. */
export function sudoWriteCommand(
  argv0: readonly string[],
  file: string,
  expectSha256: string,
  content: string,
): Command {
  return {
    file: 'sudo',
    args: ['-n', ...argv0, 'hosts-write', '--file', file, '--expect-sha256', expectSha256],
    input: content,
    timeoutMs: 60_000,
  };
}

/** Ask for the sudo password once, in the terminal, so that the later `sudo -n` calls go through. */
export async function primeSudo(exec: Exec, file: string, signal?: AbortSignal): Promise<void> {
  const result = await exec({ file: 'sudo', args: ['-v'], interactive: true }, { signal });
  if (!result.failed) return;
  throw new UserError(
    {
      ko: `${withParticle(file, '을/를')} 고치는 데 필요한 sudo 권한을 얻지 못했습니다.`,
      en: `Could not get the sudo rights needed to change ${file}.`,
    },
    OTHER_WAYS,
  );
}

export function sudoFailedError(file: string, result: CommandResult, interactive: boolean): UserError {
  const said = (result.stderr || result.stdout).trim();
  const detail: Text = said
    ? { ko: said, en: said }
    : result.exitCode === undefined
      ? { ko: 'sudo를 실행하지 못했습니다', en: 'sudo could not be started' }
      : { ko: `종료 코드 ${result.exitCode}`, en: `exit code ${result.exitCode}` };
  const askFirst: Text = interactive
    ? { ko: '', en: '' }
    : {
        ko: '터미널에서 직접 실행하면 sudo 암호를 물어봅니다 (또는 먼저 sudo -v 를 실행하세요). ',
        en: 'Run it in a terminal so sudo can ask for the password (or run sudo -v first). ',
      };
  return new UserError(
    {
      ko: `sudo로 ${withParticle(file, '을/를')} 쓰지 못했습니다:\n${detail.ko}`,
      en: `Writing ${file} through sudo failed:\n${detail.en}`,
    },
    { ko: askFirst.ko + OTHER_WAYS.ko, en: askFirst.en + OTHER_WAYS.en },
  );
}
