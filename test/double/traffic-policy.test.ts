import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterDouble, freeHostPorts } from '../support/cluster-double/index.js';
import type { HostPorts } from '../../src/cluster/types.js';
import { eventually, field, probe, request, scratch } from './clients.js';
import { service, whoamiDeployment } from './manifests.js';

let double: ClusterDouble;
let ports: HostPorts;
let files: Awaited<ReturnType<typeof scratch>>;
let nodes: { name: string; ip: string; podCIDR: string; label?: string }[];

beforeAll(async () => {
  ports = await freeHostPorts();
  double = await ClusterDouble.start({ ports });
  files = await scratch();
  const list = JSON.parse((await double.kubectl(['get', 'nodes', '-o', 'json'])).stdout);
  nodes = list.items.map((n: any) => ({
    name: n.metadata.name,
    ip: n.status.addresses.find((a: any) => a.type === 'InternalIP').address,
    podCIDR: n.spec.podCIDR,
    label: n.metadata.labels['expose-labs/node'],
  }));
  const app = await files.write(
    'solo.yaml',
    whoamiDeployment('solo', 1, { nodeSelector: { 'expose-labs/node': 'a' } }),
  );
  const svc = await files.write(
    'svc.yaml',
    service('solo-svc', 'solo', 'NodePort', { nodePort: 30080, policy: 'Local' }),
  );
  await double.kubectl(['apply', '-f', app, '-f', svc]);
  await double.kubectl(['rollout', 'status', 'deployment/solo', '--timeout=10s']);
});

afterAll(async () => {
  await double?.stop();
  await files?.dispose();
});

const remoteIp = (body: string) => field(body, 'RemoteAddr')?.replace(/:\d+$/, '');

describe('externalTrafficPolicy', () => {
  it('pins the pod on the node labelled a', async () => {
    const pods = JSON.parse((await double.kubectl(['get', 'pods', '-l', 'app=solo', '-o', 'json'])).stdout).items;
    expect(pods).toHaveLength(1);
    expect(pods[0].spec.nodeName).toBe(nodes.find((n) => n.label === 'a')!.name);
  });

  it('Local: keeps the client address on the node with the pod', async () => {
    const answer = await eventually(async () => {
      const a = await request({ host: '127.0.0.1', port: ports.workerA });
      return a.status === 200 ? a : undefined;
    });
    expect(remoteIp(answer.body)).toBe((await double.reachability()).hostClientAddress);
  });

  it('Local: the node without a pod drops the connection (held, never answered)', async () => {
    expect(await probe('127.0.0.1', ports.workerB, 300)).toBe('held');
    expect(await probe(nodes.find((n) => n.label === 'b')!.ip, 30080, 300)).toBe('held');
  });

  it('Cluster: both nodes answer and the pod sees a node-side address', async () => {
    const patched = await double.kubectl([
      'patch',
      'service',
      'solo-svc',
      '--type=merge',
      '-p',
      '{"spec":{"externalTrafficPolicy":"Cluster"}}',
    ]);
    expect(patched.stdout).toBe('service/solo-svc patched\n');
    const viaB = await request({ host: '127.0.0.1', port: ports.workerB });
    expect(field(viaB.body, 'Hostname')).toMatch(/^solo-/);
    expect(remoteIp(viaB.body)).toBe(nodes.find((n) => n.label === 'b')!.ip);
    const viaA = await request({ host: '127.0.0.1', port: ports.workerA });
    // The pod is on this node: masquerading takes the node's side of the pod network (first address of its CIDR).
    const gateway = nodes.find((n) => n.label === 'a')!.podCIDR.replace(/0\/24$/, '1');
    expect(remoteIp(viaA.body)).toBe(gateway);
    expect(remoteIp(viaA.body)).not.toBe((await double.reachability()).hostClientAddress);
  });

  it('patching the same value again reports no change', async () => {
    const again = await double.kubectl([
      'patch',
      'svc',
      'solo-svc',
      '-p',
      '{"spec":{"externalTrafficPolicy":"Cluster"}}',
    ]);
    expect(again.stdout).toBe('service/solo-svc patched (no change)\n');
  });

  it('a Service without endpoints rejects: refused on the node, closed at once through the mapping', async () => {
    await double.kubectl(['delete', 'deployment', 'solo']);
    expect(await probe(nodes.find((n) => n.label === 'a')!.ip, 30080)).toBe('refused');
    expect(await probe('127.0.0.1', ports.workerA)).toBe('closed');
  });
});
