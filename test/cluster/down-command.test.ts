import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KindProvider } from '../../src/cluster/kind/provider.js';
import { run as down } from '../../src/commands/down.js';
import { addHosts, readHostsBlock } from '../../src/hosts/hosts-file.js';
import { clusterHome } from '../../src/platform/paths.js';
import { commandEnv } from '../support/command-env.js';
import { removeSteps, tempDir, testSettings } from './kind-fixtures.js';
import { scriptedExec } from './scripted-exec.js';

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
      ...removeSteps('kindccm-3f6d0a2b9c1e\n', 'expose-labs\n'),
      ...removeSteps('', '', { controller: false }),
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
      removeSteps('', '')[0]!,
      removeSteps('', '')[1]!,
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
    const script = scriptedExec(removeSteps('', '', { controller: false }));
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

  it('without a Docker engine still removes the hosts block, niniz.key and progress, names what is left, exits 1', async () => {
    const m = await machine();
    const noEngine =
      'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n';
    const [lbs, legacy] = removeSteps('', '');
    const script = scriptedExec([
      { ...lbs!, exitCode: 1, stderr: noEngine },
      { ...legacy!, exitCode: 1, stderr: noEngine },
      { argv: ['kind', 'get', 'clusters'], exitCode: 1, stderr: `ERROR: failed to list clusters: ${noEngine}` },
    ]);
    const provider = new KindProvider(testSettings(script.exec, { home: m.home }));
    const { env, stdout, stderr } = commandEnv({
      exec: script.exec,
      options: { home: m.home, hostsFile: m.hostsFile },
      provider,
    });

    expect(await down(env, { args: [], opts: {} })).toBe(1);

    script.finish();
    expect(readFileSync(m.hostsFile, 'utf8')).toBe(HOSTS);
    expect(existsSync(join(m.workspace, 'niniz.key'))).toBe(false);
    expect(existsSync(m.progressFile)).toBe(false);
    expect(stderr()).toContain('3 part(s) could not be:');
    expect(stderr()).toContain('cluster: kind delete cluster --name expose-labs:');
    // The default cluster needs no flag to be named again.
    expect(stderr()).toMatch(/then run (npx )?expose-labs down again\./);
    expect(stdout()).not.toContain('is gone');
  });
});
