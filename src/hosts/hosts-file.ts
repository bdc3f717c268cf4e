import { realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import type { Message } from '../core/i18n.js';
import { formatCommand, type Exec } from '../platform/command.js';
import { fileProblem, osReason } from '../platform/os-errors.js';
import type { RenameFn, WriteMethod } from '../platform/atomic-file.js';
import { addToBlock, blockEntries, earlierMappings, removeFromBlock, type HostsEntry } from './block.js';
import { commitHostsEdit, encodeHosts, readHostsSnapshot, withSudoQueue, type CommitOptions } from './commit.js';
import { checkBlockOnlyChange, checkedHelperRequest, helperCodeProblem, type HelperRules } from './helper-rules.js';
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
import { withParticle } from '../core/korean.js';

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
  /** Told when another run holds the hosts lock for more than a second. */
  onWait?: (message: Message) => void;
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
  afterInPlaceStep?: CommitOptions['afterInPlaceStep'];
  /** User side, before sudo: is the code sudo would run as root changeable by others? */
  helperCode?: (argv0: readonly string[]) => Promise<UserError | undefined>;
  /** Root side (hosts-write): the running code and the configured file. */
  helperRules?: HelperRules;
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
  const shadowed: Message[] = [];
  const result = await editHosts(o, system, (text, exists) => {
    shadowed.splice(0, shadowed.length, ...shadowWarnings(text, o.file, address, names));
    return addToBlock(text, o.file, address, names, lineEnding(system), !exists);
  });
  result.warnings.unshift(...shadowed);
  return result;
}

/** Resolvers take the first line that maps a name: an earlier line with another address wins over the block. */
function shadowWarnings(text: string, file: string, address: string, names: string[]): Message[] {
  return earlierMappings(text, file, names)
    .filter((m) => m.address !== address)
    .map((m) => ({
      ko: `${file}의 ${m.line}번째 줄이 이미 ${withParticle(m.name, '을/를')} ${withParticle(m.address, '으로/로')} 정해 두었습니다. 먼저 나오는 줄이 이기므로 expose-labs 블록의 ${withParticle(address, '은/는')} 쓰이지 않습니다: 그 줄을 지우거나 주석으로 바꾸세요.`,
      en: `Line ${m.line} of ${file} already maps ${m.name} to ${m.address}. The first line wins, so the expose-labs block's ${address} is not used: delete that line or comment it out.`,
    }));
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
  transform: (text: string, exists: boolean) => string,
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
    // The user's own lock (in the temp folder when it cannot write next to the file) queues concurrent sudo edits.
    const check = system.helperCode ?? helperCodeProblem;
    result.changed = await withSudoQueue(o.file, () => writeThroughSudo(o, transform, result.commands, check), {
      lockTimeoutMs: system.lockTimeoutMs,
      signal: o.signal,
      onWait: o.onWait,
    });
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

async function commitDirect(
  o: HostsEditOptions,
  system: HostsSystem,
  transform: (text: string, exists: boolean) => string,
) {
  try {
    return await commitHostsEdit(o.file, (before) => transform(before.text, before.exists), {
      rename: system.rename,
      lockTimeoutMs: system.lockTimeoutMs,
      signal: o.signal,
      onWait: o.onWait,
      afterInPlaceStep: system.afterInPlaceStep,
    });
  } catch (error) {
    throw osError(o.file, system, error);
  }
}

/** An OS error as one line naming the file the learner gave; the tool's own errors pass through. */
function osError(file: string, system: HostsSystem, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (error instanceof UserError || !code) return error;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return system.facts.platform === 'win32' ? elevatedTerminalError(file) : cannotWriteError(file, osReason(error));
  }
  return fileProblem(file, error, 'write');
}

/** Elevated write; retried when another run changed the file between our read and the write (hash mismatch). */
async function writeThroughSudo(
  o: HostsEditOptions,
  transform: (text: string, exists: boolean) => string,
  commands: string[],
  check: (argv0: readonly string[]) => Promise<UserError | undefined>,
): Promise<boolean> {
  const argv0 = await realScript(o.argv0);
  const problem = await check(argv0);
  let primed = false;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const before = await readHostsSnapshot(o.file);
    const after = transform(before.text, before.exists);
    if (after === before.text && !before.padded) return false;
    if (problem) throw problem;
    if (o.interactive && !primed) await primeSudo(o.exec, o.file, o.signal);
    primed = true;
    const command = sudoWriteCommand(argv0, o.file, before.sha256, utf8Input(after, o.file));
    commands.push(formatCommand(command));
    const result = await o.exec(command, { signal: o.signal });
    if (!result.failed) return true;
    if ((await readHostsSnapshot(o.file)).sha256 === before.sha256)
      throw sudoFailedError(o.file, result, o.interactive);
  }
  throw new UserError({
    ko: `${withParticle(o.file, '이/가')} 계속 바뀌고 있어 고치지 못했습니다.`,
    en: `${o.file} kept changing while being edited; it was not changed.`,
  });
}

/**
 * [node, the script's real path]. Node keeps argv[1] as typed, so a global install runs as `<bin>/expose-labs`, a
 * link; a sudoers rule names the file itself (README's `…/dist/src/bin.js`), and sudo matches arguments literally.
 */
async function realScript(argv0: readonly string[]): Promise<string[]> {
  const [node, script, ...rest] = argv0;
  if (!node || !script) return [...argv0];
  return [node, await realpath(script).catch(() => script), ...rest];
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
 * The elevated half (`hosts-write`): replace the system hosts file (or the one file the admin configured) with
 * `content` only if it still hashes to `expectSha256`, only if the change stays inside the tool's block, and only if
 * every line of the new block is one the tool writes. Runs as root: trusts nothing it is given (helper-rules.ts).
 */
export async function writeHostsContent(
  o: { file: string; expectSha256: string; content: Buffer; exec: Exec; signal?: AbortSignal },
  system: HostsSystem = currentHostsSystem(),
): Promise<HostsEditResult> {
  const file = await checkedHelperRequest(o.file, system.systemHostsFile, system.helperRules);
  const wanted = o.content.toString('latin1');
  const done = await commitHostsEdit(
    file,
    (before) => {
      // No hash in the message: it would tell a caller something about a file it may not read.
      if (before.sha256 !== o.expectSha256.toLowerCase()) {
        throw new UserError({
          ko: `${withParticle(file, '이/가')} 읽은 뒤에 바뀌었습니다. 덮어쓰지 않았습니다.`,
          en: `${file} changed after it was read; it was not overwritten.`,
        });
      }
      checkBlockOnlyChange(file, before.text, wanted);
      return wanted;
    },
    { rename: system.rename, lockTimeoutMs: system.lockTimeoutMs, signal: o.signal },
  );
  const result: HostsEditResult = { changed: done.changed, commands: [], warnings: [...done.warnings] };
  if (done.method === 'rename') collect(result, await restoreSelinuxLabel(o.exec, system.facts, file, o.signal));
  return result;
}
