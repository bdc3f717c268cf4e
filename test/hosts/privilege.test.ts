import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, realpath, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostsWriteCommand } from '../../src/commands/hosts-write.js';
import { ToolMissingError, UserError } from '../../src/core/errors.js';
import type { Command, CommandResult } from '../../src/platform/command.js';
import { addToBlock } from '../../src/hosts/block.js';
import { dnsFlushCommands, flushDnsCache, WSL_NOTE } from '../../src/hosts/os.js';
import {
  addHosts,
  prepareHostsEdit,
  removeHosts,
  type HostsEditOptions,
  type HostsSystem,
} from '../../src/hosts/hosts-file.js';
import { installedHelperRules, type HelperRules } from '../../src/hosts/helper-rules.js';
import { facts, fail, noExec, ok, recordingExec, removeTree, tempDir, userSystem } from './support.js';
import { commandEnv } from '../support/command-env.js';

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => removeTree(dir));

const ARGV0 = ['/usr/bin/node', '/opt/expose-labs/dist/src/bin.js'];
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** A user who cannot write the file and is not root: the write must go through sudo. */
const lockedOut = (over: Partial<HostsSystem> = {}): HostsSystem =>
  userSystem({ canWrite: async () => false, helperCode: async () => undefined, ...over });

/** Root's view in these tests: code only root can change, and `allowed` as the file an admin configured. */
const rootSystem = (allowed: string, over: Partial<HelperRules> = {}): HostsSystem =>
  userSystem({
    helperRules: {
      changeableCode: async () => undefined,
      configuredFile: async () => allowed,
      changeableFolder: async () => undefined,
      ...over,
    },
  });

/** The hidden command run in-process with `stdin`; a thrown UserError becomes exit 1 with its message, as the CLI does. */
async function hostsWrite(
  file: string,
  expectSha256: string | undefined,
  stdin: string,
  system: HostsSystem = rootSystem(file),
): Promise<CommandResult> {
  const { env } = commandEnv({ stdin });
  try {
    const code = await hostsWriteCommand(() => system)(env, { args: [], opts: { file, expectSha256 } });
    return code === 0 ? ok() : fail('', code);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return fail(error.message, error.exitCode);
  }
}

/** Plays sudo: checks the argv shape and runs the tool's real hidden command, as `sudo -n node cli hosts-write …` would. */
async function runHostsWrite(command: Command): Promise<CommandResult> {
  const [n, node, script, name, fileFlag, file, shaFlag, sha] = command.args;
  expect([command.file, n, node, script, name, fileFlag, shaFlag]).toEqual([
    'sudo',
    '-n',
    ...ARGV0,
    'hosts-write',
    '--file',
    '--expect-sha256',
  ]);
  return hostsWrite(file!, sha, command.input ?? '');
}

async function hostsFile(name: string, content: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, content);
  return file;
}

const edit = (file: string, exec: HostsEditOptions['exec'], interactive = false): HostsEditOptions => ({
  file,
  exec,
  argv0: ARGV0,
  interactive,
});

