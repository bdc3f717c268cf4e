import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';

export interface FileWatch {
  /** Stop watching; a second call does nothing. */
  close(): void;
}

/**
 * Call `onChange` when any of `files` is written, created, replaced or removed. Each file's folder is watched, not
 * the file: an atomic write (write a copy, rename it over) replaces the file's inode, and a watch on the old inode
 * would go quiet after the first save. Works the same on Linux (inotify), macOS (FSEvents) and Windows
 * (ReadDirectoryChangesW). A folder that cannot be watched (missing, no permission, no inotify watches left) is
 * skipped: whoever asked keeps polling, only more slowly.
 */
export function watchFiles(files: readonly string[], onChange: (file: string) => void): FileWatch {
  const byFolder = new Map<string, Set<string>>();
  for (const file of files) {
    const full = resolve(file);
    const folder = dirname(full);
    const names = byFolder.get(folder) ?? new Set<string>();
    names.add(basename(full));
    byFolder.set(folder, names);
  }
  const watchers: FSWatcher[] = [];
  for (const [folder, names] of byFolder) {
    let watcher: FSWatcher;
    try {
      watcher = watch(folder, { persistent: false }, (_event, name) => {
        // Some platforms do not always say which file changed: then any change in the folder counts.
        const changed = name === null ? undefined : String(name);
        if (changed === undefined) for (const each of names) onChange(resolve(folder, each));
        else if (names.has(changed)) onChange(resolve(folder, changed));
      });
    } catch {
      continue;
    }
    watcher.on('error', () => watcher.close());
    watchers.push(watcher);
  }
  let closed = false;
  return {
    close() {
      if (closed) return;
      closed = true;
      for (const watcher of watchers) watcher.close();
    },
  };
}
