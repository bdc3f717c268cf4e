import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostsAddAction, hostsRemoveAction } from '../../src/actions/hosts.js';
import type { Cluster } from '../../src/cluster/types.js';
import { run as hosts } from '../../src/commands/hosts.js';
import type { LabContext, Log } from '../../src/contract/context.js';
import { UsageError, UserError } from '../../src/core/errors.js';
import { readHostsBlock } from '../../src/hosts/hosts-file.js';
import { tr, type Message } from '../../src/core/i18n.js';
import { noExec, removeTree, tempDir } from './support.js';
import { commandEnv } from '../support/command-env.js';
import { hostsAddSpec, hostsRemoveSpec } from '../../src/actions/specs.js';

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => removeTree(dir));

const ORIGINAL = '# my hosts\r\n127.0.0.1 localhost\r\n::1 localhost ip6-localhost';

async function freshFile(name: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, ORIGINAL);
  return file;
}

describe('expose-labs hosts', () => {
  it('add, show, remove: the block comes and goes, the rest of the file stays byte for byte', async () => {
    const file = await freshFile('cmd-hosts');
    const options = { hostsFile: file };

    const add = commandEnv({ options });
    expect(
      await hosts(add.env, { args: ['add', 'niniz.com', 'jordy.niniz.com'], opts: { address: '127.0.0.1' } }),
    ).toBe(0);
    expect(add.stdout()).toContain(`Added to ${file}:\n  127.0.0.1 niniz.com\n  127.0.0.1 jordy.niniz.com`);

    const again = commandEnv({ options: { ...options, lang: 'ko' } });
    await hosts(again.env, { args: ['add', 'niniz.com'], opts: { address: '127.0.0.1' } });
    expect(again.stdout()).toContain('이미 있습니다');

    const show = commandEnv({ options });
    await hosts(show.env, { args: ['show'], opts: {} });
    expect(show.stdout()).toBe(`expose-labs entries in ${file}:\n  127.0.0.1 niniz.com\n  127.0.0.1 jordy.niniz.com\n`);

    const one = commandEnv({ options });
    await hosts(one.env, { args: ['remove', 'jordy.niniz.com'], opts: {} });
    expect(await readHostsBlock(file)).toEqual([{ address: '127.0.0.1', names: ['niniz.com'] }]);

    const all = commandEnv({ options });
    await hosts(all.env, { args: ['remove'], opts: {} });
    expect(all.stdout()).toContain('Removed the expose-labs block');
    expect(await readFile(file, 'latin1')).toBe(ORIGINAL);

    const none = commandEnv({ options });
    await hosts(none.env, { args: ['show'], opts: {} });
    expect(none.stdout()).toContain('No expose-labs entries');
  });

  it('with --dry-run or --no-hosts, says what it would do and leaves the file alone', async () => {
    const file = await freshFile('dry-hosts');
    for (const flags of [{ dryRun: true }, { noHosts: true }]) {
      const { env, stdout } = commandEnv({ options: { hostsFile: file, ...flags } });
      await hosts(env, { args: ['add', 'niniz.com'], opts: { address: '::1' } });
      expect(stdout()).toContain('  ::1 niniz.com');
      await hosts(env, { args: ['remove'], opts: {} });
      expect(stdout()).toContain('whole expose-labs block');
    }
    expect(await readFile(file, 'latin1')).toBe(ORIGINAL);
  });

  it('refuses unknown actions and an add without names as usage errors', async () => {
    const { env } = commandEnv();
    await expect(hosts(env, { args: ['purge'], opts: {} })).rejects.toThrow(UsageError);
    await expect(hosts(env, { args: [], opts: {} })).rejects.toThrow(UsageError);
    await expect(hosts(env, { args: ['add'], opts: {} })).rejects.toThrow(UsageError);
  });

  it('refuses a bad address from --address with a clear message', async () => {
    const file = await freshFile('bad-address-cmd');
    const { env } = commandEnv({ options: { hostsFile: file } });
    await expect(hosts(env, { args: ['add', 'niniz.com'], opts: { address: '127.0.0.1 evil.test' } })).rejects.toThrow(
      /not an IP address/,
    );
    expect(await readFile(file, 'latin1')).toBe(ORIGINAL);
  });
});

function labContext(over: Partial<LabContext>): { ctx: LabContext; lines: () => string[] } {
  const seen: string[] = [];
  const say = (prefix: string) => (m: Message) => seen.push(prefix + tr(m, 'en'));
  const log: Log = {
    info: say(''),
    command: (l) => seen.push(`$ ${l}`),
    output: say(''),
    warn: say('! '),
    verbose: say('~ '),
  };
  const cluster = {
    name: 'expose-labs',
    context: 'kind-expose-labs',
    ports: { http: 8080, https: 8443, nodePort: 30000, workerA: 30081, workerB: 30082 },
  } as Cluster;
  const ctx: LabContext = {
    lang: 'en',
    cluster,
    exec: noExec,
    paths: { root: dir, workspace: dir, hostsFile: '/nonexistent/etc/hosts' },
    noHosts: false,
    dryRun: false,
    signal: new AbortController().signal,
    log,
    ...over,
  };
  return { ctx, lines: () => seen };
}

