import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { emptyProgress, ProgressStore } from '../src/engine/progress.js';
import { packageRoot } from '../src/platform/paths.js';
import { benchTls } from './bench-tls.js';

/**
 * `npm run bench`: start-up time of the CLI next to `node -e 0` on the same machine in the same run (goals below), and certificate generation next to openssl (goal: within 1.5 times).
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const cli = join(packageRoot(), 'dist', 'src', 'bin.js');
const home = join(packageRoot(), '.tmp', 'bench-home');

// A learner part-way through, as the tool saves it: list and status read a real progress file.
rmSync(home, { recursive: true, force: true });
const progress = emptyProgress('expose-labs');
progress.labs.nodeport = { done: ['create-service'], skipped: [], results: {}, predictions: [], events: [] };
await new ProgressStore(join(home, 'expose-labs', 'progress.json'), 'expose-labs').save(progress);

/**
 * What any ES-module CLI on commander pays before a line of ours runs, so the ratios below can be read against it:
 * an ES module that imports nothing, and one that requires commander as src/commander.ts does.
 */
const FLOORS: [string, string][] = [
  ['empty ES module', ''],
  [
    'ES module + commander',
    "import { createRequire } from 'node:module'; createRequire(import.meta.url)('commander');",
  ],
];
const floorFiles = FLOORS.map(([, source], i) => {
  const file = join(packageRoot(), '.tmp', `bench-floor-${i}.mjs`);
  writeFileSync(file, source + '\n');
  return file;
});

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function once(args: string[], env: NodeJS.ProcessEnv): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: 'ignore', env: { ...env, EXPOSE_LABS_HOME: home } });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Start-up goals, as multiples of `node -e 0` measured in the same run. */
const GOALS: [string, string[], number][] = [
  ['expose-labs --help', ['--help'], 1.5],
  ['expose-labs list', ['list'], 2],
  ['expose-labs show nodeport', ['show', 'nodeport'], 2],
  ['expose-labs status', ['status'], 2],
];

/**
 * With NODE_EXTRA_CA_CERTS set, node (OpenSSL 3) reads those certificates as it starts (nodejs/node#40524):
 * measured on the development machine, `node -e 0` took 60–90 ms with it and 25–30 ms without, while this CLI's
 * commands gained only 20–40 ms. A ratio taken with it set hides most of what the CLI itself costs, so the run is
 * repeated without it, which is also how most learners' machines are.
 */
const environments: [string, NodeJS.ProcessEnv][] = [['this environment', process.env]];
if (process.env.NODE_EXTRA_CA_CERTS) {
  const { NODE_EXTRA_CA_CERTS: _certs, ...clean } = process.env;
  environments.push(['without NODE_EXTRA_CA_CERTS', clean]);
}

let over = 0;
for (const [label, env] of environments) {
  // Round by round, every command once, so that a machine getting busier or quieter part-way weighs on all alike.
  const runs: number[][] = [[], ...GOALS.map(() => [])];
  const floors: number[][] = FLOORS.map(() => []);
  for (let i = 0; i < RUNS; i++) {
    runs[0]!.push(once(['-e', '0'], env));
    floorFiles.forEach((file, f) => floors[f]!.push(once([file], env)));
    GOALS.forEach(([, args], g) => runs[g + 1]!.push(once([cli, ...args], env)));
  }
  const baseline = median(runs[0]!);
  console.log(`${label}: median of ${RUNS} runs each (ms), node ${process.version}`);
  console.log(`  ${'node -e 0'.padEnd(28)} ${baseline.toFixed(1).padStart(8)}`);
  for (const [f, [name]] of FLOORS.entries()) {
    const ms = median(floors[f]!);
    console.log(
      `  ${`floor: ${name}`.padEnd(28)} ${ms.toFixed(1).padStart(8)}   ${(ms / baseline).toFixed(2)}× node -e 0`,
    );
  }
  for (const [g, [name, , goal]] of GOALS.entries()) {
    const ms = median(runs[g + 1]!);
    const ratio = ms / baseline;
    if (ratio > goal) over++;
    console.log(
      `  ${name.padEnd(28)} ${ms.toFixed(1).padStart(8)}   ${ratio.toFixed(2)}× node -e 0 (goal ≤ ${goal}): ${ratio <= goal ? 'ok' : 'OVER GOAL'}`,
    );
  }
}
const tls = await benchTls(Math.max(5, Math.round(RUNS / 2)));
console.log(`certificate (RSA-2048, self-signed, 360 days)`);
console.log(`  node-forge             ${tls.forgeMedianMs.toFixed(1).padStart(8)}`);
console.log(
  `  openssl req -x509      ${tls.opensslMedianMs.toFixed(1).padStart(8)}   ratio ${tls.ratio.toFixed(2)} (goal ≤ 1.5)`,
);
if (over > 0) console.log(`${over} start-up goal(s) not met`);
