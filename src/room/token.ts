import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 128 random bits, URL-safe: short enough to read aloud as a join line, far too many to guess. */
export function newToken(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * Constant-time comparison. Both sides are hashed first so they have the same length: timingSafeEqual throws on
 * different lengths, and comparing lengths first would tell an attacker how long the token is.
 */
export function tokenMatches(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** `Authorization: Bearer T`, else `?token=T` (EventSource cannot set headers). */
export function tokenOf(authorization: string | undefined, url: URL): string | undefined {
  const match = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(authorization ?? '');
  return match?.[1] ?? url.searchParams.get('token') ?? undefined;
}
