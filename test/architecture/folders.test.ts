import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filesUnder, linesMatching } from './source-files.js';

/**
 * Folders are made through platform/folders.ts (makeFolders): Node 20's recursive mkdir can spin forever on some
 * errors instead of failing (a path under /proc, for one), which would hang a learner's command without a word.
 */
const SRC = join(import.meta.dirname, '../../src');
const RECURSIVE_MKDIR = /\bmkdir(Sync)?\([^;]*recursive\s*:\s*true/;

describe('making folders', () => {
  it('no module but platform/folders.ts calls a recursive mkdir', () => {
    const others = filesUnder(SRC, '.ts').filter((file) => relative(SRC, file) !== join('platform', 'folders.ts'));
    const found = linesMatching(others, join(SRC, '..'), RECURSIVE_MKDIR);
    expect(found).toEqual([]);
  });

  it('the rule sees one', () => {
    expect(RECURSIVE_MKDIR.test('  await mkdir(dirname(file), { recursive: true });')).toBe(true);
    expect(RECURSIVE_MKDIR.test('mkdirSync(dir, { mode: 0o700, recursive: true })')).toBe(true);
    expect(RECURSIVE_MKDIR.test('  await makeFolders(dirname(file));')).toBe(false);
    expect(RECURSIVE_MKDIR.test('  await rm(dir, { recursive: true, force: true });')).toBe(false);
  });
});
