import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateSelfSigned } from '../src/tls/certificate.js';

/**
 * Certificate generation with node-forge next to `openssl req -x509 -newkey rsa:2048` in the same run. RSA key
 * generation time varies a lot from one key to the next (it searches for primes), so runs alternate between the
 * two and medians are compared. openssl is timed as a learner would run it: a whole process.
 */

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function timeOpenssl(dir: string): number {
  const start = performance.now();
  const result = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      join(dir, 'niniz.key'),
      '-out',
      join(dir, 'niniz.cert'),
      '-days',
      '360',
      '-subj',
      '/CN=niniz.com',
    ],
    { stdio: 'ignore' },
  );
  const elapsed = performance.now() - start;
  if (result.error || result.status !== 0)
    throw new Error(`openssl req -x509 failed: ${result.error?.message ?? `exit ${result.status}`}`);
  return elapsed;
}

async function timeForge(): Promise<number> {
  const start = performance.now();
  await generateSelfSigned({ hosts: ['niniz.com'], days: 360 });
  return performance.now() - start;
}

export async function benchTls(
  runs: number,
): Promise<{ forgeMedianMs: number; opensslMedianMs: number; ratio: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'expose-labs-bench-tls-'));
  try {
    // One unmeasured round each: module loading and openssl's first start are not what is compared.
    await timeForge();
    timeOpenssl(dir);
    const forge: number[] = [];
    const openssl: number[] = [];
    for (let i = 0; i < runs; i++) {
      forge.push(await timeForge());
      openssl.push(timeOpenssl(dir));
    }
    const forgeMedianMs = median(forge);
    const opensslMedianMs = median(openssl);
    return { forgeMedianMs, opensslMedianMs, ratio: forgeMedianMs / opensslMedianMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await benchTls(Number(process.env.BENCH_RUNS ?? 15));
  console.log(
    `node-forge ${result.forgeMedianMs.toFixed(1)} ms, openssl ${result.opensslMedianMs.toFixed(1)} ms (medians), ratio ${result.ratio.toFixed(2)} (goal ≤ 1.5)`,
  );
}
