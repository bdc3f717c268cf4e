import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ToolMissingError } from '../core/errors.js';
import type { Message, Text } from '../core/i18n.js';
import { formatCommand, type Command, type Exec } from '../platform/command.js';

/** What differs between systems when the hosts file changes: DNS caches, WSL, SELinux labels. */
export interface OsFacts {
  platform: NodeJS.Platform;
  isRoot: boolean;
  /** Linux under WSL, where /etc/hosts is regenerated from the Windows hosts file. */
  isWsl: boolean;
  /** SELinux is on: a file renamed into /etc keeps the temp file's label until restorecon. */
  selinux: boolean;
  /** Is this program on PATH? */
  hasCommand(name: string): boolean;
}

function onPath(name: string, env: NodeJS.ProcessEnv = process.env): boolean {
  return (env.PATH ?? '').split(delimiter).some((folder) => {
    if (!folder) return false;
    try {
      accessSync(join(folder, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

export function currentOsFacts(): OsFacts {
  const platform = process.platform;
  return {
    platform,
    isRoot: process.getuid?.() === 0,
    isWsl:
      platform === 'linux' && (Boolean(process.env.WSL_DISTRO_NAME) || /microsoft/i.test(readText('/proc/version'))),
    selinux: platform === 'linux' && existsSync('/sys/fs/selinux/enforce'),
    hasCommand: (name) => onPath(name),
  };
}

const asRoot = (facts: OsFacts, file: string, args: string[]): Command =>
  facts.isRoot ? { file, args } : { file: 'sudo', args: ['-n', file, ...args] };

/** The commands that empty this system's DNS cache (none where there is no cache to empty). */
export function dnsFlushCommands(facts: OsFacts): Command[] {
  if (facts.platform === 'darwin') {
    return [asRoot(facts, 'dscacheutil', ['-flushcache']), asRoot(facts, 'killall', ['-HUP', 'mDNSResponder'])];
  }
  if (facts.platform === 'win32') return [{ file: 'ipconfig', args: ['/flushdns'] }];
  if (facts.platform === 'linux' && facts.hasCommand('resolvectl'))
    return [asRoot(facts, 'resolvectl', ['flush-caches'])];
  return [];
}

export interface OsStepResult {
  commands: string[];
  warnings: Message[];
}

async function runAll(
  exec: Exec,
  commands: Command[],
  signal: AbortSignal | undefined,
  why: Text,
): Promise<OsStepResult> {
  const done: OsStepResult = { commands: [], warnings: [] };
  for (const command of commands) {
    const line = formatCommand(command);
    done.commands.push(line);
    try {
      const result = await exec({ ...command, timeoutMs: 15_000 }, { signal });
      if (!result.failed) continue;
      const detail = (result.stderr || result.stdout).trim().split('\n')[0] ?? '';
      done.warnings.push(failedWarning(line, detail, why));
    } catch (error) {
      if (!(error instanceof ToolMissingError)) throw error;
      done.warnings.push(failedWarning(line, error.message, why));
    }
  }
  return done;
}

function failedWarning(line: string, detail: string, why: Text): Text {
  return {
    ko: `${line} 실행에 실패했습니다${detail ? ` (${detail})` : ''}. ${why.ko}`,
    en: `${line} failed${detail ? ` (${detail})` : ''}. ${why.en}`,
  };
}

/** Empty the DNS cache so the new names take effect at once; a failure is a warning, never an error. */
export function flushDnsCache(exec: Exec, facts: OsFacts, signal?: AbortSignal): Promise<OsStepResult> {
  return runAll(exec, dnsFlushCommands(facts), signal, {
    ko: '이전 주소가 잠시 캐시에 남아 있을 수 있습니다. 안 되면 몇 분 뒤 다시 시도하세요.',
    en: 'The old address may stay cached for a while; if a name does not work yet, try again in a few minutes.',
  });
}

/** Give a file renamed into place its proper SELinux label back (a no-op where SELinux is off). */
export function restoreSelinuxLabel(
  exec: Exec,
  facts: OsFacts,
  file: string,
  signal?: AbortSignal,
): Promise<OsStepResult> {
  const commands = facts.selinux && facts.hasCommand('restorecon') ? [asRoot(facts, 'restorecon', [file])] : [];
  return runAll(exec, commands, signal, {
    ko: '다른 프로그램이 hosts 파일을 읽지 못하면 restorecon 을 직접 실행하세요.',
    en: 'If other programs cannot read the hosts file, run restorecon on it yourself.',
  });
}

export const WSL_NOTE: Message = {
  ko: 'WSL 안의 /etc/hosts는 WSL이 시작될 때 Windows의 hosts 파일(C:\\Windows\\System32\\drivers\\etc\\hosts)로 다시 만들어집니다 (/etc/wsl.conf 의 [network] generateHosts = false 이면 예외). Windows의 브라우저는 Windows 쪽 파일을 읽습니다.',
  en: 'Inside WSL, /etc/hosts is rebuilt from the Windows hosts file (C:\\Windows\\System32\\drivers\\etc\\hosts) when WSL starts, unless /etc/wsl.conf sets [network] generateHosts = false. Browsers on Windows read the Windows file.',
};
