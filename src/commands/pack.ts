import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pack } from '../cluster/offline-pack.js';
import { UsageError } from '../core/errors.js';
import { defaultCache, packageRoot } from '../platform/paths.js';
import { choosePlain, createReporter } from '../ui/tasks.js';
import type { CommandEnv, CommandInput } from './types.js';
import { toolCommand } from '../platform/invocation.js';

function toolVersion(): string {
  return `expose-labs ${(JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version}`;
}

/** `expose-labs pack DIR`: every pinned image and manifest into DIR, for a room without good network. */
export async function run(env: CommandEnv, input: CommandInput): Promise<number> {
  const arg = input.args[0];
  if (!arg)
    throw new UsageError({
      ko: `폴더를 주세요: ${toolCommand()} pack DIR`,
      en: `Name a folder: ${toolCommand()} pack DIR`,
    });
  const dir = resolve(arg);
  const reporter = createReporter(env.out, { plain: choosePlain(env.io, env.options.verbose), signal: env.signal });
  const result = await pack(dir, {
    exec: env.deps.exec,
    cacheDir: defaultCache(env.io.env),
    reporter,
    signal: env.signal,
    dryRun: env.options.dryRun,
    createdBy: toolVersion(),
    fetch: globalThis.fetch,
  });
  if (!env.options.dryRun) {
    env.out.print({
      ko: `팩을 만들었습니다: ${dir} (이미지 ${result.images.length}개, 매니페스트 ${result.manifests.length}개)\n각 노트북에서: ${toolCommand()} unpack ${dir}`,
      en: `Pack ready: ${dir} (${result.images.length} images, ${result.manifests.length} manifests)\nOn each laptop: ${toolCommand()} unpack ${dir}`,
    });
  }
  return 0;
}
