import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli.js';
import type { DockerInfo } from '../../src/cluster/docker.js';
import { engineProfile } from '../../src/cluster/engine-profile.js';
import type { LabReport } from '../../src/engine/selftest.js';
import { createExec } from '../../src/platform/exec.js';
import { DOUBLE_NETWORK, curlContainerExec, type DoublePlatform } from '../support/cluster-double/index.js';
import { captureIo } from '../support/capture-io.js';
import { LAB_IDS, setUp, tearDown, type Walk } from './walk.js';

/**
 * Every lab, end to end, against the cluster double over real sockets on loopback: `expose-labs test` runs each
 * step's checks before the step (all must fail), runs the step, and runs them again (all must pass).
 * This is the double, not kind: `npm run test:kind` runs the same self-test on a real cluster.
 */
// The post's host names may be real domains: before the hosts entry exists, the checks ask the OS resolver. Tests
// must not send even a DNS query off this machine, so the resolver answers "not found" here.
const lookup = vi.hoisted(() =>
  vi.fn(async () => Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }))),
);
vi.mock('node:dns/promises', () => ({ lookup, default: { lookup } }));

async function selfTest(walk: Walk, lab: string): Promise<LabReport> {
  const t = captureIo(walk.env);
  // --max-wait 60: a step that fails reports its defects inside the test's timeout, not after the step's within.
  const code = await main(['test', lab, '--json', '--max-wait', '60', ...walk.flags], {
    io: t.io,
    deps: {
      provider: async () => walk.provider,
      // Where the host cannot reach the node network, the checks' `docker run … curl` runs in the double's stand-in.
      exec:
        walk.platform?.hostReachesNodeNetwork === false
          ? curlContainerExec(DOUBLE_NETWORK, createExec())
          : createExec(),
    },
  });
  const parsed = JSON.parse(t.stdout()) as { passed: boolean; labs: LabReport[] };
  const report = parsed.labs[0]!;
  expect(report.error, t.stderr()).toBeUndefined();
  expect(
    code,
    JSON.stringify(
      report.steps.flatMap((s) => s.defects),
      null,
      2,
    ),
  ).toBe(0);
  return report;
}

function expectWalked(report: LabReport): void {
  expect(report.passed).toBe(true);
  expect(report.steps.length).toBeGreaterThan(0);
  for (const step of report.steps) {
    expect(step.before.length).toBeGreaterThan(0);
    for (const check of step.before) expect(check.verdict, `${step.step}: ${check.title} before`).not.toBe('pass');
    for (const check of step.after) expect(check.verdict, `${step.step}: ${check.title} after`).toBe('pass');
  }
}

let walk: Walk;
beforeAll(async () => {
  walk = await setUp();
});

afterAll(async () => {
  await tearDown(walk);
});

describe.each(LAB_IDS)('lab %s on the cluster double', (lab) => {
  it('every check fails before its step and passes after it', async () => {
    expectWalked(await selfTest(walk, lab));
  }, 180_000);
});

/**
 * The labs whose outcome depends on the laptop, walked again on a double standing for that laptop: Docker
 * Desktop on WSL2 (the controller the tool picks for a WSL2 kernel, lab 02's LoadBalancer beside Contour's on
 * port 80, checked from a container because the host cannot reach it), and a port forwarding that does not keep
 * the client's address (lab 06's source-ip checks, which measure it).
 */
const wsl2 = JSON.parse(
  readFileSync(new URL('../cluster/fixtures/platforms/windows-docker-desktop-wsl2.json', import.meta.url), 'utf8'),
) as { dockerInfo: DockerInfo };
const PLATFORM_WALKS: { name: string; lab: string; platform: DoublePlatform }[] = [
  {
    name: 'Docker Desktop on WSL2, with the controller the tool picks there',
    lab: 'loadbalancer',
    platform: {
      wsl2Kernel: true,
      controllerImage: engineProfile(wsl2.dockerInfo, { platform: 'win32', env: {} }).controllerImage,
      // Docker Desktop's VM: LoadBalancer addresses are checked from a container on the kind network.
      hostReachesNodeNetwork: engineProfile(wsl2.dockerInfo, { platform: 'win32', env: {} }).hostReachesNodeNetwork,
    },
  },
  {
    name: 'a port forwarding that replaces the client address (rootless Docker)',
    lab: 'traffic-policy',
    platform: { mappingSource: '10.0.2.100' },
  },
];

describe.each(PLATFORM_WALKS)('lab $lab on $name', ({ lab, platform }) => {
  let other: Walk | undefined;
  afterAll(async () => {
    await tearDown(other);
  });

  it('every check fails before its step and passes after it', async () => {
    other = await setUp(platform);
    const report = await selfTest(other, lab);
    expectWalked(report);
    const commands = report.steps.flatMap((s) => s.after.map((c) => c.command));
    // Where the host cannot reach the node network, the LoadBalancer checks really ran from the kind network.
    if (platform.hostReachesNodeNetwork === false) {
      expect(commands.some((c) => c.startsWith('docker run --rm --network kind'))).toBe(true);
    }
  }, 180_000);
});
