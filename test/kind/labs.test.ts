import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultProvider, clusterOptions } from '../../src/commands/providers.js';
import { DOCKER_INFO_ARGS, parseDockerInfo } from '../../src/cluster/docker.js';
import { engineProfile } from '../../src/cluster/engine-profile.js';
import { kindClusters } from '../../src/cluster/kind/inspect.js';
import { resolveTool } from '../../src/cluster/tools.js';
import type { GlobalOptions } from '../../src/commands/types.js';
import { ToolMissingError } from '../../src/core/errors.js';
import { loadLabs } from '../../src/engine/lab-loader.js';
import { formatCommand } from '../../src/platform/command.js';
import { createExec } from '../../src/platform/exec.js';
import { defaultCache, packageRoot } from '../../src/platform/paths.js';
import { createReporter } from '../../src/ui/tasks.js';
import { Output } from '../../src/ui/output.js';

/**
 * `npm run test:kind`: the real thing, for maintainers and instructors before a workshop. On a machine with
 * Docker and kind it creates a throwaway cluster (its own name and host ports, its own state folder and hosts
 * file, so a learner's cluster and /etc/hosts are left alone), self-tests every lab on it with the built CLI
 * (`expose-labs test --json`), tries every lab's known mistakes (`test --mistakes`), walks every lab as a learner
 * would (`start --auto`), and deletes it with `expose-labs down`. Elsewhere it says in one line why it did not run,
 * and runs nothing.
 */
const exec = createExec();
const CLUSTER = 'expose-labs-e2e';
const PORTS = { http: 28080, https: 28443, nodePort: 28000, workerA: 28081, workerB: 28082 };
const cacheDir = defaultCache();

async function whyNot(): Promise<string | undefined> {
  for (const [file, args] of [
    ['docker', ['info', '--format', '{{.ServerVersion}}']],
    [resolveTool('kind', cacheDir), ['version']],
    [resolveTool('kubectl', cacheDir), ['version', '--client']],
  ] as const) {
    try {
      const result = await exec({ file, args, timeoutMs: 30_000 });
      if (result.failed)
        return `\`${formatCommand({ file, args })}\` failed: ${(result.stderr || result.stdout).trim().split('\n')[0]}`;
    } catch (error) {
      if (error instanceof ToolMissingError) return `${file} is not installed`;
      throw error;
    }
  }
  return undefined;
}

const skipReason = await whyNot();
if (skipReason) console.log(`test:kind skipped — nothing ran against kind: ${skipReason}`);

