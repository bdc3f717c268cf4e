import { createHash } from 'node:crypto';
import { access, constants, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { InterruptedError, UserError } from '../core/errors.js';
import type { Message } from '../core/i18n.js';
import {
  readRegularFile,
  regularTarget,
  removeStaleTemps,
  writeFileAtomic,
  type InPlaceOptions,
  type RenameFn,
  type WriteMethod,
} from '../platform/atomic-file.js';
import { fileProblem } from '../platform/os-errors.js';
import { createdByTool, hasBlock, padding, withoutPad } from './block.js';
import { withFileLock } from './lock.js';
import { withParticle } from '../core/korean.js';

/**
 * One edit of a hosts file by a process allowed to write it: take the lock, read, transform, keep a backup of the
 * learner's original, write atomically. The sudo path runs this inside the elevated `hosts-write` command.
 */

export interface HostsSnapshot {
  exists: boolean;
  bytes: Buffer;
  /** The bytes as latin1 (one char per byte, so any encoding survives a round trip), without a killed write's pad. */
  text: string;
  /** A killed in-place write left its padding line at the end (block.ts): the next edit writes the file without. */
  padded: boolean;
  sha256: string;
}

/** Larger than any hosts file (ad-blocking lists are a few MB): beyond it, reading is refused with this limit. */
export const MAX_HOSTS_BYTES = 64 * 1024 * 1024;

const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export const encodeHosts = (text: string): Buffer => Buffer.from(text, 'latin1');

export const backupPath = (file: string): string => `${file}.expose-labs.bak`;

export async function readHostsSnapshot(file: string): Promise<HostsSnapshot> {
  let bytes: Buffer;
  let exists = true;
  try {
    bytes = await readRegularFile(file, MAX_HOSTS_BYTES);
  } catch (error) {
    if (error instanceof UserError) throw error;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw unreadable(file, error);
    bytes = Buffer.alloc(0);
    exists = false;
  }
  // Lines added as single bytes would corrupt a UTF-16 file; Windows editors can save hosts that way.
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new UserError(
      {
        ko: `${withParticle(file, '이/가')} UTF-16으로 저장되어 있어 고치지 않았습니다.`,
        en: `${file} is saved as UTF-16, so it was not changed.`,
      },
      {
        ko: '메모장 등에서 UTF-8 또는 ANSI로 다시 저장한 뒤 다시 실행하세요.',
        en: 'Save it again as UTF-8 or ANSI (e.g. in Notepad), then run again.',
      },
    );
  }
  const { text, padded } = withoutPad(bytes.toString('latin1'));
  return { exists, bytes, text, padded, sha256: sha256Hex(bytes) };
}

const unreadable = (file: string, error: unknown) => fileProblem(file, error, 'read');

/** Next to the file when its folder is writable (so every user of that file shares it), else in the temp folder. */
async function lockPath(file: string): Promise<string> {
  try {
    await access(dirname(file), constants.W_OK);
    return `${file}.expose-labs.lock`;
  } catch {
    return join(tmpdir(), `expose-labs-hosts-${sha256Hex(Buffer.from(resolve(file))).slice(0, 16)}.lock`);
  }
}

/**
 * After a successful edit: keep the file as the learner had it before the tool's first change (no block yet), with
 * the original's mode and owner (a 0600 hosts file gets a 0600 backup); once the block is gone, so is the backup.
 */
async function keepBackup(file: string, before: HostsSnapshot, after: string): Promise<Message | undefined> {
  const target = backupPath(file);
  try {
    if (!hasBlock(after, file)) {
      await unlink(target).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
      return undefined;
    }
    if (!before.exists) return undefined;
    const haveOne = await access(target).then(
      () => true,
      () => false,
    );
    if (haveOne && hasBlock(before.text, file)) return undefined;
    const original = (await regularTarget(file))?.stats;
    await writeFileAtomic(target, before.bytes, {
      mode: original ? original.mode & 0o777 : 0o600,
      owner: original ? { uid: original.uid, gid: original.gid } : undefined,
      replaceMode: true,
    });
    return undefined;
  } catch (error) {
    return {
      ko: `백업 ${withParticle(target, '을/를')} 만들지 못했습니다: ${(error as Error).message}`,
      en: `Could not write the backup ${target}: ${(error as Error).message}`,
    };
  }
}

export interface CommitOptions {
  rename?: RenameFn;
  lockTimeoutMs?: number;
  signal?: AbortSignal;
  onWait?: (message: Message) => void;
  /** Tests only: runs between the writes of the in-place path, to stand in for a kill there. */
  afterInPlaceStep?: InPlaceOptions['afterStep'];
}

export interface CommitResult {
  changed: boolean;
  method?: WriteMethod;
  warnings: Message[];
}

/**
 * Run `fn` holding the queue for edits of `file` through sudo, so concurrent ones take turns instead of failing on
 * each other's hash. It is not the file's own lock, which the elevated helper takes inside.
 */
export async function withSudoQueue<T>(
  file: string,
  fn: () => Promise<T>,
  options: Pick<CommitOptions, 'lockTimeoutMs' | 'signal' | 'onWait'> = {},
): Promise<T> {
  const queue = join(tmpdir(), `expose-labs-hosts-${sha256Hex(Buffer.from(resolve(file))).slice(0, 16)}.sudo.lock`);
  return withFileLock(queue, fn, {
    timeoutMs: options.lockTimeoutMs,
    signal: options.signal,
    onWait: options.onWait,
  });
}

/** Lock, read, `transform`, back up, write. Nothing is written when the text does not change or `transform` throws. */
export async function commitHostsEdit(
  file: string,
  transform: (before: HostsSnapshot) => string,
  options: CommitOptions = {},
): Promise<CommitResult> {
  return withFileLock(
    await lockPath(file),
    async () => {
      // Writers killed before their rename leave temp files behind; those of dead processes go.
      await removeStaleTemps(file);
      await removeStaleTemps(backupPath(file));
      const before = await readHostsSnapshot(file);
      const after = transform(before);
      if (after === before.text && !before.padded) return { changed: false, warnings: [] };
      if (after === '' && before.exists && createdByTool(before.text, file)) {
        await unlink(file);
        const warning = await keepBackup(file, before, after);
        return { changed: true, warnings: warning ? [warning] : [] };
      }
      if (options.signal?.aborted) throw new InterruptedError();
      const method = await writeFileAtomic(file, encodeHosts(after), {
        rename: options.rename,
        inPlace: { pad: padding, afterStep: options.afterInPlaceStep },
      });
      const warning = await keepBackup(file, before, after);
      return { changed: true, method, warnings: warning ? [warning] : [] };
    },
    { timeoutMs: options.lockTimeoutMs, signal: options.signal, onWait: options.onWait },
  );
}
