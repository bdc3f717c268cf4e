import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { BEGIN_MARKER, END_MARKER, HostsBlockError } from '../../src/hosts/block.js';
import { backupPath } from '../../src/hosts/commit.js';
import { addHosts, readHostsBlock, removeHosts, type HostsEditOptions } from '../../src/hosts/hosts-file.js';
import { noExec, pickAddress, pickNames, randomHostsText, removeTree, seeded, tempDir, userSystem } from './support.js';

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => removeTree(dir));

const options = (file: string): HostsEditOptions => ({
  file,
  exec: noExec,
  argv0: ['node', 'cli.js'],
  interactive: false,
});

async function fileWith(name: string, bytes: Buffer | string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, bytes);
  return file;
}

describe('hosts file edits', () => {
  it('property: over 150 generated files, add → add again → remove gives the original bytes back, with a backup of them while the block lasts', async () => {
    const system = userSystem();
    for (let seed = 1; seed <= 150; seed++) {
      const rand = seeded(seed * 7919);
      const original = Buffer.from(randomHostsText(rand), 'latin1');
      const file = await fileWith(`hosts-${seed}`, original);
      const names = pickNames(rand);
      const address = pickAddress(rand);
      const context = `seed ${seed * 7919}`;

      const first = await addHosts({ ...options(file), address, names }, system);
      expect(first.changed, context).toBe(true);
      const afterAdd = await readFile(file);
      expect((await readFile(backupPath(file))).equals(original), context).toBe(true);
      expect(afterAdd.subarray(0, original.length).equals(original), context).toBe(true);
      expect(await readHostsBlock(file), context).toEqual(names.map((n) => ({ address, names: [n] })));

      const second = await addHosts({ ...options(file), address, names }, system);
      expect(second.changed, context).toBe(false);
      expect((await readFile(file)).equals(afterAdd), context).toBe(true);

      const removed = await removeHosts(rand() < 0.5 ? options(file) : { ...options(file), names }, system);
      expect(removed.changed, context).toBe(true);
      expect((await readFile(file)).equals(original), context).toBe(true);
      await expect(stat(backupPath(file)), context).rejects.toThrow(/ENOENT/);
    }
    // No lock or temp file is left behind.
    expect((await readdir(dir)).filter((f) => /\.lock$|\.tmp$/.test(f))).toEqual([]);
  });

  it('keeps the file mode, normalises names to lower case, and creates a missing file', async () => {
    const file = await fileWith('mode', '127.0.0.1 localhost\n');
    const { chmod } = await import('node:fs/promises');
    await chmod(file, 0o640);
    await addHosts({ ...options(file), address: '127.0.0.1', names: ['Niniz.COM'] }, userSystem());
    expect((await stat(file)).mode & 0o777).toBe(0o640);
    expect(await readHostsBlock(file)).toEqual([{ address: '127.0.0.1', names: ['niniz.com'] }]);

    const missing = join(dir, 'created-hosts');
    await addHosts({ ...options(missing), address: '::1', names: ['niniz.com'] }, userSystem());
    expect(await readHostsBlock(missing)).toEqual([{ address: '::1', names: ['niniz.com'] }]);
    expect(await readHostsBlock(join(dir, 'no-such-file'))).toEqual([]);
  });

  it('removing names that are not there, or a block that is not there, changes nothing', async () => {
    const file = await fileWith('nothing', '127.0.0.1 localhost');
    expect((await removeHosts(options(file), userSystem())).changed).toBe(false);
    expect((await removeHosts({ ...options(file), names: ['niniz.com'] }, userSystem())).changed).toBe(false);
    expect(await readFile(file, 'latin1')).toBe('127.0.0.1 localhost');
  });

  it.each([
    ['an unbalanced begin marker', `127.0.0.1 localhost\n${BEGIN_MARKER}\n127.0.0.1 niniz.com\n`],
    ['an end marker alone', `127.0.0.1 localhost\n${END_MARKER}\n`],
    ['a duplicated block', `${BEGIN_MARKER}\n127.0.0.1 a.test\n${END_MARKER}\n${BEGIN_MARKER}\n${END_MARKER}\n`],
  ])('refuses a file with %s and leaves it untouched', async (name, content) => {
    const file = await fileWith(`broken-${name.replace(/\W+/g, '-')}`, content);
    const before = await stat(file);
    await expect(
      addHosts({ ...options(file), address: '127.0.0.1', names: ['niniz.com'] }, userSystem()),
    ).rejects.toThrow(HostsBlockError);
    await expect(removeHosts(options(file), userSystem())).rejects.toThrow(HostsBlockError);
    await expect(readHostsBlock(file)).rejects.toThrow(HostsBlockError);
    expect(await readFile(file, 'latin1')).toBe(content);
    expect((await stat(file)).mtimeMs).toBe(before.mtimeMs);
    await expect(stat(backupPath(file))).rejects.toThrow();
  });

  const badNames = [
    'niniz.com\n127.0.0.1 evil.test',
    'two words',
    'niniz.com#x',
    '',
    '-lead.test',
    'a..b',
    `${'x'.repeat(64)}.test`,
    'localhost',
    '10.0.0.1',
    'under_score.test',
  ];
  it.each(badNames)('refuses the name %j with a message in both languages, file untouched', async (bad) => {
    const file = await fileWith('bad-name', '127.0.0.1 localhost\n');
    const attempt = addHosts({ ...options(file), address: '127.0.0.1', names: ['ok.test', bad] }, userSystem());
    const error = (await attempt.catch((e: unknown) => e)) as UserError;
    expect(error).toBeInstanceOf(UserError);
    expect(error.text).toMatchObject({ ko: expect.any(String), en: expect.any(String) });
    expect(await readFile(file, 'latin1')).toBe('127.0.0.1 localhost\n');
  });

  it.each(['127.0.0.1\n10.0.0.1 evil.test', '999.0.0.1', 'localhost', '', '127.0.0.1 ', '::1#x'])(
    'refuses the address %j, file untouched',
    async (bad) => {
      const file = await fileWith('bad-address', '127.0.0.1 localhost\n');
      await expect(addHosts({ ...options(file), address: bad, names: ['niniz.com'] }, userSystem())).rejects.toThrow(
        UserError,
      );
      expect(await readFile(file, 'latin1')).toBe('127.0.0.1 localhost\n');
    },
  );

  it('refuses a UTF-16 hosts file rather than corrupt it', async () => {
    const content = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('127.0.0.1 localhost\r\n', 'utf16le')]);
    const file = await fileWith('utf16', content);
    await expect(
      addHosts({ ...options(file), address: '127.0.0.1', names: ['niniz.com'] }, userSystem()),
    ).rejects.toThrow(/UTF-16/);
    expect((await readFile(file)).equals(content)).toBe(true);
  });

  it('keeps the first backup while the block exists, and refreshes it from a clean file', async () => {
    const file = await fileWith('backup', 'v1\n');
    await addHosts({ ...options(file), address: '127.0.0.1', names: ['a.test'] }, userSystem());
    await addHosts({ ...options(file), address: '127.0.0.1', names: ['b.test'] }, userSystem());
    expect(await readFile(backupPath(file), 'latin1')).toBe('v1\n');
    await removeHosts(options(file), userSystem());
    await writeFile(file, 'v2\n');
    await addHosts({ ...options(file), address: '127.0.0.1', names: ['a.test'] }, userSystem());
    expect(await readFile(backupPath(file), 'latin1')).toBe('v2\n');
  });
});
