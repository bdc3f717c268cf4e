import net from 'node:net';
import { describe, expect, it } from 'vitest';
import type { ClusterOptions } from '../../src/cluster/types.js';
import type { Reporter } from '../../src/core/reporter.js';
import { createDoubleProvider, freeHostPorts } from '../support/cluster-double/index.js';
import { eventually, probe, scratch } from './clients.js';
import { service, whoamiDeployment } from './manifests.js';

const tasks: string[] = [];
const reporter: Reporter = {
  task: async (title, run) => {
    tasks.push(typeof title === 'string' ? title : title.en);
    return run(new AbortController().signal);
  },
  note: () => undefined,
};

function canBind(endpoint: string): Promise<boolean> {
  const [host, port] = endpoint.split(':') as [string, string];
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ host, port: Number(port), exclusive: true }, () => server.close(() => resolve(true)));
  });
}

describe('the double as a ClusterProvider', () => {
  it('starts on up, is found by connect, and frees every port on down (twice is fine)', async () => {
    const provider = createDoubleProvider();
    const options: ClusterOptions = {
      name: 'expose-labs',
      ports: await freeHostPorts(),
      keepOnFailure: false,
      yes: true,
      dryRun: false,
      verbose: false,
    };
    expect(await provider.connect(options)).toBeUndefined();
    expect(await provider.inspect(options)).toEqual({ exists: false, matches: true, differences: [] });

    const cluster = await provider.up({ ...options, recreate: false }, reporter, new AbortController().signal);
    expect(cluster.context).toBe('kind-expose-labs');
    expect(await provider.connect(options)).toBe(cluster);
    expect(await provider.inspect(options)).toEqual({ exists: true, matches: true, differences: [] });
    expect(await provider.capabilities(cluster)).toEqual({ loadBalancer: true, ingress: true, gateway: true });
    expect(await cluster.reachability()).toEqual({ hostReachesNodeNetwork: true, hostClientAddress: '127.0.0.1' });

    const files = await scratch();
    try {
      const manifest =
        whoamiDeployment('jordy', 2) + '---\n' + service('jordy-lb-svc', 'jordy', 'LoadBalancer', { nodePort: 30000 });
      await cluster.kubectl(['apply', '-f', await files.write('all.yaml', manifest)]);
      await eventually(async () =>
        (await probe('127.0.0.1', options.ports.nodePort)) === 'answered' ? true : undefined,
      );
      const held = net.connect({ host: '127.0.0.1', port: options.ports.nodePort });
      held.on('error', () => undefined);
      await new Promise((r) => held.once('connect', r));
      await eventually(async () =>
        JSON.parse((await cluster.kubectl(['get', 'svc', 'jordy-lb-svc', '-o', 'json'])).stdout).status.loadBalancer
          .ingress
          ? true
          : undefined,
      );

      const listening = provider.running!.listening();
      expect(listening.length).toBeGreaterThan(10);
      await provider.down(options, reporter, new AbortController().signal);
      await new Promise((r) => (held.destroyed ? r(undefined) : held.once('close', r)));
      for (const endpoint of listening) expect(await canBind(endpoint), endpoint).toBe(true);
      expect(await provider.connect(options)).toBeUndefined();
      await provider.down(options, reporter, new AbortController().signal);
      expect((await cluster.kubectl(['get', 'nodes'])).failed).toBe(true);
      expect(tasks).toEqual(['Starting the test cluster double', 'Stopping the test cluster double']);
    } finally {
      await files.dispose();
    }
  });

  it('refuses to start on a host port that is taken, and leaves nothing behind', async () => {
    const ports = await freeHostPorts();
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen({ host: '127.0.0.1', port: ports.https }, r));
    try {
      const provider = createDoubleProvider();
      const options: ClusterOptions = {
        name: 'expose-labs',
        ports,
        keepOnFailure: false,
        yes: true,
        dryRun: false,
        verbose: false,
      };
      await expect(
        provider.up({ ...options, recreate: false }, reporter, new AbortController().signal),
      ).rejects.toThrow(`cannot map host port 127.0.0.1:${ports.https}: it is already in use`);
      expect(await canBind(`127.0.0.1:${ports.http}`)).toBe(true);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });
});