describe('privileged write through sudo', () => {
  it('re-invokes only the hidden hosts-write command under sudo -n, with the new content on stdin and the old hash', async () => {
    const original = '127.0.0.1 localhost\n';
    const file = await hostsFile('sudo-hosts', original);
    const { exec, calls } = recordingExec((command) =>
      command.args.includes('hosts-write') ? runHostsWrite(command) : fail('unexpected'),
    );

    const result = await addHosts({ ...edit(file, exec), address: '127.0.0.1', names: ['niniz.com'] }, lockedOut());

    const expected = addToBlock(original, file, '127.0.0.1', ['niniz.com'], '\n');
    expect(calls).toEqual([
      {
        file: 'sudo',
        args: ['-n', ...ARGV0, 'hosts-write', '--file', file, '--expect-sha256', sha256(original)],
        input: expected,
        timeoutMs: 60_000,
      },
    ]);
    expect(result.changed).toBe(true);
    expect(result.commands).toEqual([
      `sudo -n ${ARGV0.join(' ')} hosts-write --file ${file} --expect-sha256 ${sha256(original)}`,
    ]);
    expect(await readFile(file, 'utf8')).toBe(expected);

    // Removing goes the same way and gives the original back.
    await removeHosts({ ...edit(file, exec), names: ['niniz.com'] }, lockedOut());
    expect(await readFile(file, 'utf8')).toBe(original);
  });

  it('names the script’s real file to sudo, not the link a global install runs it through', async () => {
    const real = join(dir, 'bin.js');
    const link = join(dir, 'expose-labs');
    await writeFile(real, '');
    await symlink(real, link);
    const file = await hostsFile('sudo-link', '');
    const { exec, calls } = recordingExec(() => ok());
    const checked: (readonly string[])[] = [];
    const system = lockedOut({ helperCode: async (argv0) => void checked.push(argv0) });
    await addHosts(
      { file, exec, argv0: [ARGV0[0]!, link], interactive: false, address: '127.0.0.1', names: ['a'] },
      system,
    );
    expect(calls[0]?.args.slice(0, 4)).toEqual(['-n', ARGV0[0], await realpath(real), 'hosts-write']);
    expect(checked).toEqual([[ARGV0[0], await realpath(real)]]);
  });

  it('asks for the password with an interactive sudo -v first only when a person is at the terminal', async () => {
    const file = await hostsFile('sudo-v', '');
    const { exec, calls } = recordingExec((command) => (command.args[0] === '-v' ? ok() : runHostsWrite(command)));
    await addHosts({ ...edit(file, exec, true), address: '127.0.0.1', names: ['niniz.com'] }, lockedOut());
    expect(calls[0]).toEqual({ file: 'sudo', args: ['-v'], interactive: true });
    expect(calls[1]?.args.slice(0, 2)).toEqual(['-n', ARGV0[0]]);
    expect(calls).toHaveLength(2);

    const prepared = recordingExec(() => ok());
    expect(await prepareHostsEdit(edit(file, prepared.exec, true), lockedOut())).toBe('sudo');
    expect(prepared.calls).toEqual([{ file: 'sudo', args: ['-v'], interactive: true }]);
    const quiet = recordingExec(() => ok());
    expect(await prepareHostsEdit(edit(file, quiet.exec, false), lockedOut())).toBe('sudo');
    expect(quiet.calls).toEqual([]);
  });

  it('without a terminal, a sudo that wants a password fails with a message naming --no-hosts and --hosts-file', async () => {
    const file = await hostsFile('sudo-password', '127.0.0.1 localhost\n');
    const { exec, calls } = recordingExec(() => fail('sudo: a password is required\n'));
    const error = (await addHosts(
      { ...edit(file, exec), address: '127.0.0.1', names: ['niniz.com'] },
      lockedOut(),
    ).catch((e: unknown) => e)) as UserError;
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toContain('a password is required');
    expect(JSON.stringify(error.hint)).toContain('--no-hosts');
    expect(JSON.stringify(error.hint)).toContain('--hosts-file');
    expect(calls).toHaveLength(1);
    expect(await readFile(file, 'utf8')).toBe('127.0.0.1 localhost\n');
  });

  it('when the file changes between the read and the elevated write, hosts-write refuses and the edit is redone', async () => {
    const file = await hostsFile('sudo-race', '127.0.0.1 localhost\n');
    let raced = false;
    const { exec, calls } = recordingExec(async (command) => {
      if (!raced) {
        raced = true;
        await writeFile(file, '127.0.0.1 localhost\n10.0.0.9 added-meanwhile\n');
      }
      return runHostsWrite(command);
    });
    await addHosts({ ...edit(file, exec), address: '127.0.0.1', names: ['niniz.com'] }, lockedOut());
    expect(calls).toHaveLength(2);
    expect(await readFile(file, 'utf8')).toBe(
      addToBlock('127.0.0.1 localhost\n10.0.0.9 added-meanwhile\n', file, '127.0.0.1', ['niniz.com'], '\n'),
    );
  });

  it('eight concurrent edits through sudo take turns instead of failing on each other’s hash', async () => {
    const original = '127.0.0.1 localhost\n';
    const file = await hostsFile('sudo-concurrent', original);
    const { exec } = recordingExec(async (command) => {
      // A slow elevated write: without the queue, the others' hashes would be stale by the time theirs ran.
      await new Promise((r) => setTimeout(r, 20));
      return runHostsWrite(command);
    });
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((n) => `${n}.niniz.com`);
    const results = await Promise.all(
      names.map((name) => addHosts({ ...edit(file, exec), address: '127.0.0.1', names: [name] }, lockedOut())),
    );
    expect(results.every((r) => r.changed)).toBe(true);
    const text = await readFile(file, 'utf8');
    for (const name of names) expect(text).toContain(`127.0.0.1 ${name}\n`);
    expect(text.startsWith(original)).toBe(true);
  });

  it('cannot send non-UTF-8 content through sudo, and says what to do instead', async () => {
    const file = join(dir, 'latin1-hosts');
    await writeFile(file, Buffer.from('# caf\xe9\n', 'latin1'));
    await expect(
      addHosts({ ...edit(file, noExec), address: '127.0.0.1', names: ['niniz.com'] }, lockedOut()),
    ).rejects.toThrow(/UTF-8/);
  });

  it('on Windows without rights, asks for an elevated terminal and runs nothing', async () => {
    const file = await hostsFile('windows-hosts', '127.0.0.1 localhost\r\n');
    const system = lockedOut({ facts: facts({ platform: 'win32' }) });
    const error = (await addHosts({ ...edit(file, noExec), address: '127.0.0.1', names: ['niniz.com'] }, system).catch(
      (e: unknown) => e,
    )) as UserError;
    expect(error.message).toContain('administrator');
    expect(JSON.stringify(error.hint)).toContain('Run as administrator');
    await expect(prepareHostsEdit(edit(file, noExec), system)).rejects.toThrow(/administrator/);
  });
});