describe('hosts actions', () => {
  const spec = hostsAddSpec.parse({ names: ['niniz.com'] });

  it('validate their spec: names must be host names, the address defaults to 127.0.0.1', () => {
    expect(spec).toEqual({ names: ['niniz.com'], address: '127.0.0.1' });
    expect(hostsAddSpec.safeParse({ names: ['bad name'] }).success).toBe(false);
    expect(hostsAddSpec.safeParse({ names: [] }).success).toBe(false);
    expect(hostsRemoveSpec.safeParse({ names: ['niniz.com'], extra: 1 }).success).toBe(false);
  });

  it('show what runs as what it is: the tool writes its marked block, so the command is its own hosts add', () => {
    const { ctx } = labContext({});
    // Not `echo … | sudo tee -a`: that would make an unmarked entry that `down` never removes.
    expect(hostsAddAction.commands(spec, ctx)).toEqual([
      'npx expose-labs hosts add niniz.com --hosts-file /nonexistent/etc/hosts',
    ]);
    expect(hostsAddAction.commands({ names: ['niniz.com'], address: '127.0.0.2' }, ctx)).toEqual([
      'npx expose-labs hosts add --address 127.0.0.2 niniz.com --hosts-file /nonexistent/etc/hosts',
    ]);
    expect(
      hostsRemoveAction.commands(
        { names: ['niniz.com'] },
        { ...ctx, paths: { ...ctx.paths, hostsFile: '/etc/hosts' } },
      ),
    ).toEqual(['npx expose-labs hosts remove niniz.com']);
  });

  it('hosts-add adds to the block, its undo gives the original file back; hosts-remove removes names', async () => {
    const file = await freshFile('action-hosts');
    const { ctx, lines } = labContext({ paths: { root: dir, workspace: dir, hostsFile: file } });
    await hostsAddAction.run({ names: ['niniz.com', 'jordy.niniz.com'], address: '127.0.0.1' }, ctx);
    expect(await readHostsBlock(file)).toHaveLength(2);
    await hostsAddAction.run({ names: ['niniz.com'], address: '127.0.0.1' }, ctx);
    expect(lines()).toContain(`Already in ${file}: niniz.com`);
    await hostsRemoveAction.run({ names: ['jordy.niniz.com'] }, ctx);
    expect(await readHostsBlock(file)).toEqual([{ address: '127.0.0.1', names: ['niniz.com'] }]);
    await hostsAddAction.undo!({ names: ['niniz.com', 'jordy.niniz.com'], address: '127.0.0.1' }, ctx);
    expect(await readFile(file, 'latin1')).toBe(ORIGINAL);
    await hostsAddAction.undo!({ names: ['niniz.com'], address: '127.0.0.1' }, ctx);
    expect(await readFile(file, 'latin1')).toBe(ORIGINAL);
  });

  it('under --no-hosts, touches nothing and shows the line and the curl --resolve way, in both languages', async () => {
    const file = await freshFile('nohosts-action');
    const { ctx, lines } = labContext({ noHosts: true, paths: { root: dir, workspace: dir, hostsFile: file } });
    await hostsAddAction.run({ names: ['niniz.com'], address: '127.0.0.1' }, ctx);
    expect(lines()).toEqual([
      expect.stringContaining('--no-hosts'),
      '  127.0.0.1 niniz.com',
      expect.stringContaining('--resolve'),
      '$ curl --resolve niniz.com:8080:127.0.0.1 http://niniz.com:8080/',
      '$ curl -k --resolve niniz.com:8443:127.0.0.1 https://niniz.com:8443/',
    ]);
    const ko = labContext({ noHosts: true, lang: 'ko', paths: { root: dir, workspace: dir, hostsFile: file } });
    ko.ctx.log.info = (m) => expect(typeof m === 'string' || (m.ko !== m.en && m.ko.length > 0)).toBe(true);
    await hostsAddAction.run({ names: ['niniz.com'], address: '172.18.0.5' }, ko.ctx);
    await hostsAddAction.undo!({ names: ['niniz.com'], address: '127.0.0.1' }, ctx);
    expect(await readFile(file, 'latin1')).toBe(ORIGINAL);
  });

  it('points a non-loopback address at the standard ports in the curl line', async () => {
    const { ctx, lines } = labContext({ noHosts: true });
    await hostsAddAction.run({ names: ['basic.jordy.com'], address: '172.18.0.5' }, ctx);
    expect(lines()).toContain('$ curl --resolve basic.jordy.com:80:172.18.0.5 http://basic.jordy.com/');
  });

  it('fails with a UserError, not a stack trace, on a bad address from a template', async () => {
    const file = await freshFile('template-address');
    const { ctx } = labContext({ paths: { root: dir, workspace: dir, hostsFile: file } });
    await expect(hostsAddAction.run({ names: ['niniz.com'], address: '<pending>' }, ctx)).rejects.toThrow(UserError);
  });
});
