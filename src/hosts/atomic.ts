import { randomBytes } from 'node:crypto';
import { open, readdir, rename as fsRename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isProcessAlive } from './lock.js';

/**
 * Replace a file so that a reader, or a crash, sees either the old bytes or the new ones: write a temp file in the
 * same folder, fsync it, rename it over the original. Where rename cannot replace the file (a bind-mounted
 * /etc/hosts in a container answers EBUSY; EXDEV/EPERM on some mounts and Windows), or the folder is not writable
 * but the file is, the bytes are written in place instead: not atomic, but the only way there.
 */

export type RenameFn = (from: string, to: string) => Promise<void>;
export type WriteMethod = 'rename' | 'in-place';

const RENAME_REFUSED = new Set(['EBUSY', 'EXDEV', 'EPERM']);
const FOLDER_READ_ONLY = new Set(['EACCES', 'EPERM', 'EROFS']);

const TEMP = /^\.(.+)\.expose-labs-(\d+)-[0-9a-f]+\.tmp$/;

function tempPath(file: string): string {
  return join(dirname(file), `.${basename(file)}.expose-labs-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

const code = (error: unknown) => (error as NodeJS.ErrnoException).code ?? '';

async function fileStat(file: string) {
  try {
    return await stat(file);
  } catch (error) {
    if (code(error) === 'ENOENT') return undefined;
    throw error;
  }
}

async function writeInPlace(file: string, data: Uint8Array): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    await handle.write(data, 0, data.length, 0);
    await handle.truncate(data.length);
    await handle.sync();
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

export interface AtomicWriteOptions {
  /** Injected in tests to stand in for a bind mount. */
  rename?: RenameFn;
  /** Mode for a file that does not exist yet. */
  mode?: number;
}

/** Write `data` to `file` atomically where the system allows it; says which way it went. */
export async function writeFileAtomic(
  file: string,
  data: Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<WriteMethod> {
  const rename = options.rename ?? fsRename;
  const current = await fileStat(file);
  const mode = current ? current.mode & 0o7777 : (options.mode ?? 0o644);
  const temp = tempPath(file);
  let handle;
  try {
    handle = await open(temp, 'wx', mode);
  } catch (error) {
    if (current && FOLDER_READ_ONLY.has(code(error))) {
      await writeInPlace(file, data);
      return 'in-place';
    }
    throw error;
  }
  try {
    await handle.writeFile(data);
    // open() applied the umask; the replacement keeps exactly the original's mode and, as root, its owner.
    await handle.chmod(mode);
    if (current && process.getuid?.() === 0) await handle.chown(current.uid, current.gid);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    if (current && RENAME_REFUSED.has(code(error))) {
      await writeInPlace(file, data);
      return 'in-place';
    }
    throw error;
  }
  await syncFolder(dirname(file));
  return 'rename';
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
