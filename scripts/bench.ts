import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../src/platform/paths.js';
import { benchTls } from './bench-tls.js';

/**
 * `npm run bench`: start-up time of the CLI next to `node -e 0` on the same machine in the same run (goal: `--help`
 * within twice `node -e 0`), and certificate generation next to openssl (goal: within 1.5 times).
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const cli = join(packageRoot(), 'dist', 'src', 'bin.js');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function time(args: string[]): number {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, {
      stdio: 'ignore',
      env: { ...process.env, EXPOSE_LABS_HOME: join(packageRoot(), '.tmp', 'bench-home') },
    });
    if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}`);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
}

const baseline = time(['-e', '0']);
const help = time([cli, '--help']);
const list = time([cli, 'list']);
const rows: [string, number][] = [
  ['node -e 0', baseline],
  ['expose-labs --help', help],
  ['expose-labs list', list],
];
console.log(`median of ${RUNS} runs each (ms), node ${process.version}`);
for (const [name, ms] of rows)
  console.log(`  ${name.padEnd(22)} ${ms.toFixed(1).padStart(8)}   ${(ms / baseline).toFixed(2)}× node -e 0`);
const tls = await benchTls(Math.max(5, Math.round(RUNS / 2)));
console.log(`certificate (RSA-2048, self-signed, 360 days)`);
console.log(`  node-forge             ${tls.forgeMedianMs.toFixed(1).padStart(8)}`);
console.log(
  `  openssl req -x509      ${tls.opensslMedianMs.toFixed(1).padStart(8)}   ratio ${tls.ratio.toFixed(2)} (goal ≤ 1.5)`,
);
const helpRatio = help / baseline;
console.log(`--help ratio ${helpRatio.toFixed(2)} (goal ≤ 2.0): ${helpRatio <= 2 ? 'ok' : 'OVER GOAL'}`);