describe('the hidden hosts-write command', () => {
  const write = async (file: string, expect256: string, content: string) => {
    const result = await hostsWrite(file, expect256, content);
    return { code: result.exitCode, stderr: result.stderr };
  };

  it('refuses when the file no longer has the expected hash, without telling the file’s hash', async () => {
    const file = await hostsFile('hw-hash', '127.0.0.1 a\n');
    const next = addToBlock('127.0.0.1 a\n', file, '127.0.0.1', ['niniz.com'], '\n');
    const { code, stderr } = await write(file, sha256('something else'), next);
    expect(code).toBe(1);
    expect(stderr).toContain('changed after it was read');
    expect(stderr).not.toContain(sha256('127.0.0.1 a\n'));
    expect(stderr).not.toMatch(/[0-9a-f]{64}/);
    expect(await readFile(file, 'utf8')).toBe('127.0.0.1 a\n');
  });

  it('writes no file but the system hosts file or the configured one: another root-owned file is refused unread', async () => {
    const secret = await hostsFile('hw-shadow', 'root:$6$secret:19000:0:99999:7:::\n');
    const next = addToBlock('root:$6$secret:19000:0:99999:7:::\n', secret, '127.0.0.1', ['niniz.com'], '\n');
    const system = rootSystem(join(dir, 'hw-configured'));
    for (const sha of [sha256('x'), sha256('root:$6$secret:19000:0:99999:7:::\n')]) {
      const result = await hostsWrite(secret, sha, next, system);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain('neither the system hosts file');
      expect(result.stderr).not.toMatch(/[0-9a-f]{64}/);
    }
    expect(await readFile(secret, 'utf8')).toBe('root:$6$secret:19000:0:99999:7:::\n');
  });

  it('refuses the configured file when it does not look like a hosts file', async () => {
    const file = await hostsFile('hw-not-hosts', '[section]\nkey = value\n');
    const next = addToBlock('[section]\nkey = value\n', file, '127.0.0.1', ['niniz.com'], '\n');
    const { code, stderr } = await write(file, sha256('[section]\nkey = value\n'), next);
    expect(code).toBe(1);
    expect(stderr).toContain('does not look like a hosts file');
    expect(await readFile(file, 'utf8')).toBe('[section]\nkey = value\n');
  });

  it('refuses to run when its own code could be changed by a user other than root', async () => {
    const file = await hostsFile('hw-code', '127.0.0.1 a\n');
    const next = addToBlock('127.0.0.1 a\n', file, '127.0.0.1', ['niniz.com'], '\n');
    const system = rootSystem(file, { changeableCode: async () => '/home/learner/.npm/_npx/x/bin.js' });
    const result = await hostsWrite(file, sha256('127.0.0.1 a\n'), next, system);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('can be changed by users other than root');
    expect(await readFile(file, 'utf8')).toBe('127.0.0.1 a\n');
  });

  it('refuses the configured file when its folder could be changed by a user other than root', async () => {
    const file = await hostsFile('hw-folder', '127.0.0.1 a\n');
    const next = addToBlock('127.0.0.1 a\n', file, '127.0.0.1', ['niniz.com'], '\n');
    const system = rootSystem(file, { changeableFolder: async (folder) => folder });
    const result = await hostsWrite(file, sha256('127.0.0.1 a\n'), next, system);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`its folder (${await realpath(dir)}) can be changed by users other than root`);
    expect(await readFile(file, 'utf8')).toBe('127.0.0.1 a\n');
  });

  it.skipIf(process.getuid?.() !== 0)('the installed rule finds a folder others may write, sticky or not', async () => {
    const open = join(await realpath(dir), 'open');
    await mkdir(open);
    expect(await installedHelperRules.changeableFolder(open)).toBeUndefined();
    for (const mode of [0o777, 0o1777]) {
      await chmod(open, mode);
      expect(await installedHelperRules.changeableFolder(open)).toBe(open);
    }
  });

  it.each([
    [
      'a change outside the block',
      (t: string) => addToBlock(t, '', '127.0.0.1', ['niniz.com'], '\n').replace('127.0.0.1 a\n', '127.0.0.1 evil\n'),
    ],
    [
      'an invalid entry inside the block',
      (t: string) =>
        addToBlock(t, '', '127.0.0.1', ['niniz.com'], '\n').replace('127.0.0.1 niniz.com', '127.0.0.1 evil_name'),
    ],
    [
      'a comment line inside the block',
      (t: string) =>
        addToBlock(t, '', '127.0.0.1', ['niniz.com'], '\n').replace(
          '127.0.0.1 niniz.com\n',
          '127.0.0.1 niniz.com\n# ALL ALL=(ALL) NOPASSWD: ALL\n',
        ),
    ],
    [
      'a line of other text inside the block',
      (t: string) =>
        addToBlock(t, '', '127.0.0.1', ['niniz.com'], '\n').replace(
          '127.0.0.1 niniz.com\n',
          '127.0.0.1 niniz.com\nroot::0:0::/:/bin/sh\n',
        ),
    ],
    [
      'an entry with a tab or a trailing comment',
      (t: string) =>
        addToBlock(t, '', '127.0.0.1', ['niniz.com'], '\n').replace('127.0.0.1 niniz.com', '127.0.0.1\tniniz.com # x'),
    ],
    [
      'a different begin line',
      (t: string) =>
        addToBlock(t, '', '127.0.0.1', ['niniz.com'], '\n').replace('added by expose-labs', 'anything at all'),
    ],
  ])('refuses %s, even with the right hash', async (_name, make) => {
    const file = await hostsFile('hw-outside', '127.0.0.1 a\n');
    const { code, stderr } = await write(file, sha256('127.0.0.1 a\n'), make('127.0.0.1 a\n'));
    expect(code).toBe(1);
    expect(stderr).toContain('outside the expose-labs block');
    expect(await readFile(file, 'utf8')).toBe('127.0.0.1 a\n');
  });

  it('is a usage error without its arguments', async () => {
    expect((await hostsWrite('/tmp/x', undefined, '')).exitCode).toBe(2);
    expect((await hostsWrite('/tmp/x', 'not-a-hash', '')).exitCode).toBe(2);
  });
});

