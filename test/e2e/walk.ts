import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClusterOptions } from '../../src/cluster/types.js';
import type { Reporter } from '../../src/core/reporter.js';
import { loadLabs } from '../../src/engine/lab-loader.js';
import { packageRoot } from '../../src/platform/paths.js';
import {
  createDoubleProvider,
  freeHostPorts,
  type DoublePlatform,
  type DoubleProvider,
} from '../support/cluster-double/index.js';

/** Every lab in labs/, in menu order: a lab added there is walked without touching the tests. */
export const LAB_IDS: readonly string[] = (await loadLabs(packageRoot())).map((lab) => lab.id);

/** A double brought up for `expose-labs` commands, and the flags that point them at it. */
export interface Walk {
  platform?: DoublePlatform;
  provider: DoubleProvider;
  flags: string[];
  env: NodeJS.ProcessEnv;
  options: ClusterOptions;
}

const reporter: Reporter = { task: (_title, run) => run(new AbortController().signal), note: () => {} };

/** A double (for the laptop `platform` stands for) on free ports, with its own home and hosts file. */
export async function setUp(platform?: DoublePlatform): Promise<Walk> {
  const provider = createDoubleProvider({ platform });
  const ports = await freeHostPorts();
  const dir = await mkdtemp(join(tmpdir(), 'expose-labs-e2e-'));
  const hostsFile = join(dir, 'hosts');
  await writeFile(hostsFile, '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n');
  const flags = [
    ...['--http-port', String(ports.http), '--https-port', String(ports.https)],
    ...['--nodeport-port', String(ports.nodePort), '--worker-a-port', String(ports.workerA)],
    ...['--worker-b-port', String(ports.workerB), '--hosts-file', hostsFile, '--yes'],
  ];
  const env = { EXPOSE_LABS_HOME: join(dir, 'home') };
  const options = { name: 'expose-labs', ports, keepOnFailure: false, yes: true, dryRun: false, verbose: false };
  await provider.up({ ...options, recreate: false }, reporter, new AbortController().signal);
  return { platform, provider, flags, env, options };
}

export async function tearDown(walk: Walk | undefined): Promise<void> {
  await walk?.provider.down(walk.options, reporter, new AbortController().signal);
}
