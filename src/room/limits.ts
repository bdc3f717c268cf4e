import type { IncomingMessage } from 'node:http';

/** What one request may carry: a full batch of the largest events fits with room to spare. */
export const MAX_BODY_BYTES = 256 * 1024;

export class BodyTooLarge extends Error {
  override readonly name = 'BodyTooLarge';
}

/** Read a request body, refusing (and stopping to read) past `max` bytes, whatever Content-Length claims. */
export async function readBody(req: IncomingMessage, max = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > max) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Per-seat token buckets. A workshop laptop sends an event every few seconds; a laptop back from an outage sends its
 * queue in batches. The burst allowance covers a full queue; a runaway or hostile seat is slowed to `perSecond`.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly burst = 1000,
    readonly perSecond = 20,
    private readonly now: () => number = Date.now,
  ) {}

  /** Take `n` tokens for `key`; returns 0 when granted, else the milliseconds to wait before trying again. */
  take(key: string, n: number): number {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= n) {
      bucket.tokens -= n;
      return 0;
    }
    return Math.ceil(((n - bucket.tokens) / this.perSecond) * 1000);
  }
}

/**
 * Seat ids cost nothing to make, addresses do: a few seats per address (a shared laptop, a NAT), not hundreds, so
 * one token holder cannot dodge the per-seat limit with fresh ids. Loopback is the instructor's own machine, which
 * may well hold a room's worth of simulated learners.
 */
export class SeatGate {
  private readonly byAddress = new Map<string, Set<string>>();

  constructor(readonly perAddress = 8) {}

  admit(address: string, seat: string): boolean {
    if (/^(127\.|::1$|::ffff:127\.)/.test(address)) return true;
    const known = this.byAddress.get(address) ?? new Set<string>();
    this.byAddress.set(address, known);
    if (!known.has(seat) && known.size >= this.perAddress) return false;
    known.add(seat);
    return true;
  }
}
