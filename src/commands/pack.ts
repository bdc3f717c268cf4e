import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bytesPerLaptop, megabytes, offlineInstallCommands, pack } from '../cluster/offline-pack.js';
import { EXIT, UsageError, UserError } from '../core/errors.js';
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
  if (!env.options.dryRun) await requireEngine(env);
  const reporter = createReporter(env.out, { plain: choosePlain(env.io, env.options.verbose), signal: env.signal });
  const result = await pack(dir, {
    exec: env.deps.exec,
    cacheDir: defaultCache(env.io.env),
    reporter,
    signal: env.signal,
    dryRun: env.options.dryRun,
    createdBy: toolVersion(),
    fetch: globalThis.fetch,
    packageRoot: packageRoot(),
  });
  if (!env.options.dryRun) {
    // DIR, as the text says and README.md shows: the stick's path on each laptop is not this machine's.
    const steps = offlineInstallCommands('DIR', result)
      .map((c) => `  ${c}`)
      .join('\n');
    const sizes = result.platforms.map((p) => `${p} ${megabytes(bytesPerLaptop(result, p))}`).join(', ');
    env.out.print({
      ko: `노트북 한 대가 받는 이미지 크기 (docker save 기준): ${sizes}`,
      en: `Image bytes per laptop (as docker save writes them): ${sizes}`,
    });
    env.out.print({
      ko: `팩을 만들었습니다: ${dir} (이미지 ${result.images.length}개 × ${result.platforms.join(', ')}, 매니페스트 ${result.manifests.length}개, kind·kubectl ${result.tools.length}개)\n폴더를 USB에 복사한 뒤, 인터넷이 없는 노트북마다 (DIR은 USB 안의 이 폴더):\n${steps}`,
      en: `Pack ready: ${dir} (${result.images.length} images × ${result.platforms.join(', ')}, ${result.manifests.length} manifests, ${result.tools.length} kind/kubectl binaries)\nCopy the folder to a USB stick; then on each laptop without internet (DIR being this folder on the stick):\n${steps}`,
    });
  }
  return EXIT.ok;
}

/** Before a folder is made or a byte saved: a pack needs a running Docker engine (`docker save` writes the images). */
async function requireEngine(env: CommandEnv): Promise<void> {
  const info = await env.deps.exec(
    { file: 'docker', args: ['info', '--format', '{{json .ServerVersion}}'] },
    { signal: env.signal },
  );
  if (!info.failed) return;
  throw new UserError(
    {
      ko: 'Docker 엔진이 돌고 있지 않아 팩을 만들 수 없습니다.',
      en: 'The Docker engine is not running, so no pack can be made.',
    },
    {
      ko: `Docker를 켠 뒤 다시 하세요 (${toolCommand()} doctor 가 무엇이 빠졌는지 알려 줍니다).`,
      en: `Start Docker and try again (${toolCommand()} doctor says what is missing).`,
    },
  );
}
