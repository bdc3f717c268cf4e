import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run as hosts } from '../../src/commands/hosts.js';
import { run as pack } from '../../src/commands/pack.js';
import { run as unpack } from '../../src/commands/unpack.js';
import { UserError } from '../../src/core/errors.js';
import type { Exec } from '../../src/platform/command.js';
import { commandEnv } from '../support/command-env.js';

/** What a command checks before it does anything, so a wrong path or a stopped engine is said first and plainly. */
const noDaemon: Exec = async (command) => {
  if (command.file === 'docker' && command.args[0] === 'info')
    return {
      exitCode: 1,
      stdout: '',
      stderr: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
      failed: true,
      timedOut: false,
    };
  throw new Error(`no other command expected: ${command.file} ${command.args.join(' ')}`);
};

async function failure(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

describe('first checks', () => {
  it('hosts show names a missing hosts file instead of saying it has no entries', async () => {
    const { env } = commandEnv({ options: { hostsFile: '/nonexistent/etc/hosts' } });
    const error = await failure(hosts(env, { args: ['show'], opts: {} }));
    expect(error.text).toMatchObject({ en: 'There is no hosts file at /nonexistent/etc/hosts.' });
  });

  it('unpack names a missing folder, or a folder that is not a pack, before asking Docker anything', async () => {
    const { env } = commandEnv();
    const missing = await failure(unpack(env, { args: ['/nonexistent/pack'], opts: {} }));
    expect(missing.text).toMatchObject({ en: 'There is no pack folder at /nonexistent/pack.' });
    const empty = await mkdtemp(join(tmpdir(), 'expose-labs-not-a-pack-'));
    const notPack = await failure(unpack(env, { args: [empty], opts: {} }));
    expect(notPack.text).toMatchObject({ en: `${empty} is not a pack (it has no manifest.json).` });
  });

  it('pack with a stopped Docker engine says so once and makes no folder', async () => {
    const { env } = commandEnv({ exec: noDaemon });
    const dir = join(await mkdtemp(join(tmpdir(), 'expose-labs-pack-')), 'pack');
    const error = await failure(pack(env, { args: [dir], opts: {} }));
    expect(error.text).toMatchObject({ en: 'The Docker engine is not running, so no pack can be made.' });
    expect(existsSync(dir)).toBe(false);
  });
});
