import { resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import type { Message } from '../core/i18n.js';
import { formatCommand, type Exec } from '../platform/command.js';
import type { RenameFn, WriteMethod } from './atomic.js';
import { addToBlock, blockEntries, outsideBlock, removeFromBlock, type HostsEntry } from './block.js';
import { commitHostsEdit, encodeHosts, readHostsSnapshot, type HostsSnapshot } from './commit.js';
import { addressProblem, hostNameProblem, normalizeHostName } from '../core/host-names.js';
import { currentOsFacts, flushDnsCache, restoreSelinuxLabel, WSL_NOTE, type OsFacts } from './os.js';
import {
  canWriteFile,
  cannotWriteError,
  elevatedTerminalError,
  hostsAccess,
  primeSudo,
  sudoFailedError,
  sudoWriteCommand,
  type HostsAccess,
} from './privilege.js';
import { defaultHostsFile } from '../platform/paths.js';

/**
 * Editing the hosts file: only the tool's marked block (hosts-block.ts), validated input, locked and atomic writes
 * with a backup (hosts-commit.ts), only the write elevated (hosts-privilege.ts), DNS caches flushed after
 * (hosts-os.ts).
 */

export type { HostsEntry } from './block.js';

export interface HostsEditOptions {
  file: string;
  exec: Exec;
  /** [node, cli script]: how to re-invoke this tool's hidden `hosts-write` command under sudo. */
  argv0: string[];
  /** May `sudo -v` ask for a password in the terminal? Inside task lists: no (run prepareHostsEdit before). */
  interactive: boolean;
  signal?: AbortSignal;
}

export interface HostsEditResult {
  changed: boolean;
  /** The commands that ran (the elevated write, DNS cache flushes), as a learner could type them. */
  commands: string[];
  /** Things that did not work but do not fail the edit (DNS flush, backup), and the WSL note. */
  warnings: Message[];
}

/** The machine the edit happens on; tests replace parts of it. */
export interface HostsSystem {
  facts: OsFacts;
  /** DNS caches are flushed only when this file is edited, not for a --hosts-file of one's own. */
  systemHostsFile: string;
  canWrite: (file: string) => Promise<boolean>;
  rename?: RenameFn;
  lockTimeoutMs?: number;
}

export function currentHostsSystem(): HostsSystem {
  return { facts: currentOsFacts(), systemHostsFile: defaultHostsFile(), canWrite: canWriteFile };
}

function checkedNames(names: readonly string[]): string[] {
  for (const name of names) {
    const problem = hostNameProblem(name);
    if (problem)
      throw new UserError(problem, {
        ko: '예: niniz.com, jordy.niniz.com',
        en: 'For example: niniz.com, jordy.niniz.com',
      });
  }
  return names.map(normalizeHostName);
}

function checkedAddress(address: string): string {
  const problem = addressProblem(address);
  if (problem) throw new UserError(problem);
  return address;
}

const lineEnding = (system: HostsSystem) => (system.facts.platform === 'win32' ? '\r\n' : '\n');

/** Map `names` to `address` in the tool's block. Adding what is already there changes nothing. */
export async function addHosts(
  o: HostsEditOptions & { address: string; names: string[] },
  system: HostsSystem = currentHostsSystem(),
): Promise<HostsEditResult> {
  const names = checkedNames(o.names);
  const address = checkedAddress(o.address);
  if (names.length === 0) throw new UserError({ ko: '추가할 이름이 없습니다.', en: 'No names to add.' });
  return editHosts(o, system, (text) => addToBlock(text, o.file, address, names, lineEnding(system)));
}

/** Remove `names` from the block; without names, the whole block. The last name takes the block with it. */
export async function removeHosts(
  o: HostsEditOptions & { names?: string[] },
  system: HostsSystem = currentHostsSystem(),
): Promise<HostsEditResult> {
  const names = o.names?.length ? checkedNames(o.names) : undefined;
  return editHosts(o, system, (text) => removeFromBlock(text, o.file, names));
}

/** The entries of the tool's block; none when the file or the block does not exist. */
export async function readHostsBlock(file: string): Promise<HostsEntry[]> {
  const snapshot = await readHostsSnapshot(file);
  return blockEntries(snapshot.text, file);
}

/**
 * Before a task list starts: make sure the later edits can happen without asking. Asks for the sudo password now
 * when `interactive`; on Windows without rights, fails with the elevated-terminal message.
 */
export async function prepareHostsEdit(
  o: HostsEditOptions,
  system: HostsSystem = currentHostsSystem(),
): Promise<HostsAccess> {
  const access = await hostsAccess(o.file, system.facts, system.canWrite);
  if (access === 'elevated-terminal') throw elevatedTerminalError(o.file);
  if (access === 'sudo' && o.interactive) await primeSudo(o.exec, o.file, o.signal);
  return access;
}

async function editHosts(
  o: HostsEditOptions,
  system: HostsSystem,
  transform: (text: string) => string,
): Promise<HostsEditResult> {
  const access = await hostsAccess(o.file, system.facts, system.canWrite);
  if (access === 'elevated-terminal') throw elevatedTerminalError(o.file);
  const result: HostsEditResult = { changed: false, commands: [], warnings: [] };
  let method: WriteMethod | undefined;
  if (access === 'direct') {
    const done = await commitDirect(o, system, transform);
    result.changed = done.changed;
    result.warnings.push(...done.warnings);
    method = done.method;
  } else {
    result.changed = await writeThroughSudo(o, transform, result.commands);
  }
  if (!result.changed) return result;
  if (method === 'rename') collect(result, await restoreSelinuxLabel(o.exec, system.facts, o.file, o.signal));
  if (resolve(o.file) === resolve(system.systemHostsFile)) {
    collect(result, await flushDnsCache(o.exec, system.facts, o.signal));
    if (system.facts.isWsl) result.warnings.push(WSL_NOTE);
  }
  return result;
}

function collect(result: HostsEditResult, step: { commands: string[]; warnings: Message[] }): void {
  result.commands.push(...step.commands);
  result.warnings.push(...step.warnings);
}

async function commitDirect(o: HostsEditOptions, system: HostsSystem, transform: (text: string) => string) {
  try {
    return await commitHostsEdit(o.file, (before) => transform(before.text), {
      rename: system.rename,
      lockTimeoutMs: system.lockTimeoutMs,
      signal: o.signal,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw system.facts.platform === 'win32'
        ? elevatedTerminalError(o.file)
        : cannotWriteError(o.file, (error as Error).message);
    }
    throw error;
  }
}

/** Elevated write; retried when another run changed the file between our read and the write (hash mismatch). */
async function writeThroughSudo(
  o: HostsEditOptions,
  transform: (text: string) => string,
  commands: string[],
): Promise<boolean> {
  let primed = false;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const before = await readHostsSnapshot(o.file);
    const after = transform(before.text);
    if (after === before.text) return false;
    if (o.interactive && !primed) await primeSudo(o.exec, o.file, o.signal);
    primed = true;
    const command = sudoWriteCommand(o.argv0, o.file, before.sha256, utf8Input(after, o.file));
    commands.push(formatCommand(command));
    const result = await o.exec(command, { signal: o.signal });
    if (!result.failed) return true;
    if ((await readHostsSnapshot(o.file)).sha256 === before.sha256)
      throw sudoFailedError(o.file, result, o.interactive);
  }
  throw new UserError({
    ko: `${o.file}이(가) 계속 바뀌고 있어 고치지 못했습니다.`,
    en: `${o.file} kept changing while being edited; it was not changed.`,
  });
}

/** The child reads stdin as bytes; a string goes through as UTF-8, so only UTF-8 content survives the trip. */
function utf8Input(text: string, file: string): string {
  const bytes = encodeHosts(text);
  const asUtf8 = bytes.toString('utf8');
  if (Buffer.from(asUtf8, 'utf8').equals(bytes)) return asUtf8;
  throw new UserError(
    {
      ko: `${file}에 UTF-8이 아닌 글자가 있어 sudo로 고칠 수 없습니다.`,
      en: `${file} contains text that is not UTF-8, so it cannot be changed through sudo.`,
    },
    {
      ko: '관리자(root) 셸에서 expose-labs hosts 명령을 실행하거나 --no-hosts 를 쓰세요.',
      en: 'Run the expose-labs hosts command from a root shell, or use --no-hosts.',
    },
  );
}

/**
 * The elevated half (`hosts-write`): replace the file with `content` only if it still hashes to `expectSha256`,
 * and only if the change stays inside the tool's block with valid entries. Runs as root: trusts nothing.
 */
export async function writeHostsContent(
  o: { file: string; expectSha256: string; content: Buffer; exec: Exec; signal?: AbortSignal },
  system: HostsSystem = currentHostsSystem(),
): Promise<HostsEditResult> {
  const wanted = o.content.toString('latin1');
  const done = await commitHostsEdit(
    o.file,
    (before: HostsSnapshot) => {
      if (before.sha256 !== o.expectSha256.toLowerCase()) {
        throw new UserError({
          ko: `${o.file}이(가) 읽은 뒤에 바뀌었습니다 (sha256 ${before.sha256}). 덮어쓰지 않았습니다.`,
          en: `${o.file} changed after it was read (sha256 ${before.sha256}); it was not overwritten.`,
        });
      }
      checkBlockOnlyChange(o.file, before.text, wanted);
      return wanted;
    },
    { rename: system.rename, lockTimeoutMs: system.lockTimeoutMs, signal: o.signal },
  );
  const result: HostsEditResult = { changed: done.changed, commands: [], warnings: [...done.warnings] };
  if (done.method === 'rename') collect(result, await restoreSelinuxLabel(o.exec, system.facts, o.file, o.signal));
  return result;
}

function checkBlockOnlyChange(file: string, before: string, after: string): void {
  const sameOutside = outsideBlock(before, file) === outsideBlock(after, file);
  const entries = blockEntries(after, file);
  const valid = entries.every((e) => !addressProblem(e.address) && e.names.every((n) => !hostNameProblem(n)));
  if (sameOutside && valid) return;
  throw new UserError({
    ko: `${file}의 새 내용이 expose-labs 블록 밖을 바꾸거나 올바르지 않은 줄을 담고 있어 거부했습니다.`,
    en: `The new content for ${file} changes lines outside the expose-labs block or holds invalid entries; refused.`,
  });
}
