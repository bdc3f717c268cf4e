import { UsageError } from '../core/errors.js';
import { writeHostsContent } from '../hosts/hosts-file.js';
import type { CommandRun } from './types.js';
import { toolCommand } from '../platform/invocation.js';

/**
 * Hidden: the only part of the tool that runs under sudo (hosts/privilege.ts). Reads the new hosts file
 * from stdin and writes it only if the file still hashes to --expect-sha256 and only the expose-labs block differs.
 */

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

export const run: CommandRun = async (env, input) => {
  const file = input.opts.file as string | undefined;
  const expectSha256 = input.opts.expectSha256 as string | undefined;
  const internal = {
    ko: `hosts-write 는 expose-labs 가 sudo로 직접 부르는 내부 명령입니다. hosts 파일은 ${toolCommand()} hosts add|remove 로 고치세요.`,
    en: `hosts-write is internal: expose-labs runs it under sudo itself. Change the hosts file with ${toolCommand()} hosts add|remove.`,
  };
  if (!file || !expectSha256 || !/^[0-9a-f]{64}$/i.test(expectSha256)) {
    throw new UsageError(
      {
        ko: '--file 과 --expect-sha256 (64자리 16진수)이 필요합니다.',
        en: '--file and --expect-sha256 (64 hex digits) are required.',
      },
      internal,
    );
  }
  if (env.io.stdin.isTTY)
    throw new UsageError(
      { ko: '새 내용은 표준 입력으로 받습니다.', en: 'The new content is read from standard input.' },
      internal,
    );
  const content = await readAll(env.io.stdin);
  const result = await writeHostsContent({ file, expectSha256, content, exec: env.deps.exec, signal: env.signal });
  for (const warning of result.warnings) env.out.warn(warning);
  return 0;
};
