import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeFolders } from '../../src/platform/folders.js';
import { tempDir } from '../hosts/support.js';

describe('makeFolders', () => {
  it('makes the missing folders with the mode asked for, and is content when they exist', async () => {
    const dir = join(await tempDir('expose-labs-folders-'), 'a', 'b');
    await makeFolders(dir, 0o700);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    await makeFolders(dir);
    expect((await stat(dir)).isDirectory()).toBe(true);
  });

  it.skipIf(process.platform !== 'linux')(
    'fails with a code where Node 20’s recursive mkdir never returns',
    async () => {
      await expect(makeFolders('/proc/1/x/y')).rejects.toMatchObject({ code: expect.any(String) });
    },
  );
});
