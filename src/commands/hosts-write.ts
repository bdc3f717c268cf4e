import { EXIT, UsageError, UserError } from '../core/errors.js';
import { MAX_HOSTS_BYTES } from '../hosts/commit.js';
import { currentHostsSystem, writeHostsContent, type HostsSystem } from '../hosts/hosts-file.js';
import type { CommandRun } from './types.js';
import { toolCommand } from '../platform/invocation.js';

/**
 * Hidden: the only part of the tool that runs under sudo (hosts/privilege.ts). Reads the new hosts file from stdin
 * and writes it only where hosts/helper-rules.ts allows: the system hosts file (or the one configured), still
 * hashing to --expect-sha256, only the expose-labs block changed, every line of it one the tool writes.
 */

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
    length += bytes.length;
    if (length > MAX_HOSTS_BYTES)
      throw new UserError({
        ko: `hosts-write: 새 내용이 ${MAX_HOSTS_BYTES} 바이트를 넘습니다.`,
        en: `hosts-write: the new content exceeds ${MAX_HOSTS_BYTES} bytes.`,
      });
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

/** The command on a given machine; tests pass one whose rules name their temp file. */
export const hostsWriteCommand =
  (system: () => HostsSystem): CommandRun =>
  async (env, input) => {
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
    const result = await writeHostsContent(
      { file, expectSha256, content, exec: env.deps.exec, signal: env.signal },
      system(),
    );
    for (const warning of result.warnings) env.out.warn(warning);
    return EXIT.ok;
  };

export const run = hostsWriteCommand(currentHostsSystem);
