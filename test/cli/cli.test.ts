import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import type { ClusterProvider } from '../../src/cluster/types.js';
import type { Exec } from '../../src/platform/command.js';
import { captureIo } from '../support/capture-io.js';

/** An Exec that fails the test on any call: these commands must not start processes. */
const noProcesses: Exec = async (command) => {
  throw new Error(`unexpected process: ${command.file} ${command.args.join(' ')}`);
};

async function cli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const home = await mkdtemp(join(tmpdir(), 'expose-labs-home-'));
  const t = captureIo({ EXPOSE_LABS_HOME: home, ...env });
  const code = await main(argv, {
    io: t.io,
    deps: {
      exec: noProcesses,
      provider: async () => {
        throw new Error('no cluster provider in this test');
      },
    },
  });
  return { code, stdout: t.stdout(), stderr: t.stderr() };
}

describe('command line', () => {
  it('prints help listing every command, exit 0', async () => {
    const { code, stdout } = await cli(['--help']);
    expect(code).toBe(0);
    for (const name of [
      'start',
      'list',
      'show',
      'status',
      'verify',
      'hint',
      'solve',
      'reset',
      'goto',
      'down',
      'doctor',
      'test',
      'tls',
      'hosts',
      'pack',
      'unpack',
      'probe',
      'convert',
    ]) {
      expect(stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    }
    expect(stdout).not.toContain('hosts-write');
  });

  it('gives help in Korean with --lang ko or a Korean locale', async () => {
    const flagged = await cli(['--help', '--lang', 'ko']);
    expect(flagged.code).toBe(0);
    expect(flagged.stdout).toMatch(/^사용법: expose-labs/m);
    expect(flagged.stdout).toContain('명령:');
    expect(flagged.stdout).toContain('실습과 단계 목록');
    expect((await cli(['probe', '--help'], { LANG: 'ko_KR.UTF-8' })).stdout).toContain('모든 요청을 연결 하나로 보냄');
  });

  it('has --help on every command', async () => {
    const { code, stdout } = await cli(['probe', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--keepalive');
    expect(stdout).toContain('--lang');
  });

  it('prints the version', async () => {
    const { code, stdout } = await cli(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('exits 2 on usage errors, pointing at the help', async () => {
    const unknown = await cli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('npx expose-labs --help');
    expect((await cli(['frobnicate', '--lang', 'ko'])).stderr).toContain('사용법: npx expose-labs --help');
    expect((await cli(['list', '--no-such-flag'])).code).toBe(2);
    expect((await cli(['list', '--lang', 'fr'])).code).toBe(2);
    expect((await cli(['start', '--http-port', '70000'])).code).toBe(2);
  });

  it('exits 2 (usage) with a clear message for an unknown lab, no stack trace', async () => {
    const { code, stderr } = await cli(['show', 'no-such-lab']);
    expect(code).toBe(2);
    expect(stderr).toContain('No lab named "no-such-lab"');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('speaks Korean with --lang ko, and from the locale', async () => {
    expect((await cli(['show', 'no-such-lab', '--lang', 'ko'])).stderr).toContain('실습을 찾을 수 없습니다');
    expect((await cli(['show', 'no-such-lab'], { LANG: 'ko_KR.UTF-8' })).stderr).toContain('실습을 찾을 수 없습니다');
    expect((await cli(['show', 'no-such-lab'], { LANG: 'ko_KR.UTF-8', EXPOSE_LABS_LANG: 'en' })).stderr).toContain(
      'No lab named',
    );
  });

  it('never waits on a prompt without a TTY: it names the flag and exits 2 (usage)', async () => {
    const { code, stderr } = await cli(['reset']);
    expect(code).toBe(2);
    expect(stderr).toContain('--yes');
  });

  it('takes --json before the command as after it, and refuses it for a command without JSON', async () => {
    const before = await cli(['--json', 'list']);
    const after = await cli(['list', '--json']);
    expect(before.code).toBe(0);
    expect(JSON.parse(before.stdout)).toEqual(JSON.parse(after.stdout));
    const refused = await cli(['--json', 'hosts', 'show', '--lang', 'en']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('The hosts command has no --json.');
  });

  it.each(['../../x', '..', '.', 'Expose', '', 'a\nb', 'under_score', 'a/b'])(
    'refuses the cluster name %j as kind would (and what leaves the state folder), exit 2, nothing read',
    async (name) => {
      const { code, stderr } = await cli(['list', '--cluster-name', name, '--lang', 'en']);
      expect(code).toBe(2);
      expect(stderr).toMatch(/The cluster name .* cannot be used/);
      expect(stderr).not.toContain('Unexpected');
    },
  );

  it('accepts what kind accepts, warning as kind does above 50 characters', async () => {
    for (const name of ['expose-labs', 'a.b-1', '-lead'])
      expect((await cli(['list', '--cluster-name', name])).code).toBe(0);
    const long = await cli(['list', '--cluster-name', 'x'.repeat(100), '--lang', 'en']);
    expect(long.code).toBe(0);
    expect(long.stderr).toContain('kind warns that over 50');
  });

  it('names the cluster of this run in the command it says to run: --cluster-name and --context, quoted', async () => {
    const noCluster = async (argv: string[]) => {
      const home = await mkdtemp(join(tmpdir(), 'expose-labs-home-'));
      const t = captureIo({ EXPOSE_LABS_HOME: home });
      const provider = { connect: async () => undefined } as unknown as ClusterProvider;
      const code = await main([...argv, '--lang', 'en'], {
        io: t.io,
        deps: { exec: noProcesses, provider: async () => provider },
      });
      return { code, stderr: t.stderr() };
    };
    const named = await noCluster(['explain', 'nodeport/create-service', '--cluster-name', 'team-a']);
    expect(named.code).toBe(1);
    expect(named.stderr).toContain('Create it first with `npx expose-labs start --cluster-name team-a`.');
    const plain = await noCluster(['explain', 'nodeport/create-service']);
    expect(plain.stderr).toContain('Create it first with `npx expose-labs start`.');
    const context = await noCluster(['explain', 'nodeport/create-service', '--context', 'my lab']);
    expect(context.stderr).toContain("Check: kubectl --context 'my lab' get nodes");
  });

  it('shows explain its target as a command this install can run', async () => {
    const { code, stderr } = await cli(['explain', 'nodeport', '--lang', 'en']);
    expect(code).toBe(2);
    expect(stderr).toContain('Give a lab/step: npx expose-labs explain nodeport/create-service');
  });
});
