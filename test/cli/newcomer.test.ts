import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { ToolMissingError } from '../../src/core/errors.js';
import type { Exec } from '../../src/platform/command.js';
import { displayWidth } from '../../src/ui/text-width.js';
import { captureIo } from '../support/capture-io.js';

/** What a newcomer and an instructor tripped on (issue 12), through `main` as a learner types it. */

/** A machine with none of the tools: every program is missing, as on a locked-down laptop. */
const bareMachine: Exec = async (command) => {
  throw new ToolMissingError(command.file, `install ${command.file}`);
};

async function cli(argv: string[], over: { env?: NodeJS.ProcessEnv; exec?: Exec; columns?: number } = {}) {
  const home = await mkdtemp(join(tmpdir(), 'expose-labs-newcomer-'));
  const t = captureIo({ EXPOSE_LABS_HOME: home, ...over.env });
  if (over.columns) t.io.stdout.columns = over.columns;
  const code = await main(argv, {
    io: t.io,
    deps: {
      exec: over.exec ?? bareMachine,
      provider: async () => {
        throw new Error('no cluster provider in this test');
      },
    },
  });
  return { code, stdout: t.stdout(), stderr: t.stderr(), home };
}

describe('start without a terminal (item 7)', () => {
  it('runs doctor first, so CI hears that Docker is missing, and names the tour', async () => {
    const { code, stdout, stderr } = await cli(['start']);
    expect(code).toBe(1);
    expect(stdout).toMatch(/✖ Docker/);
    expect(stdout).toContain('npx expose-labs start --tour');
    expect(stderr).not.toContain('no terminal');
  });

  it('usage problems exit 2: an unknown lab, and no terminal for the menu', async () => {
    expect((await cli(['start', 'nosuch'])).code).toBe(2);
    expect((await cli(['show', 'nosuch'])).code).toBe(2);
    const menu = await cli(['start', '--skip-doctor']);
    expect(menu.code).toBe(2);
    expect(menu.stderr).toContain('npx expose-labs start nodeport --auto --yes');
  });
});

