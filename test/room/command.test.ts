import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { captureIo } from '../support/capture-io.js';
import { tempDir } from './support.js';

describe('room serve (the command)', () => {
  it.each([
    ['is not JSON', '{'],
    ['is of another shape', '{"token": 1}\n'],
  ])('--resume where room.json %s: one line saying there is no room, exit 1', async (_what, content) => {
    const dir = await tempDir();
    await writeFile(join(dir, 'room.json'), content);
    const t = captureIo({ EXPOSE_LABS_HOME: join(dir, 'home') });
    const code = await main(
      ['room', 'serve', '--resume', '--bind', '127.0.0.1', '--port', '0', '--dir', dir, '--lang', 'en'],
      {
        io: t.io,
      },
    );
    expect(code).toBe(1);
    expect(t.stderr()).toContain(`There is no room to resume in ${dir}.`);
    expect(t.stderr()).not.toMatch(/SyntaxError|\n\s+at /);
  });

  it.skipIf(process.platform !== 'linux')(
    'a --dir that cannot be made: one line naming it, exit 1 (never a hang)',
    async () => {
      const t = captureIo({ EXPOSE_LABS_HOME: join(await tempDir(), 'home') });
      const argv = ['room', 'serve', '--bind', '127.0.0.1', '--port', '0', '--dir', '/proc/1/x/y', '--lang', 'en'];
      expect(await main(argv, { io: t.io })).toBe(1);
      expect(t.stderr()).toContain('Cannot write /proc/1/x/y: its folder does not exist');
    },
  );
});
