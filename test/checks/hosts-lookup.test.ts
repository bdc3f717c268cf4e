import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lookupHostsFile, parseHostsText } from '../../src/hosts/lookup.js';

const SAMPLE =
  '\uFEFF# comment line\r\n127.0.0.1\tlocalhost\r\n::1 localhost ip6-localhost # inline comment\r\n\r\nnot-an-ip foo\r\n172.18.0.5 niniz.com Jordy.Niniz.com\r\n127.0.0.1 niniz.com\r\n10.0.0.1\n';

describe('hosts lookup', () => {
  it('parses entries, dropping comments, blank lines, bad addresses and lines without names', () => {
    expect(parseHostsText(SAMPLE)).toEqual([
      { address: '127.0.0.1', names: ['localhost'] },
      { address: '::1', names: ['localhost', 'ip6-localhost'] },
      { address: '172.18.0.5', names: ['niniz.com', 'Jordy.Niniz.com'] },
      { address: '127.0.0.1', names: ['niniz.com'] },
    ]);
  });

  it('looks a name up case-insensitively, every address in file order', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hosts-'));
    const file = join(dir, 'hosts');
    await writeFile(file, SAMPLE);
    expect(await lookupHostsFile(file, 'niniz.com')).toEqual(['172.18.0.5', '127.0.0.1']);
    expect(await lookupHostsFile(file, 'jordy.niniz.com')).toEqual(['172.18.0.5']);
    expect(await lookupHostsFile(file, 'localhost')).toEqual(['127.0.0.1', '::1']);
    expect(await lookupHostsFile(file, 'scappy.niniz.com')).toEqual([]);
  });

  it('a missing file has no entries', async () => {
    expect(await lookupHostsFile('/nonexistent/dir/hosts', 'niniz.com')).toEqual([]);
  });

  it('a FIFO in place of the hosts file is refused at once, not read forever', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hosts-'));
    const fifo = join(dir, 'fifo');
    const { spawnSync } = await import('node:child_process');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    await expect(lookupHostsFile(fifo, 'niniz.com')).rejects.toThrow(/is a FIFO/);
  });
});
