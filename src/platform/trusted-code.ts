import { lstat, readdir, realpath } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * What sudo runs as root must be code no other user can change: the node binary, the script and the whole package
 * (its own modules and node_modules), and every folder above them. A file or folder is safe when root owns it and
 * neither group nor others may write it; a folder others may write is safe only when sticky (/tmp), since there
 * nobody can replace root's entries.
 */

const WRITABLE_BY_OTHERS = 0o022;
const STICKY = 0o1000;

async function unsafe(path: string, isFolderAbove: boolean): Promise<boolean> {
  const info = await lstat(path);
  if (info.uid !== 0) return true;
  // A link's own mode bits mean nothing; only who owns it (who may replace it) does.
  if (info.isSymbolicLink()) return false;
  if ((info.mode & WRITABLE_BY_OTHERS) === 0) return false;
  return !(isFolderAbove && info.isDirectory() && (info.mode & STICKY) !== 0);
}

async function firstUnsafeAbove(path: string): Promise<string | undefined> {
  let dir = dirname(path);
  for (;;) {
    if (await unsafe(dir, true)) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

async function firstUnsafeWithin(root: string): Promise<string | undefined> {
  const pending = [root];
  while (pending.length) {
    const path = pending.pop()!;
    const info = await lstat(path);
    if (await unsafe(path, false)) return path;
    if (info.isDirectory()) for (const entry of await readdir(path)) pending.push(join(path, entry));
  }
  return undefined;
}

/** The first path among `files` and `trees` (and the folders above them) that a non-root user could change. */
export async function changeableByOthers(files: string[], trees: string[]): Promise<string | undefined> {
  for (const given of files) {
    const file = await realpath(given);
    const found = (await unsafe(file, false)) ? file : await firstUnsafeAbove(file);
    if (found) return found;
  }
  for (const given of trees) {
    const tree = await realpath(given);
    const found = (await firstUnsafeAbove(tree)) ?? (await firstUnsafeWithin(tree));
    if (found) return found;
  }
  return undefined;
}