describe('DNS caches and system notes', () => {
  it('knows each system’s flush commands, through sudo -n when not root', () => {
    const line = (c: Command) => [c.file, ...c.args].join(' ');
    expect(dnsFlushCommands(facts({ platform: 'darwin' })).map(line)).toEqual([
      'sudo -n dscacheutil -flushcache',
      'sudo -n killall -HUP mDNSResponder',
    ]);
    expect(dnsFlushCommands(facts({ platform: 'darwin', isRoot: true })).map(line)).toEqual([
      'dscacheutil -flushcache',
      'killall -HUP mDNSResponder',
    ]);
    expect(dnsFlushCommands(facts({ platform: 'win32' })).map(line)).toEqual(['ipconfig /flushdns']);
    expect(dnsFlushCommands(facts({ platform: 'linux', hasCommand: (n) => n === 'resolvectl' })).map(line)).toEqual([
      'sudo -n resolvectl flush-caches',
    ]);
    expect(dnsFlushCommands(facts({ platform: 'linux' }))).toEqual([]);
  });

  it('turns a failed or missing flush into warnings, never an error', async () => {
    const { exec } = recordingExec((command) => {
      if (command.args.includes('killall')) throw new ToolMissingError('killall', 'install it');
      return fail('dscacheutil: not permitted');
    });
    const result = await flushDnsCache(exec, facts({ platform: 'darwin' }));
    expect(result.commands).toHaveLength(2);
    expect(result.warnings).toHaveLength(2);
    expect(JSON.stringify(result.warnings)).toContain('not permitted');
  });

  it('flushes after editing the system hosts file (not another file), and adds the WSL note there', async () => {
    const file = await hostsFile('system-hosts', '127.0.0.1 localhost\n');
    const { exec, calls } = recordingExec(() => ok());
    const system = userSystem({ systemHostsFile: file, facts: facts({ platform: 'win32', isWsl: true }) });
    const result = await addHosts({ ...edit(file, exec), address: '127.0.0.1', names: ['niniz.com'] }, system);
    expect(calls.map((c) => c.file)).toEqual(['ipconfig']);
    expect(result.commands).toEqual(['ipconfig /flushdns']);
    expect(result.warnings).toContainEqual(WSL_NOTE);
    // Adding again changes nothing, so nothing is flushed.
    await addHosts({ ...edit(file, exec), address: '127.0.0.1', names: ['niniz.com'] }, system);
    expect(calls).toHaveLength(1);
  });

  it('restores the SELinux label after a rename where SELinux is on', async () => {
    const file = await hostsFile('selinux-hosts', '');
    const { exec, calls } = recordingExec(() => ok());
    const system = userSystem({ facts: facts({ selinux: true, hasCommand: (n) => n === 'restorecon', isRoot: true }) });
    await addHosts({ ...edit(file, exec), address: '127.0.0.1', names: ['niniz.com'] }, system);
    expect(calls).toEqual([{ file: 'restorecon', args: [file], timeoutMs: 15_000 }]);
  });
});
