import { describe, expect, it } from 'vitest';
import { RateLimiter, SeatGate } from '../../src/room/limits.js';
import { newToken, tokenMatches, tokenOf } from '../../src/room/token.js';

describe('room token', () => {
  it('is 128 random bits, URL-safe, new each time', () => {
    const [a, b] = [newToken(), newToken()];
    expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(a).not.toBe(b);
  });

  it('matches only itself, whatever the length of the guess', () => {
    const token = newToken();
    expect(tokenMatches(token, token)).toBe(true);
    expect(tokenMatches(token.slice(0, -1), token)).toBe(false);
    expect(tokenMatches(token + 'x', token)).toBe(false);
    expect(tokenMatches('', token)).toBe(false);
    expect(tokenMatches(undefined, token)).toBe(false);
  });

  it('is read from a Bearer header, else from ?token=', () => {
    const url = new URL('http://room/api/stream?token=abc');
    expect(tokenOf('Bearer xyz', url)).toBe('xyz');
    expect(tokenOf(undefined, url)).toBe('abc');
    expect(tokenOf('Basic xyz', new URL('http://room/'))).toBeUndefined();
  });
});

describe('per-seat rate limit', () => {
  it('allows the burst, then refills at its rate, each seat on its own', () => {
    let now = 0;
    const limiter = new RateLimiter(10, 2, () => now);
    expect(limiter.take('a', 10)).toBe(0);
    expect(limiter.take('a', 1)).toBe(500);
    expect(limiter.take('b', 10)).toBe(0);
    now = 1000;
    expect(limiter.take('a', 2)).toBe(0);
    expect(limiter.take('a', 1)).toBeGreaterThan(0);
  });
});

describe('seats per address', () => {
  it('admits a few seats from one address, the same seat again, and any number from loopback', () => {
    const gate = new SeatGate(2);
    expect(gate.admit('192.168.0.20', 'a')).toBe(true);
    expect(gate.admit('192.168.0.20', 'b')).toBe(true);
    expect(gate.admit('192.168.0.20', 'c')).toBe(false);
    expect(gate.admit('192.168.0.20', 'a')).toBe(true);
    expect(gate.admit('192.168.0.21', 'c')).toBe(true);
    for (const seat of ['x', 'y', 'z']) expect(gate.admit('127.0.0.1', seat)).toBe(true);
    expect(gate.admit('::ffff:127.0.0.1', 'w')).toBe(true);
  });
});
