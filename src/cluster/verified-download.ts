import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { InterruptedError, UserError } from '../core/errors.js';
import { toolCommand } from '../platform/invocation.js';
import { makeFolders } from '../platform/folders.js';

export type Fetch = typeof globalThis.fetch;

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

export class ChecksumMismatchError extends UserError {
  override readonly name = 'ChecksumMismatchError';
  constructor(
    readonly url: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(
      {
        ko: `내려받은 파일의 sha256이 고정값과 다릅니다. 사용하지 않고 지웠습니다.\n  ${url}\n  기대: ${expected}\n  실제: ${actual}`,
        en: `The downloaded file's sha256 differs from the pinned one. It was deleted, not used.\n  ${url}\n  expected: ${expected}\n  actual:   ${actual}`,
      },
      {
        ko: `프록시나 미러가 다른 파일을 주고 있을 수 있습니다. 네트워크를 확인하고 다시 시도하거나, 강사에게 받은 오프라인 팩(${toolCommand()} unpack)을 쓰세요.`,
        en: `A proxy or mirror may be serving another file. Check the network and try again, or use an offline pack from your instructor (${toolCommand()} unpack).`,
      },
    );
  }
}

function downloadFailed(url: string, why: string): UserError {
  return new UserError(
    { ko: `내려받기에 실패했습니다: ${url}\n  ${why}`, en: `Download failed: ${url}\n  ${why}` },
    {
      ko: `네트워크를 확인하세요. 인터넷이 없는 곳이면 강사의 오프라인 팩을 ${toolCommand()} unpack DIR 로 푸세요.`,
      en: `Check the network. Without internet, load your instructor’s offline pack with ${toolCommand()} unpack DIR.`,
    },
  );
}

export interface VerifiedDownload {
  url: string;
  dest: string;
  /** The pinned sha256, or a way to read the published one (asked only after the download finished). */
  sha256: string | (() => Promise<string>);
  fetch: Fetch;
  signal?: AbortSignal;
  /** File mode to set before the file appears under its name (0o755 for programs). */
  mode?: number;
}

/**
 * Fetch `url` into a temporary file beside `dest`, hash it while it streams, and only when the hash is the
 * expected one give it its name. On any failure nothing is left behind.
 */
export async function downloadVerified(options: VerifiedDownload): Promise<void> {
  await makeFolders(dirname(options.dest));
  const part = `${options.dest}.part-${randomBytes(4).toString('hex')}`;
  try {
    const hash = createHash('sha256');
    let response: Response;
    try {
      response = await options.fetch(options.url, { signal: options.signal, redirect: 'follow' });
    } catch (error) {
      if (options.signal?.aborted) throw new InterruptedError();
      throw downloadFailed(
        options.url,
        error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error),
      );
    }
    if (!response.ok || !response.body) throw downloadFailed(options.url, `HTTP ${response.status}`);
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(
        Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
        hashing,
        createWriteStream(part),
      );
    } catch (error) {
      if (options.signal?.aborted) throw new InterruptedError();
      throw downloadFailed(options.url, error instanceof Error ? error.message : String(error));
    }
    const actual = hash.digest('hex');
    const expected = (typeof options.sha256 === 'string' ? options.sha256 : await options.sha256()).toLowerCase();
    if (actual !== expected) throw new ChecksumMismatchError(options.url, expected, actual);
    if (options.mode !== undefined) await chmod(part, options.mode);
    await rename(part, options.dest);
  } finally {
    await rm(part, { force: true });
  }
}

/** The first word of a published checksum file (`<hex>` or `<hex>  <name>`). */
export async function fetchPublishedSha256(url: string, fetch: Fetch, signal?: AbortSignal): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { signal, redirect: 'follow' });
  } catch (error) {
    if (signal?.aborted) throw new InterruptedError();
    throw downloadFailed(url, error instanceof Error ? error.message : String(error));
  }
  if (!response.ok) throw downloadFailed(url, `HTTP ${response.status}`);
  const word = (await response.text()).trim().split(/\s+/)[0] ?? '';
  if (!/^[0-9a-f]{64}$/i.test(word)) throw downloadFailed(url, 'not a sha256 checksum file');
  return word.toLowerCase();
}
