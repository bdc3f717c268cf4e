import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { CLOUD_PROVIDER_KIND_IMAGE } from '../../src/cluster/versions.js';
import { captureIo } from '../support/capture-io.js';

/** `start --dry-run --yes` as a learner types it: the whole plan printed, nothing run, nothing written. */
let taken: Server;
let takenPort: number;
beforeAll(async () => {
  taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  takenPort = (taken.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())));

async function dryStart(...flags: string[]) {
  const home = await mkdtemp(join(tmpdir(), 'expose-labs-dry-home-'));
  const cache = await mkdtemp(join(tmpdir(), 'expose-labs-dry-cache-'));
  const t = captureIo({ EXPOSE_LABS_HOME: home, EXPOSE_LABS_CACHE: cache });
  const code = await main(['start', '--dry-run', '--yes', '--lang', 'en', ...flags], { io: t.io });
  return { code, home, cache, stdout: t.stdout(), stderr: t.stderr() };
}

describe('start --dry-run', () => {
  it('prints the kind config and every command of the cluster, runs none, writes nothing, and survives a taken port', async () => {
    const { code, home, cache, stdout, stderr } = await dryStart('--https-port', String(takenPort));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const config = join(home, 'expose-labs', 'workspace', 'kind-config.yaml');
    const commands = stdout
      .split('\n')
      .filter((line) => line.startsWith('$ '))
      .map((line) => line.slice(2));
    // Which engine first; the host's image pulls start (a dry run finds every image present) before kind create.
    const create = commands.indexOf(`kind create cluster --name expose-labs --config ${config}`);
    expect(commands.slice(0, 2)).toEqual(["docker info --format '{{json .}}'", 'kind get clusters']);
    expect(commands.slice(2, create).every((c) => c.startsWith("docker image inspect --format '{{.Id}}' "))).toBe(true);
    expect(commands[create + 1]).toBe(
      'kubectl --context kind-expose-labs wait --for=condition=Ready nodes --all --timeout=300s',
    );
    expect(commands).toContain(`kind load image-archive ${join(cache, 'loading', '0.tar')} --name expose-labs`);
    expect(commands.some((c) => c.startsWith('docker run -d --name expose-labs-cloud-provider-kind'))).toBe(true);
    expect(commands.some((c) => c.includes(CLOUD_PROVIDER_KIND_IMAGE))).toBe(true);
    expect(commands).toContain(
      `kubectl --context kind-expose-labs apply -f ${join(cache, 'manifests', 'contour-v1.33.6.yaml')}`,
    );
    // The labs' own steps follow the cluster, each command printed with the lab's context.
    expect(commands.some((c) => c.startsWith('kubectl --context kind-expose-labs apply -f'))).toBe(true);
    expect(stdout).toContain(`Host port ${takenPort} (--https-port) is already in use on 127.0.0.1.`);
    expect(stdout).toContain(`hostPort: 30082`);
    expect(stdout).toContain('--dry-run: none of the commands above was run.');
    expect(existsSync(config)).toBe(false);
    expect(existsSync(join(home, 'expose-labs', 'progress.json'))).toBe(false);
  }, 60_000);

  it('with --context plans only the connection check, no kind at all', async () => {
    const { code, stdout } = await dryStart('--context', 'workshop');
    expect(code).toBe(0);
    expect(stdout).toContain('$ kubectl --context workshop get nodes -o json');
    expect(stdout).not.toContain('$ kind ');
  }, 60_000);
});
