import { randomBytes } from 'node:crypto';
import { link, readdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { InterruptedError, UserError } from '../core/errors.js';
import type { Message } from '../core/i18n.js';
import { sleep } from '../core/poll.js';
import { isProcessAlive } from '../platform/processes.js';

/**
 * A lock file, so two runs editing the same hosts file take turns. It holds `<pid> <token>` from the moment it
 * exists: the token is written to a private file first and then hard-linked to the lock path, which fails if the
 * lock exists (as exclusive as O_EXCL, without an empty lock a killed run could leave behind). A lock whose process
 * is gone, or that is older than any edit can take, is stale and taken over, and so are the token files of runs
 * killed between writing and linking theirs (`<lock>.<pid>-<hex>`).
 */

export interface LockOptions {
  /** How long to wait for another run before giving up. */
  timeoutMs?: number;
  /** A lock older than this is stale even if its pid is alive again (pid reuse). An edit takes milliseconds. */
  staleMs?: number;
  signal?: AbortSignal;
  /** Told once, after a second of waiting, who holds the lock: a long wait is never silent. */
  onWait?: (message: Message) => void;
}

const WAIT_NOTICE_MS = 1000;

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

const PENDING = /^(.+)\.(\d+)-[0-9a-f]{16}$/;

async function removeDeadTokens(lockFile: string): Promise<void> {
  const entries = await readdir(dirname(lockFile)).catch(() => [] as string[]);
  for (const entry of entries) {
    const match = PENDING.exec(entry);
    if (!match || match[1] !== basename(lockFile) || isProcessAlive(Number(match[2]))) continue;
    await unlink(join(dirname(lockFile), entry)).catch(() => undefined);
  }
}

async function acquire(
  lockFile: string,
  token: string,
  options: Required<Omit<LockOptions, 'signal' | 'onWait'>> & Pick<LockOptions, 'signal' | 'onWait'>,
) {
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  let delay = 10;
  let told = false;
  await removeDeadTokens(lockFile);
  for (;;) {
    const [pid, hex] = token.trim().split(' ');
    const pending = `${lockFile}.${pid}-${hex}`;
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
    if (!told && Date.now() - started > WAIT_NOTICE_MS) {
      told = true;
      const who = holder?.pid ? ` (pid ${holder.pid})` : '';
      options.onWait?.({
        ko: `다른 expose-labs 실행${who}이 hosts 파일을 고치는 중이라 기다립니다 (최대 ${Math.round(options.timeoutMs / 1000)}초, 잠금 ${lockFile}).`,
        en: `Waiting for another expose-labs run${who} that is editing the hosts file (up to ${Math.round(options.timeoutMs / 1000)} s; lock ${lockFile}).`,
      });
    }
    if (Date.now() > deadline) {
      const who = holder?.pid ? ` (pid ${holder.pid})` : '';
      throw new UserError(
        {
          ko: `다른 expose-labs 실행${who}이 hosts 파일을 고치고 있습니다.`,
          en: `Another expose-labs run${who} is editing the hosts file.`,
        },
        {
          ko: `그 실행이 끝난 뒤 다시 시도하세요. 남은 잠금 파일이라면 지워도 됩니다: ${lockFile}`,
          en: `Try again when it has finished. If it is a leftover, you may delete the lock file: ${lockFile}`,
        },
      );
    }
    await sleep(delay, options.signal);
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
    onWait: options.onWait,
  });
  try {
    return await fn();
  } finally {
    await removeIfUnchanged(lockFile, token);
  }
}