describe.skipIf(skipReason !== undefined)('on a real kind cluster', () => {
  const root = packageRoot();
  const home = mkdtempSync(join(tmpdir(), 'expose-labs-kind-home-'));
  const hostsFile = join(mkdtempSync(join(tmpdir(), 'expose-labs-kind-etc-')), 'hosts');
  const flags = [
    '--cluster-name',
    CLUSTER,
    '--http-port',
    String(PORTS.http),
    '--https-port',
    String(PORTS.https),
    '--nodeport-port',
    String(PORTS.nodePort),
    '--worker-a-port',
    String(PORTS.workerA),
    '--worker-b-port',
    String(PORTS.workerB),
    '--hosts-file',
    hostsFile,
    '--lang',
    'en',
  ];
  const cli = (args: string[], timeoutMs: number) =>
    exec({
      file: process.execPath,
      args: [join(root, 'dist', 'src', 'bin.js'), ...args, ...flags],
      cwd: root,
      timeoutMs,
      env: { ...process.env, EXPOSE_LABS_HOME: home },
    });
  const options: GlobalOptions = {
    lang: 'en',
    yes: true,
    dryRun: false,
    json: false,
    verbose: false,
    clusterName: CLUSTER,
    ports: PORTS,
    hostsFile,
    noHosts: false,
    keepOnFailure: false,
    home,
  };

  beforeAll(async () => {
    writeFileSync(hostsFile, '127.0.0.1 localhost\n');
    if (!existsSync(join(root, 'dist', 'src', 'bin.js'))) {
      const build = await exec({
        file: process.execPath,
        args: [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'],
        cwd: root,
      });
      if (build.failed) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
    }
    // Which laptop this ran on: the row of README's "what works where" it confirms (or refutes).
    const info = parseDockerInfo((await exec({ file: 'docker', args: [...DOCKER_INFO_ARGS] })).stdout);
    const profile = engineProfile(info, { platform: process.platform, env: process.env });
    console.log(
      `test:kind platform: ${process.platform}/${process.arch}; ${profile.engine} ${info?.ServerVersion ?? '?'} ` +
        `(${info?.OperatingSystem ?? '?'}, kernel ${info?.KernelVersion ?? '?'}, ${profile.platform ?? '?'}); ` +
        `image store ${profile.containerdStore ? 'containerd' : 'classic'}; ${profile.rootless ? 'rootless' : 'rootful'}; ` +
        `controller ${profile.controllerImage}; host reaches node network: ${profile.hostReachesNodeNetwork}`,
    );
    const provider = await defaultProvider(options, exec);
    const out = new Output('en', process.stdout, process.stderr, false);
    await provider.up(
      { ...clusterOptions(options), recreate: true },
      createReporter(out, { plain: true }),
      new AbortController().signal,
    );
  });

  afterAll(async () => {
    const down = await cli(['down', '--yes'], 10 * 60_000);
    if (down.failed) console.log(`expose-labs down failed:\n${down.stdout}${down.stderr}`);
  });

  it('measures the client address a 127.0.0.1 mapping hands a container on this engine', async () => {
    const provider = await defaultProvider(options, exec);
    const cluster = await provider.connect(clusterOptions(options));
    const reach = await cluster!.reachability();
    const measured = await reach.measureClientAddress!();
    console.log(
      `test:kind client address through a port mapping: ${measured} (gateway guess ${reach.hostClientAddress})`,
    );
    expect(measured).toMatch(/^[\d.]+$|:/);
  });

  it('every lab passes its self-test (checks fail before each step and pass after it)', async () => {
    const result = await cli(['test', '--json'], 60 * 60_000);
    const report = JSON.parse(result.stdout) as {
      passed: boolean;
      labs: { lab: string; passed: boolean; error?: string }[];
    };
    for (const lab of report.labs)
      console.log(`${lab.passed ? 'passed' : 'FAILED'} ${lab.lab}${lab.error ? `: ${lab.error}` : ''}`);
    expect(result.stderr).not.toContain('Unexpected error');
    expect(report.labs.filter((l) => !l.passed).map((l) => l.lab)).toEqual([]);
    // Lab 08 needs cloud-provider-kind's Gateway API (its CRDs and GatewayClass): skipped would count as failed.
    expect(report.labs.find((l) => l.lab === 'gateway')).toMatchObject({ passed: true });
    expect(result.exitCode).toBe(0);
  });

  // Issue 14: every known mistake, each from a clean lab, must be caught by its named check with its named verdict.
  // --settle 10: on a real cluster a verdict must hold 10 s (not the double's 2) before it counts as the mistake's.
  it("every lab's known mistakes are caught by the checks they name (test --mistakes)", async () => {
    const result = await cli(['test', '--mistakes', '--settle', '10', '--json'], 60 * 60_000);
    const report = JSON.parse(result.stdout) as {
      mistakes: { lab: string; step: string; mistake: string; caught: boolean; problem?: string; durationMs: number }[];
    };
    for (const m of report.mistakes)
      console.log(
        `${m.caught ? 'caught' : 'MISSED'} ${m.lab}/${m.step}/${m.mistake} (${(m.durationMs / 1000).toFixed(1)} s)${m.problem ? `: ${m.problem}` : ''}`,
      );
    expect(report.mistakes.filter((m) => !m.caught).map((m) => `${m.lab}/${m.mistake}: ${m.problem}`)).toEqual([]);
    expect(result.exitCode).toBe(0);
  });

  it('doctor finds nothing that blocks the labs on this machine', async () => {
    const result = await cli(['doctor', '--json'], 5 * 60_000);
    const report = JSON.parse(result.stdout) as unknown;
    expect(result.exitCode, JSON.stringify(report, null, 2)).toBe(0);
  });

  it('the learner path runs every lab to its recap (start --auto)', async () => {
    const result = await cli(['start', '--auto', '--yes', '--skip-doctor'], 60 * 60_000);
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
    // Every lab in labs/ (lab 08 too: its Gateway API is there, as the self-test above requires).
    expect(result.stdout.match(/Lab finished/g) ?? []).toHaveLength((await loadLabs(root)).length);
  });

  it('down leaves no cluster behind, and a second down is a no-op', async () => {
    const first = await cli(['down', '--yes'], 10 * 60_000);
    expect(first.exitCode).toBe(0);
    expect(await kindClusters(exec, resolveTool('kind', cacheDir))).not.toContain(CLUSTER);
    const second = await cli(['down', '--yes'], 10 * 60_000);
    expect(second.exitCode).toBe(0);
  });
});
