import { chmod, mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectToolPrefix } from '../../src/platform/invocation.js';

const ROOT = new URL('../..', import.meta.url).pathname;

describe('the command prefix the tool prints (issue 12, item 5)', () => {
  it('is `npx expose-labs` when started through npx / npm exec', () => {
    expect(detectToolPrefix({ env: { npm_command: 'exec', PATH: '' }, argv0: ['node', '/x/bin.js'] })).toBe(
      'npx expose-labs',
    );
  });

  it('is `expose-labs` only when the expose-labs on PATH is this very script (npm link, npm -g)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'expose-labs-invocation-'));
    const script = join(dir, 'bin.js');
    await writeFile(script, '#!/usr/bin/env node\n');
    await chmod(script, 0o755);
    const bin = join(dir, 'bin');
    await import('node:fs/promises').then((fs) => fs.mkdir(bin));
    await symlink(script, join(bin, 'expose-labs'));
    expect(detectToolPrefix({ env: { PATH: bin }, argv0: ['node', script] })).toBe('expose-labs');
    // Another expose-labs on PATH (an older global install) is not this one: the bare name would run that one.
    const other = join(dir, 'other.js');
    await writeFile(other, '');
    expect(detectToolPrefix({ env: { PATH: bin }, argv0: ['node', other] })).toBe('npx expose-labs');
    // README's `npm ci && npx expose-labs start`: nothing on PATH.
    expect(detectToolPrefix({ env: { PATH: '' }, argv0: ['node', script] })).toBe('npx expose-labs');
  });

  it('no text in src/ or labs/ spells a command as a bare `expose-labs …`: they all go through toolCommand', async () => {
    const subcommand =
      /(?<![\w{}-])(?:npx )?expose-labs (?:doctor|unpack|start|down|reset|tls generate|hosts (?:add|remove|show)|verify|goto|pack|convert|probe|show|status|solve|hint|test)\b/;
    const offenders: string[] = [];
    const walk = async (dir: string): Promise<string[]> =>
      (await readdir(dir, { withFileTypes: true, recursive: true }))
        .filter((e) => e.isFile() && /\.(ts|yaml)$/.test(e.name))
        .map((e) => join(e.parentPath, e.name));
    for (const file of [...(await walk(join(ROOT, 'src'))), ...(await walk(join(ROOT, 'labs')))]) {
      // The room page's title names the tool, not a command.
      if (file.endsWith('invocation.ts') || file.endsWith('room/page.ts')) continue;
      // The hosts block's marker line is file content that must stay byte-identical across versions, not a message.
      const exempt = (line: string) => /const BEGIN_LINE(_CREATED)? = /.test(line);
      for (const [n, line] of (await readFile(file, 'utf8')).split('\n').entries()) {
        const code = line.trim();
        if (code.startsWith('*') || code.startsWith('//') || code.startsWith('/*')) continue;
        if (subcommand.test(line) && !exempt(line)) offenders.push(`${file.slice(ROOT.length)}:${n + 1}: ${code}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
