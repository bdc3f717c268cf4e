import { writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { watchFiles, type FileWatch } from './file-watch.js';
import { makeFolders } from './folders.js';

/**
 * A nudge between two terminals of the same learner, through one small file in the cluster's state folder:
 * `expose-labs hosts add`, `tls generate` or `verify` in one terminal writes it, and a session watching a step in
 * the other re-checks at once. A file rather than a socket or a signal: no process ids, no ports, no named pipes
 * (which differ on Windows), and a nudge nobody listens for costs one small write.
 */
export async function sendNudge(file: string): Promise<void> {
  try {
    // No folder yet means no session has ever watched from it: nobody to tell, and nothing is made.
    await writeFile(file, `${process.pid} ${Date.now()}\n`);
  } catch {
    // Best effort: the watching session still notices the change itself, a little later.
  }
}

/** Call `onNudge` whenever another process writes the nudge file (its folder is made if needed, so it can be watched). */
export async function watchNudges(file: string, onNudge: () => void): Promise<FileWatch> {
  await makeFolders(dirname(file)).catch(() => undefined);
  return watchFiles([file], () => onNudge());
}
