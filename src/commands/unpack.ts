import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { engineImagePlatform, unpack } from '../cluster/offline-pack.js';
import { goPlatform } from '../cluster/tools.js';
import { EXIT, UsageError, UserError } from '../core/errors.js';
import { defaultCache } from '../platform/paths.js';
import { choosePlain, createReporter } from '../ui/tasks.js';
import type { CommandEnv, CommandInput } from './types.js';
import { toolCommand } from '../platform/invocation.js';

/** `expose-labs unpack DIR`: check and load a pack so that `start` needs no network. */
export async function run(env: CommandEnv, input: CommandInput): Promise<number> {
  const arg = input.args[0];
  if (!arg)
    throw new UsageError({
      ko: `팩 폴더를 주세요: ${toolCommand()} unpack DIR`,
      en: `Name the pack folder: ${toolCommand()} unpack DIR`,
    });
  const dir = resolve(arg);
  // Said before anything asks Docker: a mistyped folder is the likelier problem than the engine.
  if (!existsSync(dir))
    throw new UserError(
      { ko: `팩 폴더가 없습니다: ${dir}`, en: `There is no pack folder at ${dir}.` },
      { ko: 'USB 안의 팩 폴더 경로를 주세요.', en: 'Give the path of the pack folder on the USB stick.' },
    );
  if (!existsSync(join(dir, 'manifest.json')))
    throw new UserError(
      { ko: `${dir} 은 팩이 아닙니다 (manifest.json 이 없음).`, en: `${dir} is not a pack (it has no manifest.json).` },
      {
        ko: `${toolCommand()} pack DIR 로 만든 폴더를 주세요.`,
        en: `Give a folder made with ${toolCommand()} pack DIR.`,
      },
    );
  const reporter = createReporter(env.out, { plain: choosePlain(env.io, env.options.verbose), signal: env.signal });
  await unpack(dir, {
    exec: env.deps.exec,
    cacheDir: defaultCache(env.io.env),
    reporter,
    signal: env.signal,
    dryRun: env.options.dryRun,
    platform: await engineImagePlatform(env.deps.exec, env.signal),
    toolPlatform: goPlatform(),
    os: process.platform,
  });
  if (!env.options.dryRun) {
    env.out.print({
      ko: `팩을 불러왔습니다. 이제 ${toolCommand()} start 는 이미지, 매니페스트, kind와 kubectl을 내려받지 않습니다.`,
      en: `Pack loaded. ${toolCommand()} start will now use these images, manifests, kind and kubectl instead of downloading them.`,
    });
  }
  return EXIT.ok;
}
