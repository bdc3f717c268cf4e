import { randomBytes } from 'node:crypto';
import { link, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { InterruptedError, UserError } from '../core/errors.js';

/**
 * A lock file, so two runs editing the same hosts file take turns. It holds `<pid> <token>` from the moment it
 * exists: the token is written to a private file first and then hard-linked to the lock path, which fails if the
 * lock exists (as exclusive as O_EXCL, without an empty lock a killed run could leave behind). A lock whose process
 * is gone, or that is older than any edit can take, is stale and taken over.
 */

export interface LockOptions {
  /** How long to wait for another run before giving up. */
  timeoutMs?: number;
  /** A lock older than this is stale even if its pid is alive again (pid reuse). An edit takes milliseconds. */
  staleMs?: number;
  signal?: AbortSignal;
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else (root, through sudo).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface Holder {
  content: string;
  pid: number | undefined;
  ageMs: number;
}

async function readHolder(lockFile: string): Promise<Holder | undefined> {
  try {
    const [content, info] = await Promise.all([readFile(lockFile, 'utf8'), stat(lockFile)]);
    const pid = Number(content.split(' ')[0]);
    return { content, pid: Number.isInteger(pid) && pid > 0 ? pid : undefined, ageMs: Date.now() - info.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function isStale(holder: Holder, staleMs: number): boolean {
  if (holder.ageMs > staleMs || holder.pid === undefined) return true;
  return !isProcessAlive(holder.pid);
}

/** Remove the lock only if it is still the one judged stale (another run may have replaced it meanwhile). */
async function removeIfUnchanged(lockFile: string, content: string): Promise<void> {
  const now = await readHolder(lockFile);
  if (now?.content === content) await unlink(lockFile).catch(() => undefined);
}

async function acquire(
  lockFile: string,
  token: string,
  options: Required<Omit<LockOptions, 'signal'>> & { signal?: AbortSignal },
) {
  const deadline = Date.now() + options.timeoutMs;
  let delay = 10;
  for (;;) {
    const pending = `${lockFile}.${token.split(' ')[1]!.trim()}`;
    await writeFile(pending, token, { mode: 0o644 });
    try {
      await link(pending, lockFile);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      await unlink(pending).catch(() => undefined);
    }
    const holder = await readHolder(lockFile);
    if (holder && isStale(holder, options.staleMs)) {
      await removeIfUnchanged(lockFile, holder.content);
      continue;
    }
    if (options.signal?.aborted) throw new InterruptedError();
    if (Date.now() > deadline) {
      const who = holder?.pid ? ` (pid ${holder.pid})` : '';
      throw new UserError(
        {
          ko: `다른 expose-labs 실행${who}이(가) hosts 파일을 고치고 있습니다.`,
          en: `Another expose-labs run${who} is editing the hosts file.`,
        },
        {
          ko: `그 실행이 끝난 뒤 다시 시도하세요. 남은 잠금 파일이라면 지워도 됩니다: ${lockFile}`,
          en: `Try again when it has finished. If it is a leftover, you may delete the lock file: ${lockFile}`,
        },
      );
    }
    await sleep(delay);
    delay = Math.min(delay * 2, 200);
  }
}

/** Run `fn` while holding `lockFile`; the lock is released even when `fn` throws. */
export async function withFileLock<T>(lockFile: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const token = `${process.pid} ${randomBytes(8).toString('hex')}\n`;
  await acquire(lockFile, token, {
    timeoutMs: options.timeoutMs ?? 15_000,
    staleMs: options.staleMs ?? 60_000,
    signal: options.signal,
  });
  try {
    return await fn();
  } finally {
    await removeIfUnchanged(lockFile, token);
  }
}
