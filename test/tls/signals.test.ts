import { spawn, spawnSync } from 'node:child_process';
import { createPublicKey, X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { closeSync, existsSync, openSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seeded } from '../hosts/support.js';

/**
 * The built CLI under signals: Ctrl-C (SIGINT) and SIGTERM end every command within a second with 130 / 143, and a
 * kill at any moment of `tls generate` never leaves a key beside a certificate it does not belong to.
 * `EXPOSE_LABS_PROPERTY_RUNS=<n>` multiplies the kill rounds.
 */

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'dist', 'src', 'bin.js');
const RUNS = Math.max(1, Number(process.env.EXPOSE_LABS_PROPERTY_RUNS ?? 1) || 1);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'expose-labs-signals-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function start(args: string[]) {
  return spawn(process.execPath, [BIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, EXPOSE_LABS_HOME: join(dir, 'home'), LANG: 'C' },
  });
}

/** Is the key the certificate's? Both missing, or the key alone, is not a mismatch; a key with another cert is. */
async function pairState(out: string): Promise<'none' | 'key-only' | 'pair' | 'MISMATCH'> {
  const names = await readdir(out).catch(() => [] as string[]);
  const key = names.includes('niniz.key');
  const cert = names.includes('niniz.cert');
  if (!key && !cert) return 'none';
  if (!cert) return 'key-only';
  if (!key) return 'MISMATCH';
  const fromKey = createPublicKey(await readFile(join(out, 'niniz.key'))).export({ type: 'spki', format: 'der' });
  const fromCert = new X509Certificate(await readFile(join(out, 'niniz.cert'))).publicKey.export({
    type: 'spki',
    format: 'der',
  });
  return fromKey.equals(fromCert) ? 'pair' : 'MISMATCH';
}

describe.skipIf(!existsSync(BIN))('signals and kills on the built CLI', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)(
    'a command waiting on the hosts lock stops on %s within a second, exit %i, file untouched',
    async (signal, code) => {
      const file = join(dir, `locked-${signal}`);
      await writeFile(file, '127.0.0.1 localhost\n');
      // Held by this (live) process: the child waits for it, saying so after a second.
      await writeFile(`${file}.expose-labs.lock`, `${process.pid} 0123456789abcdef\n`);
      const child = start(['hosts', 'add', 'niniz.com', '--hosts-file', file, '--lang', 'en']);
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      while (!stderr.includes('Waiting for another expose-labs run')) await new Promise((r) => setTimeout(r, 50));
      const sent = Date.now();
      child.kill(signal);
      const [exitCode] = await once(child, 'exit');
      expect(Date.now() - sent).toBeLessThan(1000);
      expect(exitCode).toBe(code);
      expect(await readFile(file, 'utf8')).toBe('127.0.0.1 localhost\n');
    },
  );

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)(
    'tls generate, which cannot look at signals while the key is made, stops on %s within a second',
    async (signal, code) => {
      // The signal must land after Node has started (handlers installed) and before the key is done: a few tries.
      let landed = 0;
      for (let attempt = 0; attempt < 10 && landed === 0; attempt++) {
        const out = join(dir, `signal-${signal}-${attempt}`);
        const child = start(['tls', 'generate', '--host', 'niniz.com', '--out', out, '--days', '30']);
        const exited = once(child, 'exit');
        await new Promise((r) => setTimeout(r, 120 + (attempt % 5) * 60));
        const sent = Date.now();
        child.kill(signal);
        const [exitCode, bySignal] = await exited;
        expect(['none', 'pair']).toContain(await pairState(out));
        if (bySignal !== null || exitCode === 0) continue;
        expect(Date.now() - sent).toBeLessThan(1000);
        expect(exitCode).toBe(code);
        landed += 1;
      }
      expect(landed).toBe(1);
    },
  );

  it('a FIFO as the hosts file or the convert input is refused at once, not waited on forever', async () => {
    const fifo = join(dir, 'fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    for (const args of [
      ['hosts', 'add', 'niniz.com', '--hosts-file', fifo],
      ['hosts', 'show', '--hosts-file', fifo],
      ['convert', fifo],
    ]) {
      const child = start([...args, '--lang', 'en']);
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      const [exitCode] = await once(child, 'exit');
      clearTimeout(timer);
      expect(exitCode, args.join(' ')).toBe(1);
      expect(stderr, args.join(' ')).toContain('is a FIFO');
    }
  });

  it('output to a full disk (> /dev/full) is one clear line and exit 1, no stack trace', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const result = spawnSync(process.execPath, [BIN, 'list', '--lang', 'en'], {
        stdio: ['ignore', full, 'pipe'],
        env: { PATH: process.env.PATH, EXPOSE_LABS_HOME: join(dir, 'home') },
        encoding: 'utf8',
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toBe('✖ Cannot write the output: the disk is full\n');
    } finally {
      closeSync(full);
    }
  });

  it('hosts add with its output on a full disk changes nothing', async () => {
    const file = join(dir, 'full-disk-hosts');
    await writeFile(file, '127.0.0.1 localhost\n');
    const full = openSync('/dev/full', 'w');
    try {
      const result = spawnSync(process.execPath, [BIN, 'hosts', 'add', 'niniz.com', '--hosts-file', file], {
        stdio: ['ignore', full, 'pipe'],
        env: { PATH: process.env.PATH, EXPOSE_LABS_HOME: join(dir, 'home'), LANG: 'C' },
        encoding: 'utf8',
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('Cannot write the output: the disk is full');
    } finally {
      closeSync(full);
    }
    expect(await readFile(file, 'utf8')).toBe('127.0.0.1 localhost\n');
  });

  it(
    `property: ${6 * RUNS} tls generate runs SIGKILLed at random moments never leave a mismatched pair`,
    async () => {
      const out = join(dir, 'killed');
      const args = ['tls', 'generate', '--host', 'niniz.com', '--out', out, '--days', '30', '--force'];
      // How long one whole run takes here, so the kills land around the writes at its end, not only in start-up.
      const started = Date.now();
      const first = start(args);
      await once(first, 'exit');
      const whole = Date.now() - started;
      const rand = seeded(20_261_201);
      const seen: Record<string, number> = {};
      for (let round = 0; round < 6 * RUNS; round++) {
        const before = await readFile(join(out, 'niniz.cert'), 'utf8').catch(() => '');
        const child = start(args);
        const exited = once(child, 'exit');
        await new Promise((r) => setTimeout(r, Math.floor(whole * (0.5 + 0.6 * rand()))));
        child.kill('SIGKILL');
        await exited;
        const state = await pairState(out);
        const after = await readFile(join(out, 'niniz.cert'), 'utf8').catch(() => '');
        const label = state === 'pair' ? (after === before ? 'old pair' : 'new pair') : state;
        seen[label] = (seen[label] ?? 0) + 1;
        expect(state, `round ${round}`).not.toBe('MISMATCH');
      }
      if (RUNS > 1) console.info(`tls kills: ${6 * RUNS} kills, states ${JSON.stringify(seen)}, one run ${whole} ms`);
    },
    60_000 + 6 * RUNS * 6_000,
  );
});
