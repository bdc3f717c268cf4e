import { appendFile, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchFiles } from '../../src/platform/file-watch.js';
import { sendNudge, watchNudges } from '../../src/platform/nudge.js';

/**
 * Real files, because the operating system's change notification is the point. Nothing here times a window: each
 * test waits (up to the test timeout) for the event it needs, and proves an event that must not come did not by a
 * later one that must.
 */
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'expose-labs-fwatch-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Resolves at the first call of the returned callback whose argument satisfies `wanted`. */
function waiter<T>(wanted: (value: T) => boolean = () => true) {
  const seen: T[] = [];
  let resolve: () => void = () => {};
  const reached = new Promise<void>((r) => (resolve = r));
  return {
    seen,
    reached,
    on: (value: T) => {
      seen.push(value);
      if (wanted(value)) resolve();
    },
  };
}

describe('watchFiles', () => {
  it('hears an atomic replace (write a copy, rename it over), as hosts writers do, again after the first', async () => {
    const file = join(dir, 'hosts-a');
    await writeFile(file, '127.0.0.1 localhost\n');
    let current = waiter<string>((f) => f === file);
    // One watch for both rounds: a watch on the file's first inode would not hear the second replace.
    const watch = watchFiles([file], (f) => current.on(f));
    for (let round = 0; round < 2; round++) {
      current = waiter<string>((f) => f === file);
      await writeFile(`${file}.tmp`, `127.0.0.1 localhost\n127.0.0.1 basic.jordy.com # ${round}\n`);
      await rename(`${file}.tmp`, file);
      await current.reached;
    }
    watch.close();
  });

  it('hears a line appended in place (echo … | sudo tee -a), and nothing from another file of the folder', async () => {
    const file = join(dir, 'hosts-b');
    const other = join(dir, 'unrelated');
    await writeFile(file, '127.0.0.1 localhost\n');
    const w = waiter<string>((f) => f === file);
    const watch = watchFiles([file], w.on);
    await writeFile(other, 'noise\n');
    await appendFile(file, '127.0.0.1 basic.jordy.com\n');
    await w.reached;
    watch.close();
    expect(w.seen.filter((f) => f !== file)).toEqual([]);
  });

  it('is quiet once closed', async () => {
    const file = join(dir, 'hosts-c');
    await writeFile(file, 'a\n');
    const closed = waiter<string>();
    watchFiles([file], closed.on).close();
    const sentinel = waiter<string>((f) => f === file);
    const still = watchFiles([file], sentinel.on);
    await appendFile(file, 'b\n');
    await sentinel.reached;
    still.close();
    expect(closed.seen).toEqual([]);
  });

  it('a folder that does not exist is skipped, not an error', () => {
    const watch = watchFiles([join(dir, 'missing', 'hosts')], () => {});
    watch.close();
    watch.close();
  });
});

describe('nudges between terminals', () => {
  it('a nudge written by another command reaches the watching session', async () => {
    const file = join(dir, 'state', 'expose-labs', 'nudge');
    const w = waiter<void>();
    const watch = await watchNudges(file, () => w.on());
    await sendNudge(file);
    await w.reached;
    watch.close();
  });

  it('with no session ever watching (no state folder), a nudge makes nothing', async () => {
    const file = join(dir, 'nobody', 'expose-labs', 'nudge');
    await sendNudge(file);
    expect(existsSync(join(dir, 'nobody'))).toBe(false);
  });
});
