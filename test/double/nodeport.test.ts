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
});

afterAll(async () => {
  await double?.stop();
  await files?.dispose();
});

async function nodeIps(): Promise<string[]> {
  const list = JSON.parse((await double.kubectl(['get', 'nodes', '-o', 'json'])).stdout);
  return list.items.map((n: any) => n.status.addresses.find((a: any) => a.type === 'InternalIP').address);
}

describe('a NodePort Service through the kind port mapping', () => {
  it('accepts and closes on the mapped host port while no Service is behind it (docker-proxy)', async () => {
    expect(await probe('127.0.0.1', ports.nodePort)).toBe('closed');
  });

  it('answers from a jordy pod once the Deployment and the Service exist', async () => {
    const deploy = await files.write('jordy.yaml', whoamiDeployment('jordy', 3));
    const svc = await files.write('svc.yaml', service('jordy-node-port-svc', 'jordy', 'NodePort', { nodePort: 30000 }));
    const applied = await double.kubectl(['apply', '-f', deploy, '-f', svc]);
    expect(applied.stdout).toBe('deployment.apps/jordy created\nservice/jordy-node-port-svc created\n');

    const answer = await eventually(async () => {
      const a = await request({
        host: '127.0.0.1',
        port: ports.nodePort,
        headers: { 'User-Agent': 'curl/8.5.0', Accept: '*/*' },
      });
      return a.status === 200 ? a : undefined;
    });
    expect(field(answer.body, 'Name')).toBe('jordy');
    expect(field(answer.body, 'Hostname')).toMatch(
      /^jordy-[bcdfghjklmnpqrstvwxz2456789]{10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/,
    );
    expect(answer.body).toContain(
      `\nGET / HTTP/1.1\r\nHost: 127.0.0.1:${ports.nodePort}\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n`,
    );
    const ips = answer.body.match(/^IP: .*$/gm) ?? [];
    expect(ips[0]).toBe('IP: 127.0.0.1');
    expect(ips.some((l) => /^IP: 10\.244\.[12]\.\d+$/.test(l))).toBe(true);
  });

  it('is served on every node address, as kube-proxy opens the nodePort on all nodes', async () => {
    for (const ip of await nodeIps()) {
      const answer = await request({ host: ip, port: 30000 });
      expect(field(answer.body, 'Hostname')).toMatch(/^jordy-/);
      // Go's Request.Write names a missing User-Agent after its own client, and whoami echoes that.
      expect(field(answer.body, 'User-Agent')).toBe('Go-http-client/1.1');
    }
  });

  it('refuses a host port that kind did not map', async () => {
    const unmapped = (await freeHostPorts()).http;
    expect(await probe('127.0.0.1', unmapped)).toBe('refused');
  });

  it('lists the Service as kubectl does', async () => {
    const out = await double.kubectl(['get', 'svc', 'jordy-node-port-svc']);
    const [header, row] = out.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$/);
    expect(row).toMatch(/^jordy-node-port-svc\s+NodePort\s+10\.96\.\d+\.\d+\s+<none>\s+80:30000\/TCP\s+\d+s$/);
  });
});
