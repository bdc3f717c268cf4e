import { readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { removeStaleTemps, writeFileAtomic, type RenameFn } from '../../src/platform/atomic-file.js';
import { withFileLock } from '../../src/hosts/lock.js';
import { padding } from '../../src/hosts/block.js';
import { addHosts, readHostsBlock } from '../../src/hosts/hosts-file.js';
import { noExec, removeTree, tempDir, userSystem } from './support.js';

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => removeTree(dir));

const refusing =
  (code: string): RenameFn =>
  async () => {
    throw Object.assign(new Error(`${code}: rename refused`), { code });
  };

const leftovers = async () => (await readdir(dir)).filter((f) => f.endsWith('.tmp'));

describe('atomic writes', () => {
  it('replaces the file through a rename: a new inode, same mode', async () => {
    const file = join(dir, 'renamed');
    await writeFile(file, 'old', { mode: 0o604 });
    const before = await stat(file);
    expect(await writeFileAtomic(file, Buffer.from('new content'))).toBe('rename');
    const after = await stat(file);
    expect(await readFile(file, 'utf8')).toBe('new content');
    expect(after.ino).not.toBe(before.ino);
    expect(after.mode & 0o777).toBe(0o604);
    expect(await leftovers()).toEqual([]);
  });

  it.each(['EBUSY', 'EXDEV', 'EPERM'])(
    'writes in place when rename fails with %s (a bind-mounted hosts file)',
    async (code) => {
      const file = join(dir, `bind-${code}`);
      await writeFile(file, 'a much longer old content that must be truncated away');
      const before = await stat(file);
      const inPlace = { pad: padding };
      expect(await writeFileAtomic(file, Buffer.from('short'), { rename: refusing(code), inPlace })).toBe('in-place');
      expect(await readFile(file, 'utf8')).toBe('short');
      expect((await stat(file)).ino).toBe(before.ino);
      expect(await leftovers()).toEqual([]);
    },
  );

  it('does not write in place for other rename errors: the original stays, the temp file goes', async () => {
    const file = join(dir, 'eio');
    await writeFile(file, 'original');
    await expect(writeFileAtomic(file, Buffer.from('new'), { rename: refusing('EIO') })).rejects.toThrow(/EIO/);
    expect(await readFile(file, 'utf8')).toBe('original');
    expect(await leftovers()).toEqual([]);
  });

  it('addHosts falls back to an in-place write under EBUSY and still gives a correct file', async () => {
    const file = join(dir, 'hosts-ebusy');
    await writeFile(file, '127.0.0.1 localhost\r\n');
    const system = userSystem({ rename: refusing('EBUSY') });
    await addHosts(
      { file, exec: noExec, argv0: [], interactive: false, address: '127.0.0.1', names: ['niniz.com'] },
      system,
    );
    expect(await readHostsBlock(file)).toEqual([{ address: '127.0.0.1', names: ['niniz.com'] }]);
    expect((await readFile(file, 'latin1')).startsWith('127.0.0.1 localhost\r\n# >>> expose-labs >>>')).toBe(true);
  });

  it('removes temp files of writers that died, not those of live ones', async () => {
    const file = join(dir, 'hosts');
    await writeFile(file, '');
    const dead = join(dir, '.hosts.expose-labs-2147483646-0a0b0c0d.tmp');
    const live = join(dir, `.hosts.expose-labs-${process.pid}-0a0b0c0d.tmp`);
    const other = join(dir, '.other.expose-labs-2147483646-0a0b0c0d.tmp');
    await Promise.all([dead, live, other].map((f) => writeFile(f, 'x')));
    await removeStaleTemps(file);
    const names = await readdir(dir);
    expect(names).not.toContain('.hosts.expose-labs-2147483646-0a0b0c0d.tmp');
    expect(names).toContain(`.hosts.expose-labs-${process.pid}-0a0b0c0d.tmp`);
    expect(names).toContain('.other.expose-labs-2147483646-0a0b0c0d.tmp');
    await removeTree(live);
    await removeTree(other);
  });
});

describe('lock file', () => {
  it('serialises holders in one process and is released when the holder throws', async () => {
    const lock = join(dir, 'serial.lock');
    let inside = 0;
    let most = 0;
    const hold = () =>
      withFileLock(lock, async () => {
        inside += 1;
        most = Math.max(most, inside);
        await new Promise((r) => setTimeout(r, 5));
        inside -= 1;
      });
    await Promise.all([hold(), hold(), hold(), hold()]);
    expect(most).toBe(1);
    await expect(withFileLock(lock, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(stat(lock)).rejects.toThrow();
  });

  it('takes over a lock whose process is gone, and an empty lock (no run of ours writes one)', async () => {
    const lock = join(dir, 'stale.lock');
    await writeFile(lock, '2147483646 deadbeef\n');
    expect(await withFileLock(lock, async () => 'ran', { timeoutMs: 1000 })).toBe('ran');
    await writeFile(lock, '');
    const old = new Date(Date.now() - 60_000);
    await utimes(lock, old, old);
    expect(await withFileLock(lock, async () => 'ran', { timeoutMs: 1000 })).toBe('ran');
    await writeFile(lock, '');
    expect(await withFileLock(lock, async () => 'ran', { timeoutMs: 100 })).toBe('ran');
    expect((await readdir(dir)).filter((f) => f.startsWith('stale.lock'))).toEqual([]);
  });

  it('waits for a live holder, then gives up with a message naming the lock file', async () => {
    const lock = join(dir, 'live.lock');
    await writeFile(lock, `${process.pid} someone-else\n`);
    const error = (await withFileLock(lock, async () => 'ran', { timeoutMs: 200 }).catch(
      (e: unknown) => e,
    )) as UserError;
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toContain(`pid ${process.pid}`);
    expect(JSON.stringify(error.hint)).toContain(lock);
    expect(await readFile(lock, 'utf8')).toBe(`${process.pid} someone-else\n`);
  });

  it('treats a very old lock as stale even when its pid is alive again (pid reuse)', async () => {
    const lock = join(dir, 'reused.lock');
    await writeFile(lock, `${process.pid} long-ago\n`);
    const old = new Date(Date.now() - 10 * 60_000);
    await utimes(lock, old, old);
    expect(await withFileLock(lock, async () => 'ran', { timeoutMs: 500 })).toBe('ran');
  });
});
