import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KindProvider } from '../../src/cluster/kind/provider.js';
import { run as down } from '../../src/commands/down.js';
import { addHosts, readHostsBlock } from '../../src/hosts/hosts-file.js';
import { clusterHome } from '../../src/platform/paths.js';
import { commandEnv } from '../support/command-env.js';
import { CCM, tempDir, testSettings } from './kind-fixtures.js';
import { scriptedExec, type Step } from './scripted-exec.js';

const listCcm = (stdout: string): Step => ({
  argv: ['docker', 'ps', '-a', '--filter', 'label=expose-labs.cluster=expose-labs', '--format', '{{.Names}}'],
  stdout,
});
const listLbs = (stdout: string): Step => ({
  argv: [
    'docker',
    'ps',
    '-a',
    '--filter',
    'label=io.x-k8s.cloud-provider-kind.cluster=expose-labs',
    '--format',
    '{{.Names}}',
  ],
  stdout,
});

const HOSTS = '127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n';

async function machine() {
  const home = tempDir('home');
  const { workspace, progressFile } = clusterHome(home, 'expose-labs');
  mkdirSync(join(workspace, 'tls'), { recursive: true });
  for (const file of ['niniz.key', 'niniz.cert', 'jordy-node-port-svc.yaml', 'kind-config.yaml'])
    writeFileSync(join(workspace, file), 'x');
  writeFileSync(join(workspace, 'tls', 'old.key'), 'x');
  writeFileSync(progressFile, '{}');
  const hostsFile = join(tempDir('etc'), 'hosts');
  writeFileSync(hostsFile, HOSTS);
  const none = scriptedExec([]);
  await addHosts({
    file: hostsFile,
    exec: none.exec,
    argv0: ['node', 'expose-labs'],
    interactive: false,
    address: '127.0.0.1',
    names: ['niniz.com', 'jordy.niniz.com'],
  });
  none.finish();
  return { home, workspace, progressFile, hostsFile };
}

describe('down', () => {
  it('removes the cluster, its containers, the hosts block, workspace secrets and progress; twice is a no-op', async () => {
    const m = await machine();
    const script = scriptedExec([
      listCcm(`${CCM}\n`),
      { argv: ['docker', 'rm', '-f', CCM] },
      listLbs('kindccm-3f6d0a2b9c1e\n'),
      { argv: ['docker', 'rm', '-f', 'kindccm-3f6d0a2b9c1e'] },
      { argv: ['kind', 'get', 'clusters'], stdout: 'expose-labs\n' },
      { argv: ['kind', 'delete', 'cluster', '--name', 'expose-labs'] },
      listCcm(''),
      listLbs(''),
      { argv: ['kind', 'get', 'clusters'], stderr: 'No kind clusters found.\n' },
    ]);
    const provider = new KindProvider(testSettings(script.exec, { home: m.home }));
    const first = commandEnv({ exec: script.exec, options: { home: m.home, hostsFile: m.hostsFile }, provider });

    expect(await down(first.env, { args: [], opts: {} })).toBe(0);

    expect(readFileSync(m.hostsFile, 'utf8')).toBe(HOSTS);
    expect(readdirSync(m.workspace).sort()).toEqual(['jordy-node-port-svc.yaml', 'kind-config.yaml', 'tls']);
    expect(readdirSync(join(m.workspace, 'tls'))).toEqual([]);
    expect(existsSync(m.progressFile)).toBe(false);
    expect(first.stdout()).toContain('Removed from the hosts file: niniz.com jordy.niniz.com');

    const second = commandEnv({ exec: script.exec, options: { home: m.home, hostsFile: m.hostsFile }, provider });
    expect(await down(second.env, { args: [], opts: {} })).toBe(0);

    script.finish();
    expect(second.stdout()).not.toContain('Removed');
    expect(readFileSync(m.hostsFile, 'utf8')).toBe(HOSTS);
  });

  it('--dry-run prints what it would remove and removes nothing', async () => {
    const m = await machine();
    const hostsBefore = readFileSync(m.hostsFile, 'utf8');
    const lines: string[] = [];
    const script = scriptedExec([
      listCcm(''),
      listLbs(''),
      { argv: ['kind', 'delete', 'cluster', '--name', 'expose-labs'] },
    ]);
    const recording = async (...args: Parameters<typeof script.exec>) => {
      lines.push([args[0].file, ...args[0].args].join(' '));
      return script.exec(...args);
    };
    const provider = new KindProvider(testSettings(recording, { home: m.home }));
    const { env, stdout } = commandEnv({
      exec: recording,
      options: { home: m.home, hostsFile: m.hostsFile, dryRun: true },
      provider,
    });

    expect(await down(env, { args: [], opts: {} })).toBe(0);

    script.finish();
    expect(readFileSync(m.hostsFile, 'utf8')).toBe(hostsBefore);
    expect((await readHostsBlock(m.hostsFile)).flatMap((e) => e.names)).toEqual(['niniz.com', 'jordy.niniz.com']);
    expect(existsSync(m.progressFile)).toBe(true);
    expect(existsSync(join(m.workspace, 'niniz.key'))).toBe(true);
    expect(stdout()).toContain(`# remove the expose-labs block from ${m.hostsFile}: niniz.com jordy.niniz.com`);
    expect(stdout()).toContain(`$ rm ${join(m.workspace, 'niniz.key')}`);
    expect(stdout()).toContain(`$ rm ${m.progressFile}`);
    expect(stdout()).toContain('--dry-run: nothing was removed.');
  });

  it('--no-hosts leaves the hosts file alone', async () => {
    const m = await machine();
    const before = readFileSync(m.hostsFile, 'utf8');
    const script = scriptedExec([listCcm(''), listLbs(''), { argv: ['kind', 'get', 'clusters'] }]);
    const provider = new KindProvider(testSettings(script.exec, { home: m.home }));
    const { env } = commandEnv({
      exec: script.exec,
      options: { home: m.home, hostsFile: m.hostsFile, noHosts: true },
      provider,
    });

    await down(env, { args: [], opts: {} });

    script.finish();
    expect(readFileSync(m.hostsFile, 'utf8')).toBe(before);
  });
});
