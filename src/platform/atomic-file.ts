import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { lstat, open, readdir, realpath, rename as fsRename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../core/errors.js';
import type { Text } from '../core/i18n.js';
import { isProcessAlive } from './processes.js';
import { withParticle } from '../core/korean.js';

/**
 * The one way the tool replaces a file (the hosts file, the progress store, the remembered ports, a key and its
 * certificate): a reader, or a kill, sees the old bytes or the new ones. Write a temp file in the same folder, fsync
 * it, rename it over the original. A symlink is written through to the regular file it names (NixOS links
 * /etc/hosts); anything else that is not a regular file (a device, a FIFO, a folder) is refused before it is opened,
 * so `/dev/null` is never replaced and a FIFO never blocks.
 *
 * Where rename cannot replace the file (a bind-mounted /etc/hosts in a container answers EBUSY) or the folder is not
 * writable, a caller that allows it gets the bytes written in place. That path is two writes: when the file shrinks,
 * the first write puts the new bytes followed by the caller's padding (which the caller recognises and strips on
 * its next read), the second truncates; a kill between them leaves the new content plus padding, never a stale tail.
 */

export type RenameFn = (from: string, to: string) => Promise<void>;
export type WriteMethod = 'rename' | 'in-place';

const RENAME_REFUSED = new Set(['EBUSY', 'EXDEV', 'EPERM']);
const FOLDER_READ_ONLY = new Set(['EACCES', 'EPERM', 'EROFS']);
const TEMP = /^\.(.+)\.expose-labs-(\d+)-[0-9a-f]+\.tmp$/;

const code = (error: unknown) => (error as NodeJS.ErrnoException).code ?? '';

function tempPath(file: string): string {
  return join(dirname(file), `.${basename(file)}.expose-labs-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

function kindOf(info: Stats): Text {
  if (info.isDirectory()) return { ko: '폴더', en: 'a folder' };
  if (info.isFIFO()) return { ko: 'FIFO(이름 있는 파이프)', en: 'a FIFO (named pipe)' };
  if (info.isCharacterDevice() || info.isBlockDevice()) return { ko: '장치 파일', en: 'a device' };
  if (info.isSocket()) return { ko: '소켓', en: 'a socket' };
  return { ko: '일반 파일이 아닌 것', en: 'not a regular file' };
}

/** Not a regular file: refused, saying what it is, before anything opens it. */
export class NotRegularFileError extends UserError {
  override readonly name = 'NotRegularFileError';
  constructor(file: string, kind: Text) {
    super(
      {
        ko: `${withParticle(file, '은/는')} ${kind.ko}라서 건드리지 않았습니다: 일반 파일(또는 일반 파일을 가리키는 링크)만 읽고 씁니다.`,
        en: `${file} is ${kind.en}, so it was left alone: only regular files (or links to one) are read and written.`,
      },
      {
        ko: '일반 파일의 경로를 주세요. hosts 파일을 건드리지 않으려면 --no-hosts 를 쓰세요.',
        en: 'Give the path of a regular file. To leave the hosts file alone, use --no-hosts.',
      },
    );
  }
}

/**
 * The regular file `file` stands for: itself, or the file its symlinks lead to. Undefined when nothing is there
 * yet (a new file is created at `file`). Throws NotRegularFileError for anything else, a dangling link included.
 */
export async function regularTarget(file: string): Promise<{ path: string; stats: Stats } | undefined> {
  let link: Stats;
  try {
    link = await lstat(file);
  } catch (error) {
    if (code(error) === 'ENOENT') return undefined;
    throw error;
  }
  if (link.isFile()) return { path: file, stats: link };
  if (!link.isSymbolicLink()) throw new NotRegularFileError(file, kindOf(link));
  let path: string;
  try {
    path = await realpath(file);
  } catch (error) {
    if (code(error) === 'ENOENT')
      throw new NotRegularFileError(file, { ko: '없는 파일을 가리키는 링크', en: 'a link to a missing file' });
    throw error;
  }
  const info = await stat(path);
  if (!info.isFile()) throw new NotRegularFileError(file, kindOf(info));
  return { path, stats: info };
}

/** Too big to be what the tool reads (a hosts file, a manifest): refused with the limit. */
export class FileTooLargeError extends UserError {
  override readonly name = 'FileTooLargeError';
  constructor(file: string, maxBytes: number) {
    super({
      ko: `${withParticle(file, '이/가')} ${maxBytes} 바이트보다 커서 읽지 않았습니다.`,
      en: `${file} is larger than ${maxBytes} bytes, so it was not read.`,
    });
  }
}

/**
 * Read a regular file (through symlinks) of at most `maxBytes`. Opened without blocking and checked on the open
 * handle too, so a FIFO swapped in after the check cannot hang the read. ENOENT is thrown as is.
 */
export async function readRegularFile(file: string, maxBytes: number): Promise<Buffer> {
  await regularTarget(file);
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new NotRegularFileError(file, kindOf(info));
    if (info.size > maxBytes) throw new FileTooLargeError(file, maxBytes);
    const buffer = Buffer.alloc(info.size + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > maxBytes) throw new FileTooLargeError(file, maxBytes);
      if (length === buffer.length) break;
    }
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

export interface InPlaceOptions {
  /** At least `length` bytes the caller strips on its next read; written after the new bytes when the file shrinks. */
  pad: (length: number) => Uint8Array;
  /** Tests only: runs after each write of the in-place path, to stand in for a kill between them. */
  afterStep?: (step: 'write' | 'truncate') => Promise<void> | void;
}

export interface AtomicWriteOptions {
  /** Injected in tests to stand in for a bind mount. */
  rename?: RenameFn;
  /** Mode for a file that does not exist yet; an existing file keeps its mode (and, as root, its owner). */
  mode?: number;
  /** Use `mode` (and `owner`) even when the file exists: a copy that must match another file. */
  replaceMode?: boolean;
  /** Owner for the file when running as root (a backup gets the original's). */
  owner?: { uid: number; gid: number };
  /** Allow the in-place path where rename cannot work; without it that case throws. */
  inPlace?: InPlaceOptions;
}

async function writeInPlace(file: string, data: Uint8Array, options: InPlaceOptions): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    const size = (await handle.stat()).size;
    const first = data.length < size ? Buffer.concat([data, options.pad(size - data.length)]) : data;
    await handle.write(first, 0, first.length, 0);
    await handle.sync();
    await options.afterStep?.('write');
    if (first.length !== data.length) {
      await handle.truncate(data.length);
      await handle.sync();
    }
    await options.afterStep?.('truncate');
  } finally {
    await handle.close();
  }
}

/** Make the rename itself durable; folders cannot be opened on Windows, where this is skipped. */
async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Best effort: the data itself was already synced.
  }
}

/** Write `data` to `file` (through symlinks) so that it holds the old bytes or the new ones; says which way. */
export async function writeFileAtomic(
  file: string,
  data: Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<WriteMethod> {
  const target = await regularTarget(file);
  const path = target?.path ?? file;
  const rename = options.rename ?? fsRename;
  const keep = target && !options.replaceMode;
  const mode = keep ? target.stats.mode & 0o7777 : (options.mode ?? 0o644);
  const owner = keep ? { uid: target.stats.uid, gid: target.stats.gid } : options.owner;
  const temp = tempPath(path);
  let handle;
  try {
    handle = await open(temp, 'wx', mode);
  } catch (error) {
    if (target && options.inPlace && FOLDER_READ_ONLY.has(code(error))) {
      await writeInPlace(path, data, options.inPlace);
      return 'in-place';
    }
    throw error;
  }
  try {
    await handle.writeFile(data);
    // open() applied the umask; the replacement keeps exactly the original's mode and, as root, its owner.
    await handle.chmod(mode);
    if (owner && process.getuid?.() === 0) await handle.chown(owner.uid, owner.gid);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    if (target && options.inPlace && RENAME_REFUSED.has(code(error))) {
      await writeInPlace(path, data, options.inPlace);
      return 'in-place';
    }
    throw error;
  }
  await syncFolder(dirname(path));
  return 'rename';
}

/**
 * Replace two files that belong together (a key and its certificate) so that no kill leaves one new and one old:
 * both are written to temp files first; then the second is removed, the first renamed, the second renamed. A kill
 * leaves the old pair, the new pair, or the first without the second (which the next run replaces), never a
 * mismatch.
 */
export async function writeFilePairAtomic(
  first: { file: string; data: Uint8Array; mode: number },
  second: { file: string; data: Uint8Array; mode: number },
  hooks: { afterStep?: (step: 'unlink' | 'first') => Promise<void> | void } = {},
): Promise<void> {
  const staged: { temp: string; path: string }[] = [];
  try {
    for (const part of [first, second]) {
      const target = await regularTarget(part.file);
      const path = target?.path ?? part.file;
      const temp = tempPath(path);
      staged.push({ temp, path });
      const handle = await open(temp, 'wx', part.mode);
      try {
        await handle.writeFile(part.data);
        await handle.chmod(part.mode);
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    await unlink(staged[1]!.path).catch((error: unknown) => {
      if (code(error) !== 'ENOENT') throw error;
    });
    await hooks.afterStep?.('unlink');
    await fsRename(staged[0]!.temp, staged[0]!.path);
    await hooks.afterStep?.('first');
    await fsRename(staged[1]!.temp, staged[1]!.path);
  } catch (error) {
    for (const { temp } of staged) await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncFolder(dirname(staged[1]!.path));
}

/** Delete temp files left next to `file` by writers that were killed before their rename. */
export async function removeStaleTemps(file: string): Promise<void> {
  const folder = dirname(file);
  const entries = await readdir(folder).catch(() => [] as string[]);
  for (const entry of entries) {
    const match = TEMP.exec(entry);
    if (!match || match[1] !== basename(file) || isProcessAlive(Number(match[2]))) continue;
    await unlink(join(folder, entry)).catch(() => undefined);
  }
}
