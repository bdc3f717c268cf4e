import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmod, lstat, mkdir, readFile, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import type { RenameFn } from '../../src/platform/atomic-file.js';
import { outsideBlock, withoutPad } from '../../src/hosts/block.js';
import { backupPath } from '../../src/hosts/commit.js';
import { addHosts, readHostsBlock, removeHosts, type HostsSystem } from '../../src/hosts/hosts-file.js';
import { withFileLock } from '../../src/hosts/lock.js';
import {
  noExec,
  pickAddress,
  pickNames,
  randomHostsText,
  removeTree,
  seeded,
  tempDir,
  transpileForChild,
  userSystem,
} from './support.js';

/**
 * What a hostile or unlucky machine does to the hosts file: special files in its place, kills between the writes
 * of the in-place path (a bind-mounted /etc/hosts), a BOM before a marker, a tool-made file, earlier lines that win.
 * Generated files are bounded per run; `EXPOSE_LABS_PROPERTY_RUNS=<n>` multiplies the cases for a longer run.
 */

const RUNS = Math.max(1, Number(process.env.EXPOSE_LABS_PROPERTY_RUNS ?? 1) || 1);

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => removeTree(dir));

const options = (file: string) => ({ file, exec: noExec, argv0: [], interactive: false });
const busy: RenameFn = async () => {
  throw Object.assign(new Error('EBUSY: resource busy'), { code: 'EBUSY' });
};
class Killed extends Error {}

async function fileWith(name: string, bytes: Buffer | string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, bytes);
  return file;
}

describe('special files in place of the hosts file', () => {
  it('writes through a symlink to a regular file (NixOS) and keeps the link', async () => {
    await mkdir(join(dir, 'etc-static'), { recursive: true });
    const target = await fileWith('etc-static/hosts', '127.0.0.1 localhost\n');
    const link = join(dir, 'linked-hosts');
    await symlink(target, link);
    await addHosts({ ...options(link), address: '127.0.0.1', names: ['niniz.com'] }, userSystem());
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe(target);
    expect(await readHostsBlock(target)).toEqual([{ address: '127.0.0.1', names: ['niniz.com'] }]);
    await removeHosts(options(link), userSystem());
    expect(await readFile(target, 'utf8')).toBe('127.0.0.1 localhost\n');
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
  });

  it('refuses /dev/null itself, saying why, and leaves it a device', async () => {
    const started = Date.now();
    const error = (await addHosts(
      { ...options('/dev/null'), address: '127.0.0.1', names: ['niniz.com'] },
      userSystem(),
    ).catch((e: unknown) => e)) as UserError;
    expect(error).toBeInstanceOf(UserError);
    expect(error.text).toMatchObject({ en: expect.stringContaining('/dev/null is a device') });
    expect(JSON.stringify(error.hint)).toContain('--no-hosts');
    expect((await stat('/dev/null')).isCharacterDevice()).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('refuses a device node made in a temp folder (where mknod is allowed)', async (context) => {
    const node = join(dir, 'null-device');
    if (spawnSync('mknod', [node, 'c', '1', '3']).status !== 0) context.skip();
    await expect(addHosts({ ...options(node), address: '127.0.0.1', names: ['a.test'] }, userSystem())).rejects.toThrow(
      /is a device/,
    );
    expect((await lstat(node)).isCharacterDevice()).toBe(true);
  });

  it('refuses a FIFO at once, for add, remove and show, instead of hanging', async () => {
    const fifo = join(dir, 'fifo-hosts');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const started = Date.now();
    await expect(addHosts({ ...options(fifo), address: '127.0.0.1', names: ['a.test'] }, userSystem())).rejects.toThrow(
      /FIFO/,
    );
    await expect(removeHosts(options(fifo), userSystem())).rejects.toThrow(/FIFO/);
    await expect(readHostsBlock(fifo)).rejects.toThrow(/FIFO/);
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await lstat(fifo)).isFIFO()).toBe(true);
  });

  it('refuses a link to a FIFO, a folder and a dangling link', async () => {
    const fifo = join(dir, 'fifo-2');
    spawnSync('mkfifo', [fifo]);
    const toFifo = join(dir, 'link-to-fifo');
    await symlink(fifo, toFifo);
    const dangling = join(dir, 'dangling');
    await symlink(join(dir, 'nothing-here'), dangling);
    await mkdir(join(dir, 'a-folder'));
    for (const [file, said] of [
      [toFifo, /FIFO/],
      [dangling, /link to a missing file/],
      [join(dir, 'a-folder'), /is a folder/],
    ] as const) {
      await expect(
        addHosts({ ...options(file), address: '127.0.0.1', names: ['a.test'] }, userSystem()),
        file,
      ).rejects.toThrow(said);
    }
  });

  it('names the path given, not a temp file, when the folder does not exist', async () => {
    const file = join(dir, 'no-folder', 'hosts');
    const error = (await addHosts({ ...options(file), address: '127.0.0.1', names: ['a.test'] }, userSystem()).catch(
      (e: unknown) => e,
    )) as UserError;
    expect(error).toBeInstanceOf(UserError);
    expect(error.text).toMatchObject({ en: `Cannot write ${file}: its folder does not exist` });
  });
});

