import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToBlock } from '../../src/hosts/block.js';
import { readHostsBlock, removeHosts } from '../../src/hosts/hosts-file.js';
import { noExec, removeTree, seeded, tempDir, transpileForChild, userSystem } from './support.js';

/**
 * Real processes against one hosts file: writers SIGKILLed at random moments, and concurrent writers. Node 20 cannot
 * run TypeScript, so the hosts modules are transpiled for the children first.
 */

const CHILD = `
import { addHosts, removeHosts } from './src/hosts/hosts-file.js';
const [mode, file, name] = process.argv.slice(2);
const system = {
  facts: { platform: 'linux', isRoot: false, isWsl: false, selinux: false, hasCommand: () => false },
  systemHostsFile: '/nonexistent/etc/hosts',
  canWrite: async () => true,
  lockTimeoutMs: 20000,
};
const o = { file, exec: async () => { throw new Error('no process expected'); }, argv0: [], interactive: false };
if (mode === 'cycle') {
  process.stdout.write('ready\\n');
  for (;;) {
    await addHosts({ ...o, address: '127.0.0.1', names: ['niniz.com', 'jordy.niniz.com'] }, system);
    await removeHosts(o, system);
  }
} else {
  process.stdout.write('ready\\n');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  await addHosts({ ...o, address: '127.0.0.1', names: [name] }, system);
  process.exit(0);
}
`;

let build: string;
let dir: string;
beforeAll(async () => {
  build = await transpileForChild(['src/hosts/hosts-file.ts']);
  await writeFile(join(build, 'child.mjs'), CHILD);
  dir = await tempDir();
}, 60_000);
afterAll(async () => {
  await removeTree(build);
  await removeTree(dir);
});

function start(args: string[]): ChildProcess {
  return spawn(process.execPath, [join(build, 'child.mjs'), ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
}

async function ready(child: ChildProcess): Promise<void> {
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`child exited (${code}) before it was ready`);
  });
  await Promise.race([once(child.stdout!, 'data'), exited]);
}

/** Big enough that a write takes a while, so kills land in the middle of writes too. */
function bigHostsFile(): string {
  const lines = ['127.0.0.1\tlocalhost', '::1 localhost ip6-localhost ip6-loopback'];
  for (let i = 0; i < 15_000; i++) lines.push(`# filler line ${i} keeps the write long enough to be interrupted`);
  return lines.join('\r\n') + '\r\n';
}

describe('writers in other processes', () => {
  it('a writer SIGKILLed at random moments leaves the old file or the new one, never a mix', async () => {
    const file = join(dir, 'killed-hosts');
    const original = bigHostsFile();
    const withBlock = addToBlock(original, file, '127.0.0.1', ['niniz.com', 'jordy.niniz.com'], '\n');
    await writeFile(file, original, 'latin1');
    const rand = seeded(42);
    for (let round = 0; round < 20; round++) {
      const child = start(['cycle', file]);
      await ready(child);
      await new Promise((r) => setTimeout(r, Math.floor(rand() * 120)));
      child.kill('SIGKILL');
      await once(child, 'exit');
      const now = await readFile(file, 'latin1');
      const state = now === original ? 'old' : now === withBlock ? 'new' : 'MIXED';
      expect(state, `round ${round}: ${now.length} bytes`).not.toBe('MIXED');
    }
    // The next edit takes over the dead writer's lock and clears its temp files.
    await removeHosts({ file, exec: noExec, argv0: [], interactive: false }, userSystem({ lockTimeoutMs: 2000 }));
    expect(await readFile(file, 'latin1')).toBe(original);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp') || f.endsWith('.lock'))).toEqual([]);
  }, 60_000);

  it('concurrent adds from several processes leave one block holding every name', async () => {
    for (let round = 0; round < 4; round++) {
      const file = join(dir, `concurrent-${round}`);
      const original = `127.0.0.1 localhost\n# round ${round}\n`;
      await writeFile(file, original);
      const names = ['a', 'b', 'c'].map((n) => `${n}${round}.niniz.com`);
      const children = names.map((name) => start(['add', file, name]));
      await Promise.all(children.map(ready));
      for (const child of children) child.stdin!.write('go\n');
      const codes = await Promise.all(children.map(async (child) => (await once(child, 'exit'))[0]));
      expect(codes).toEqual([0, 0, 0]);
      const entries = await readHostsBlock(file);
      expect(entries.flatMap((e) => e.names).sort()).toEqual([...names].sort());
      const text = await readFile(file, 'latin1');
      expect(text.startsWith(original)).toBe(true);
      expect(text.match(/# >>> expose-labs >>>/g)).toHaveLength(1);
    }
  }, 60_000);
});
