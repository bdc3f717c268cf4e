import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterDouble, freeHostPorts } from '../support/cluster-double/index.js';
import type { HostPorts } from '../../src/cluster/types.js';
import { eventually, field, probe, request, scratch } from './clients.js';
import { service, whoamiDeployment } from './manifests.js';

let double: ClusterDouble;
let ports: HostPorts;
let files: Awaited<ReturnType<typeof scratch>>;

beforeAll(async () => {
  ports = await freeHostPorts();
  double = await ClusterDouble.start({ ports });
  files = await scratch();
  await double.kubectl(['apply', '-f', await files.write('jordy.yaml', whoamiDeployment('jordy', 3))]);
  await double.kubectl(['rollout', 'status', 'deployment/jordy']);
});

afterAll(async () => {
  await double?.stop();
  await files?.dispose();
});

async function lbService(): Promise<any> {
  return JSON.parse((await double.kubectl(['get', 'svc', 'jordy-lb-svc', '-o', 'json'])).stdout);
}

describe('a LoadBalancer Service (cloud-provider-kind)', () => {
  let address: string;

  it('shows <pending>, then an external address', async () => {
    await double.kubectl([
      'apply',
      '-f',
      await files.write('lb.yaml', service('jordy-lb-svc', 'jordy', 'LoadBalancer')),
    ]);
    const table = await double.kubectl(['get', 'svc', 'jordy-lb-svc']);
    expect(table.stdout).toMatch(/jordy-lb-svc\s+LoadBalancer\s+\S+\s+<pending>\s+80:3\d{4}\/TCP/);
    expect((await lbService()).status).toEqual({ loadBalancer: {} });
    address = await eventually(
      async () => (await lbService()).status.loadBalancer.ingress?.[0]?.ip as string | undefined,
    );
    const nodeIps = JSON.parse((await double.kubectl(['get', 'nodes', '-o', 'json'])).stdout).items.map(
      (n: any) => n.status.addresses[0].address as string,
    );
    expect(address.split('.').slice(0, 3)).toEqual(nodeIps[0].split('.').slice(0, 3));
    expect(nodeIps).not.toContain(address);
  });

  it('spreads new connections over several pods', async () => {
    const pods = new Set<string>();
    for (let i = 0; i < 6; i++) pods.add(field((await request({ host: address, port: 80 })).body, 'Hostname')!);
    expect(pods.size).toBe(3);
  });

  it('keeps one keep-alive connection on one pod', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const answers = [];
      for (let i = 0; i < 5; i++) answers.push(await request({ host: address, port: 80, agent }));
      expect(new Set(answers.map((a) => a.localPort)).size).toBe(1);
      expect(new Set(answers.map((a) => field(a.body, 'Hostname'))).size).toBe(1);
    } finally {
      agent.destroy();
    }
  });

  it('serves its auto-assigned nodePort on the node addresses but not on 127.0.0.1', async () => {
    const svc = await lbService();
    const nodePort: number = svc.spec.ports[0].nodePort;
    expect(nodePort).toBeGreaterThanOrEqual(30000);
    expect(nodePort).toBeLessThanOrEqual(32767);
    const workerIp = JSON.parse(
      (await double.kubectl(['get', 'nodes', '-l', 'expose-labs/node=a', '-o', 'json'])).stdout,
    ).items[0].status.addresses[0].address;
    expect(await probe(workerIp, nodePort)).toBe('answered');
    expect(await probe('127.0.0.1', nodePort)).toBe('refused');
  });

  it('with externalTrafficPolicy Local, the pod sees the load balancer’s own address', async () => {
    await double.kubectl(['patch', 'svc', 'jordy-lb-svc', '-p', '{"spec":{"externalTrafficPolicy":"Local"}}']);
    expect((await lbService()).spec.healthCheckNodePort).toBeGreaterThanOrEqual(30000);
    const answer = await request({ host: address, port: 80 });
    expect(field(answer.body, 'RemoteAddr')).toMatch(new RegExp(`^${address.replace(/\./g, '\\.')}:\\d+$`));
  });

  it('gives the address back when the Service is deleted', async () => {
    const deleted = await double.kubectl(['delete', 'svc', 'jordy-lb-svc']);
    expect(deleted.stdout).toBe('service "jordy-lb-svc" deleted from default namespace\n');
    expect(await probe(address, 80)).toBe('refused');
  });
});
