import { access, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * `mkdir -p`. Node 20's recursive mkdir loops forever on some errors (`/proc/1/x` never returns): the folders are
 * made one level at a time instead, so every failure is an error with a code. `mode` is for the folders made here.
 */
export async function makeFolders(dir: string, mode?: number): Promise<void> {
  const missing: string[] = [];
  for (let at = dir; ; at = dirname(at)) {
    const exists = await access(at).then(
      () => true,
      () => false,
    );
    if (exists || dirname(at) === at) break;
    missing.unshift(at);
  }
  for (const folder of missing) {
    await mkdir(folder, { mode }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
}