describe('the in-place path with a kill between its writes', () => {
  /**
   * For generated files: add, add one more name, remove one name, remove the block, each written in place (rename
   * answers EBUSY) and "killed" after its first write or after its truncate. Whatever is left, the bytes outside
   * the block are the original's, the block reads, and the next edit ends in the exact expected file.
   */
  it(`property: ${60 * RUNS} generated files, a kill after each in-place write, 0 bytes changed outside the block`, async () => {
    let kills = 0;
    let padded = 0;
    for (let seed = 1; seed <= 60 * RUNS; seed++) {
      const rand = seeded(seed * 104_729);
      const original = randomHostsText(rand);
      const names = pickNames(rand);
      const address = pickAddress(rand);
      const file = await fileWith(`inplace-${seed}`, Buffer.from(original, 'latin1'));
      const context = `seed ${seed * 104_729}`;
      const edits: ((s: HostsSystem) => Promise<unknown>)[] = [
        (s) => addHosts({ ...options(file), address, names }, s),
        (s) => addHosts({ ...options(file), address, names: ['extra.niniz.com'] }, s),
        (s) => removeHosts({ ...options(file), names: ['extra.niniz.com'] }, s),
        (s) => removeHosts(options(file), s),
      ];
      for (const edit of edits) {
        const step = rand() < 0.5 ? 'write' : 'truncate';
        const killing = userSystem({
          rename: busy,
          afterInPlaceStep: (at) => {
            if (at === step) throw new Killed();
          },
        });
        const outcome = await edit(killing).catch((e: unknown) => e);
        if (outcome instanceof Killed) kills += 1;
        const left = (await readFile(file)).toString('latin1');
        if (withoutPad(left).padded) padded += 1;
        expect(outsideBlock(withoutPad(left).text, file), context).toBe(outsideBlock(original, file));
        await readHostsBlock(file);
        // The same edit again, not killed, completes it (and strips a pad a kill left).
        await edit(userSystem({ rename: busy }));
      }
      expect((await readFile(file)).toString('latin1'), context).toBe(original);
    }
    expect(kills).toBe(60 * RUNS * 4);
    expect(padded).toBeGreaterThan(0);
    if (RUNS > 1) console.info(`in-place kills: ${60 * RUNS} files, ${kills} kills, ${padded} padded, 0 bytes changed`);
  }, 120_000);

  it('a real SIGKILL between the write and the truncate leaves a file the next remove restores exactly', async () => {
    const build = await transpileForChild(['src/hosts/hosts-file.ts']);
    await writeFile(
      join(build, 'kill.mjs'),
      `
import { addHosts, removeHosts } from './src/hosts/hosts-file.js';
const [file, action, step] = process.argv.slice(2);
const system = {
  facts: { platform: 'linux', isRoot: false, isWsl: false, selinux: false, hasCommand: () => false },
  systemHostsFile: '/nonexistent', canWrite: async () => true,
  rename: async () => { throw Object.assign(new Error('EBUSY'), { code: 'EBUSY' }); },
  afterInPlaceStep: (at) => { if (at === step) process.kill(process.pid, 'SIGKILL'); },
};
const o = { file, exec: async () => { throw new Error('no process'); }, argv0: [], interactive: false };
if (action === 'add') await addHosts({ ...o, address: '127.0.0.1', names: ['niniz.com', 'jordy.niniz.com'] }, system);
else await removeHosts({ ...o, names: action === 'one' ? ['jordy.niniz.com'] : undefined }, system);
`,
    );
    try {
      const original = '127.0.0.1 localhost\n::1 localhost\n# keep me\n';
      let kills = 0;
      for (const action of ['add', 'one', 'all']) {
        for (const step of ['write', 'truncate']) {
          const file = await fileWith(`sigkill-${action}-${step}`, original);
          const quiet = userSystem({ rename: busy });
          if (action !== 'add')
            await addHosts({ ...options(file), address: '127.0.0.1', names: ['niniz.com', 'jordy.niniz.com'] }, quiet);
          const child = spawn(process.execPath, [join(build, 'kill.mjs'), file, action, step], { stdio: 'ignore' });
          const [, signal] = await once(child, 'exit');
          expect(signal).toBe('SIGKILL');
          kills += 1;
          const left = await readFile(file, 'latin1');
          expect(outsideBlock(withoutPad(left).text, file)).toBe(original);
          await removeHosts(options(file), quiet);
          expect(await readFile(file, 'latin1')).toBe(original);
        }
      }
      expect(kills).toBe(6);
    } finally {
      await removeTree(build);
    }
  }, 60_000);
});