describe('tour mode for a laptop without Docker (item 11)', () => {
  it('shows every step screen, YAML and command, runs and saves nothing', async () => {
    const { code, stdout, home } = await cli(['start', 'nodeport', '--tour', '--auto']);
    expect(code).toBe(0);
    expect(stdout).toContain('Tour mode');
    expect(stdout).toMatch(/Step 1 of 2[\s\S]*kind: Service[\s\S]*\$ kubectl --context kind-expose-labs apply -f/);
    expect(stdout).toMatch(/Step 2 of 2/);
    // The file header names the file the command applies (the workspace copy), not the package's fixtures/ path.
    const workspaceFile = join(home, 'expose-labs', 'workspace', 'nodeport', 'jordy-node-port-svc.yaml');
    expect(stdout).toContain(`File ${workspaceFile}`);
    expect(stdout).toContain(`apply -f ${workspaceFile}`);
    expect(stdout).not.toMatch(/^File fixtures\//m);
    expect(stdout).toContain('End of the tour');
    await expect(readFile(join(home, 'expose-labs', 'progress.json'))).rejects.toThrow(/ENOENT/);
  });
});

describe('the dry-run plan (item 8)', () => {
  it('never shows ✔ or a time for what it did not run, and prints the hosts step as the tool does it', async () => {
    const { createDryRunExec } = await import('../../src/platform/exec.js');
    const home = await mkdtemp(join(tmpdir(), 'expose-labs-newcomer-'));
    const t = captureIo({ EXPOSE_LABS_HOME: home });
    const code = await main(['start', 'ingress-host', '--dry-run', '--hosts-file', join(home, 'hosts')], {
      io: t.io,
      deps: { exec: createDryRunExec((line) => t.io.stdout.write(`$ ${line}\n`)) },
    });
    expect(code, t.stderr()).toBe(0);
    expect(t.stdout()).toContain('(planned, not run)');
    expect(t.stdout()).not.toMatch(/✔|\(\d+\.\d s\)/);
    expect(t.stdout()).toContain(`npx expose-labs hosts add basic.jordy.com --hosts-file ${join(home, 'hosts')}`);
    expect(t.stdout()).not.toContain('sudo tee');
  });
});

describe('Korean and the command line (rough edges)', () => {
  it('--lang KO is Korean', async () => {
    expect((await cli(['list', '--lang', 'KO'])).stdout).toContain('실습 내용 보기');
  });

  it("commander's own errors and help extras are in Korean under --lang ko", async () => {
    const unknown = await cli(['frobnicate', '--lang', 'ko']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("오류: 'frobnicate' 라는 명령이 없습니다");
    expect(unknown.stderr).not.toContain('unknown command');
    const help = await cli(['start', '--help', '--lang', 'ko']);
    help.stdout = help.stdout.replace(/\s+/g, ' ');
    expect(help.stdout).toContain('(기본값: 80)');
    expect(help.stdout).toContain('(고를 수 있는 값: "ko", "en")');
    expect(help.stdout).not.toMatch(/\((default|choices):/);
  });
});

describe('doctor for a room of laptops (item 10, rough edges)', () => {
  it('--json names the machine, the tool version and the time', async () => {
    const { stdout } = await cli(['doctor', '--json']);
    const json = JSON.parse(stdout);
    expect(json.hostname).toBe(hostname());
    expect(json.toolVersion).toBe(JSON.parse(await readFile('package.json', 'utf8')).version);
    expect(Date.now() - Date.parse(json.timestamp)).toBeLessThan(60_000);
  });

  it('wraps to the terminal and ends its problems with a next step', async () => {
    for (const lang of ['en', 'ko']) {
      const { code, stdout } = await cli(['doctor', '--lang', lang], { columns: 60 });
      expect(code).toBe(1);
      const prose = stdout.split('\n').filter((line) => !line.trim().startsWith('$') && !/https?:\/\//.test(line));
      expect(prose.filter((line) => displayWidth(line) > 60)).toEqual([]);
      // The next step, and its commands unbroken so they can be pasted.
      expect(stdout).toMatch(/^(Next|다음): /m);
      expect(stdout).toContain('npx expose-labs start --tour');
    }
  });
});

describe('files in folders that do not exist (rough edge)', () => {
  it('status --report into a missing folder says so in one line, no raw ENOENT', async () => {
    const { code, stderr } = await cli(['status', '--report', '/nonexistent/dir/report.md', '--name', 'Ada']);
    expect(code).toBe(1);
    expect(stderr).toContain('The folder for the report does not exist: /nonexistent/dir');
    expect(stderr).not.toMatch(/Unexpected error|ENOENT/);
  });

  it('a report that cannot be written or read is named with the reason in words, not a raw code', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'expose-labs-report-'));
    const folder = join(dir, 'taken.md');
    await mkdir(folder);
    const written = await cli(['status', '--report', folder, '--name', 'Ada']);
    expect(written.code).toBe(1);
    expect(written.stderr).toContain(`Cannot write ${folder}: it is a folder`);
    const read = await cli(['status', '--check-report', join(dir, 'none.json')]);
    expect(read.code).toBe(1);
    expect(read.stderr).toContain(`Cannot read ${join(dir, 'none.json')}: there is no such file`);
    expect(written.stderr + read.stderr).not.toMatch(/EISDIR|ENOENT/);
  });

  it('convert names a path through a file with the reason in words', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'expose-labs-convert-'));
    await writeFile(join(dir, 'plain'), '');
    const { code, stderr } = await cli(['convert', join(dir, 'plain', 'ing.yaml')]);
    expect(code).toBe(1);
    expect(stderr).toContain(`Cannot read ${join(dir, 'plain', 'ing.yaml')}: a part of the path is not a folder`);
    expect(stderr).not.toContain('ENOTDIR');
  });
});

describe('reset (rough edges)', () => {
  it('--dry-run shows the undo commands without asking for --yes', async () => {
    const { code, stdout, stderr } = await cli(['reset', 'nodeport', '--dry-run']);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('$ kubectl --context kind-expose-labs delete');
    expect(stdout).toContain('--dry-run: nothing was removed.');
  });
});

describe('show (rough edge)', () => {
  it('keeps the solutions back unless asked for, and says how to ask', async () => {
    const plain = await cli(['show', 'nodeport']);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('Hint');
    expect(plain.stdout).not.toContain('Solution');
    expect(plain.stdout).toContain('npx expose-labs show nodeport --solutions');
    expect(plain.stdout).toMatch(/^File .*\/workspace\/nodeport\/jordy-node-port-svc\.yaml$/m);
    const withSolutions = await cli(['show', 'nodeport', '--solutions']);
    expect(withSolutions.stdout).toContain('Solution');
  });
});

describe('lab texts with the default port (rough edge)', () => {
  it('lab 03 step 2 never tells the learner to add `:80` when the port is 80 already', async () => {
    for (const lang of ['en', 'ko']) {
      const { stdout } = await cli(['show', 'ingress-host', '--lang', lang, '--http-port', '80']);
      expect(stdout).not.toMatch(/needs `?:80|`?:80`? 를 붙여야/);
      expect(stdout).toMatch(/`?80`?, the host port that leads to Envoy|Envoy의 80번으로 이어지는 호스트/);
    }
  });
});
