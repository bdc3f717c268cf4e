import { createHash } from 'node:crypto';
import { access, constants, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import type { Message } from '../core/i18n.js';
import { removeStaleTemps, writeFileAtomic, type RenameFn, type WriteMethod } from './atomic.js';
import { hasBlock } from './block.js';
import { withFileLock } from './lock.js';

/**
 * One edit of a hosts file by a process allowed to write it: take the lock, read, transform, keep a backup of the
 * learner's original, write atomically. The sudo path runs this inside the elevated `hosts-write` command.
 */

export interface HostsSnapshot {
  exists: boolean;
  bytes: Buffer;
  /** The bytes as latin1: one char per byte, so any encoding survives a round trip. */
  text: string;
  sha256: string;
}

const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export const encodeHosts = (text: string): Buffer => Buffer.from(text, 'latin1');

export const backupPath = (file: string): string => `${file}.expose-labs.bak`;

export async function readHostsSnapshot(file: string): Promise<HostsSnapshot> {
  let bytes: Buffer;
  let exists = true;
  try {
    bytes = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw unreadable(file, error);
    bytes = Buffer.alloc(0);
    exists = false;
  }
  // Lines added as single bytes would corrupt a UTF-16 file; Windows editors can save hosts that way.
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new UserError(
      {
        ko: `${file}이(가) UTF-16으로 저장되어 있어 고치지 않았습니다.`,
        en: `${file} is saved as UTF-16, so it was not changed.`,
      },
      {
        ko: '메모장 등에서 UTF-8 또는 ANSI로 다시 저장한 뒤 다시 실행하세요.',
        en: 'Save it again as UTF-8 or ANSI (e.g. in Notepad), then run again.',
      },
    );
  }
  return { exists, bytes, text: bytes.toString('latin1'), sha256: sha256Hex(bytes) };
}

function unreadable(file: string, error: unknown): UserError {
  return new UserError({
    ko: `${file}을(를) 읽을 수 없습니다: ${(error as Error).message}`,
    en: `Cannot read ${file}: ${(error as Error).message}`,
  });
}

/** Next to the file when its folder is writable (so every user of that file shares it), else in the temp folder. */
async function lockPath(file: string): Promise<string> {
  try {
    await access(dirname(file), constants.W_OK);
    return `${file}.expose-labs.lock`;
  } catch {
    return join(tmpdir(), `expose-labs-hosts-${sha256Hex(Buffer.from(resolve(file))).slice(0, 16)}.lock`);
  }
}

/** Keep the file as the learner had it before the tool's first change (no block yet), or the first one seen. */
async function keepBackup(file: string, before: HostsSnapshot): Promise<Message | undefined> {
  if (!before.exists) return undefined;
  const target = backupPath(file);
  const haveOne = await access(target).then(
    () => true,
    () => false,
  );
  if (haveOne && hasBlock(before.text, file)) return undefined;
  try {
    await writeFileAtomic(target, before.bytes);
    return undefined;
  } catch (error) {
    return {
      ko: `백업 ${target}을(를) 만들지 못했습니다: ${(error as Error).message}`,
      en: `Could not write the backup ${target}: ${(error as Error).message}`,
    };
  }
}

export interface CommitOptions {
  rename?: RenameFn;
  lockTimeoutMs?: number;
  signal?: AbortSignal;
}

export interface CommitResult {
  changed: boolean;
  method?: WriteMethod;
  warnings: Message[];
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
      if (after === before.text) return { changed: false, warnings: [] };
      const warning = await keepBackup(file, before);
      const method = await writeFileAtomic(file, encodeHosts(after), { rename: options.rename });
      return { changed: true, method, warnings: warning ? [warning] : [] };
    },
    { timeoutMs: options.lockTimeoutMs, signal: options.signal },
  );
}
