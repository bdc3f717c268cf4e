import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToBlock } from '../../src/hosts/block.js';
import { HELPER_CONFIG } from '../../src/hosts/helper-rules.js';
import { ROOT } from './support.js';

/**
 * The root helper through a real `sudo`, where the suite runs as root with sudo installed (CI installs it): a test
 * user is made, allowed by a sudoers rule of README's shape to run exactly `node <install>/dist/src/bin.js
 * hosts-write *`, and removed after. The install is a root-owned copy of the built tool naming its hosts file in
 * hosts-write.json. It proves what the helper can and cannot do for a user who can run it.
 */

const SUDO = spawnSync('sudo', ['-V']).status === 0;
const BUILT = existsSync(join(ROOT, 'dist', 'src', 'bin.js'));
const canRun = process.getuid?.() === 0 && SUDO && BUILT;
const why = !SUDO ? 'sudo is not installed' : !BUILT ? 'the tool is not built (npm run build)' : 'not root';

const USER = `exl-sudo-${process.pid}`;
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

let base: string;
let install: string;
let userInstall: string;
let hostsFile: string;
let sudoers: string;
let uid: number;
let gid: number;

async function installCopy(dir: string): Promise<void> {
  await mkdir(dir);
  await cp(join(ROOT, 'package.json'), join(dir, 'package.json'));
  await cp(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
  await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
}

function asUser(args: string[], input = ''): { code: number | null; out: string } {
  const result = spawnSync(process.execPath, args, {
    uid,
    gid,
    input,
    cwd: base,
    env: { PATH: process.env.PATH, HOME: join(base, 'home'), EXPOSE_LABS_HOME: join(base, 'home'), LANG: 'C' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

const helper = (script: string, file: string, sha: string, content: string) =>
  asUser(['-e', sudoScript(), script, file, sha], content);

/** `sudo -n node <script> hosts-write …` as the user, content on stdin, as the tool itself calls it. */
function sudoScript(): string {
  return `const { spawnSync } = require('node:child_process');
const [script, file, sha] = process.argv.slice(1);
const r = spawnSync('sudo', ['-n', process.execPath, script, 'hosts-write', '--file', file, '--expect-sha256', sha],
  { input: require('node:fs').readFileSync(0), encoding: 'utf8' });
process.stdout.write(r.stdout + r.stderr); process.exit(r.status ?? 99);`;
}

describe.skipIf(!canRun)(`the root helper through a real sudo${canRun ? '' : ` (skipped: ${why})`}`, () => {
  beforeAll(async () => {
    base = await mkdtemp('/tmp/expose-labs-sudo-');
    await chmod(base, 0o755);
    execFileSync('useradd', ['--no-create-home', '--shell', '/usr/sbin/nologin', USER]);
    uid = Number(execFileSync('id', ['-u', USER], { encoding: 'utf8' }));
    gid = Number(execFileSync('id', ['-g', USER], { encoding: 'utf8' }));
    await mkdir(join(base, 'home'));
    await chown(join(base, 'home'), uid, gid);
    install = join(base, 'install');
    await installCopy(install);
    userInstall = join(base, 'user-install');
    await installCopy(userInstall);
    execFileSync('chown', ['-R', '-h', `${uid}:${gid}`, join(userInstall, 'dist')]);
    await mkdir(join(base, 'etc'));
    hostsFile = join(base, 'etc', 'hosts');
    await writeFile(hostsFile, '127.0.0.1 localhost\n::1 localhost\n', { mode: 0o644 });
    for (const dir of [install, userInstall])
      await writeFile(join(dir, HELPER_CONFIG), JSON.stringify({ hostsFile }) + '\n');
    sudoers = `/etc/sudoers.d/expose-labs-test-${process.pid}`;
    const rule = (dir: string) =>
      `${USER} ALL=(root) NOPASSWD: ${process.execPath} ${join(dir, 'dist', 'src', 'bin.js')} hosts-write *`;
    await writeFile(sudoers, `${rule(install)}\n${rule(userInstall)}\n`, { mode: 0o440 });
    execFileSync('visudo', ['-cf', sudoers]);
  }, 60_000);

  afterAll(async () => {
    if (sudoers) await rm(sudoers, { force: true });
    spawnSync('userdel', [USER]);
    if (base) await rm(base, { recursive: true, force: true });
  });

  it('hosts add and hosts remove by the user go through sudo and change only the block', async () => {
    const bin = join(install, 'dist', 'src', 'bin.js');
    const original = await readFile(hostsFile, 'latin1');
    const added = asUser([bin, 'hosts', 'add', 'niniz.com', '--hosts-file', hostsFile, '--lang', 'en']);
    expect(added.out).toContain('Added to');
    expect(added.code).toBe(0);
    expect(await readFile(hostsFile, 'latin1')).toBe(addToBlock(original, hostsFile, '127.0.0.1', ['niniz.com'], '\n'));
    const removed = asUser([bin, 'hosts', 'remove', '--hosts-file', hostsFile]);
    expect(removed.code).toBe(0);
    expect(await readFile(hostsFile, 'latin1')).toBe(original);
  });

  it('five concurrent hosts add through sudo all succeed, one block holding every name', async () => {
    const bin = join(install, 'dist', 'src', 'bin.js');
    const original = await readFile(hostsFile, 'latin1');
    const names = ['a', 'b', 'c', 'd', 'e'].map((n) => `${n}.niniz.com`);
    const codes = await Promise.all(
      names.map(
        (name) =>
          new Promise<number | null>((resolve) => {
            const child = spawn(process.execPath, [bin, 'hosts', 'add', name, '--hosts-file', hostsFile], {
              uid,
              gid,
              cwd: base,
              stdio: 'ignore',
              env: { PATH: process.env.PATH, HOME: join(base, 'home'), EXPOSE_LABS_HOME: join(base, 'home') },
            });
            child.on('exit', resolve);
          }),
      ),
    );
    expect(codes).toEqual([0, 0, 0, 0, 0]);
    const text = await readFile(hostsFile, 'latin1');
    expect(text.startsWith(original)).toBe(true);
    for (const name of names) expect(text).toContain(`127.0.0.1 ${name}\n`);
    expect(asUser([bin, 'hosts', 'remove', '--hosts-file', hostsFile]).code).toBe(0);
    expect(await readFile(hostsFile, 'latin1')).toBe(original);
  });

  it('cannot write another root-owned file, nor learn its hash', async () => {
    const bin = join(install, 'dist', 'src', 'bin.js');
    const secret = join(base, 'etc', 'secret');
    await writeFile(secret, 'root:$6$hash:19000::::::\n', { mode: 0o600 });
    const content = addToBlock('root:$6$hash:19000::::::\n', secret, '127.0.0.1', ['niniz.com'], '\n');
    for (const sha of [sha256('guess'), sha256('root:$6$hash:19000::::::\n')]) {
      const result = helper(bin, secret, sha, content);
      expect(result.code).toBe(1);
      expect(result.out).toContain('neither the system hosts file');
      expect(result.out).not.toMatch(/[0-9a-f]{64}/);
    }
    expect(await readFile(secret, 'utf8')).toBe('root:$6$hash:19000::::::\n');
  });

  it('writes the hosts file only with the tool’s own block lines', async () => {
    const bin = join(install, 'dist', 'src', 'bin.js');
    const original = await readFile(hostsFile, 'latin1');
    const smuggled = addToBlock(original, hostsFile, '127.0.0.1', ['niniz.com'], '\n').replace(
      '127.0.0.1 niniz.com\n',
      '127.0.0.1 niniz.com\n10.0.0.1 bank.example # added\n',
    );
    const result = helper(bin, hostsFile, sha256(original), smuggled);
    expect(result.code).toBe(1);
    expect(result.out).toContain('refused');
    expect(await readFile(hostsFile, 'latin1')).toBe(original);
  });

  it('code the user can change is refused on both sides: hosts add does not call sudo, the helper does not write', async () => {
    const bin = join(userInstall, 'dist', 'src', 'bin.js');
    const original = await readFile(hostsFile, 'latin1');
    const added = asUser([bin, 'hosts', 'add', 'niniz.com', '--hosts-file', hostsFile, '--lang', 'en']);
    expect(added.code).toBe(1);
    expect(added.out).toContain('can be changed by users other than root');
    const content = addToBlock(original, hostsFile, '127.0.0.1', ['niniz.com'], '\n');
    const direct = helper(bin, hostsFile, sha256(original), content);
    expect(direct.code).toBe(1);
    expect(direct.out).toContain('can be changed by users other than root');
    expect(await readFile(hostsFile, 'latin1')).toBe(original);
  });
});