describe('the block, the backup and the tool-made file', () => {
  it('finds a block on line 1 behind a BOM, and keeps the BOM when the block goes', async () => {
    const bom = '\xef\xbb\xbf';
    const withBlock = `${bom}# >>> expose-labs >>> added by expose-labs; \`expose-labs hosts remove\` takes it out\n127.0.0.1 niniz.com\n# <<< expose-labs <<<\n127.0.0.1 localhost\n`;
    const file = await fileWith('bom-hosts', Buffer.from(withBlock, 'latin1'));
    expect(await readHostsBlock(file)).toEqual([{ address: '127.0.0.1', names: ['niniz.com'] }]);
    await addHosts({ ...options(file), address: '127.0.0.1', names: ['jordy.niniz.com'] }, userSystem());
    expect((await readFile(file, 'latin1')).match(/>>> expose-labs >>>/g)).toHaveLength(1);
    await removeHosts(options(file), userSystem());
    expect(await readFile(file, 'latin1')).toBe(`${bom}127.0.0.1 localhost\n`);
  });

  it('writes the backup with the original’s mode, only after a successful edit, and removes it with the block', async () => {
    const file = await fileWith('private-hosts', '127.0.0.1 localhost\n');
    await chmod(file, 0o600);
    await addHosts({ ...options(file), address: '127.0.0.1', names: ['niniz.com'] }, userSystem());
    expect((await stat(backupPath(file))).mode & 0o777).toBe(0o600);
    await removeHosts(options(file), userSystem());
    await expect(stat(backupPath(file))).rejects.toThrow(/ENOENT/);

    const failing = await fileWith('failing-hosts', '127.0.0.1 localhost\n');
    const refused: RenameFn = async () => {
      throw Object.assign(new Error('EIO'), { code: 'EIO' });
    };
    await expect(
      addHosts({ ...options(failing), address: '127.0.0.1', names: ['niniz.com'] }, userSystem({ rename: refused })),
    ).rejects.toThrow(UserError);
    await expect(stat(backupPath(failing))).rejects.toThrow(/ENOENT/);
  });

  it('removing the last entry of a file the tool created removes the file', async () => {
    const file = join(dir, 'made-by-tool');
    await addHosts({ ...options(file), address: '127.0.0.1', names: ['niniz.com'] }, userSystem());
    expect(await readFile(file, 'utf8')).toContain('created this file');
    await removeHosts(options(file), userSystem());
    await expect(stat(file)).rejects.toThrow(/ENOENT/);
    // A file the learner had, even empty, stays.
    const empty = await fileWith('empty-hosts', '');
    await addHosts({ ...options(empty), address: '127.0.0.1', names: ['niniz.com'] }, userSystem());
    await removeHosts(options(empty), userSystem());
    expect(await readFile(empty, 'utf8')).toBe('');
  });

  it('warns with the line number when an earlier line maps the name elsewhere', async () => {
    const file = await fileWith('shadowed', '127.0.0.1 localhost\n# office\n10.1.2.3 niniz.com www.niniz.com\n');
    const result = await addHosts({ ...options(file), address: '127.0.0.1', names: ['niniz.com'] }, userSystem());
    expect(result.warnings).toContainEqual(
      expect.objectContaining({ en: expect.stringContaining(`Line 3 of ${file} already maps niniz.com to 10.1.2.3`) }),
    );
    const same = await fileWith('same-address', '127.0.0.1 localhost niniz.com\n');
    const quiet = await addHosts({ ...options(same), address: '127.0.0.1', names: ['niniz.com'] }, userSystem());
    expect(quiet.warnings).toEqual([]);
  });
});

describe('the lock', () => {
  it('says who holds it after a second of waiting, and cleans token files of killed runs', async () => {
    const lock = join(dir, 'waited.lock');
    const dead = `${lock}.999999-0123456789abcdef`;
    await writeFile(dead, '999999 0123456789abcdef\n');
    const said: string[] = [];
    let release!: () => void;
    const held = withFileLock(lock, () => new Promise<void>((r) => (release = r)));
    await new Promise((r) => setTimeout(r, 50));
    const waiting = withFileLock(lock, async () => 'got it', {
      onWait: (m) => said.push(typeof m === 'string' ? m : m.en),
    });
    await new Promise((r) => setTimeout(r, 1400));
    expect(said).toEqual([expect.stringContaining(`Waiting for another expose-labs run (pid ${process.pid})`)]);
    release();
    await held;
    expect(await waiting).toBe('got it');
    await expect(stat(dead)).rejects.toThrow(/ENOENT/);
  });
});
