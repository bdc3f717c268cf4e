import { afterEach, describe, expect, it } from 'vitest';
import { ClusterDouble, freeHostPorts, type DoublePlatform } from '../support/cluster-double/index.js';
import { eventually, field, request, scratch } from './clients.js';
import { service, whoamiDeployment } from './manifests.js';

const V0111 = 'registry.k8s.io/cloud-provider-kind/cloud-controller-manager:v0.11.1';
const V0100 = 'registry.k8s.io/cloud-provider-kind/cloud-controller-manager:v0.10.0';

let double: ClusterDouble | undefined;
let files: Awaited<ReturnType<typeof scratch>> | undefined;

afterEach(async () => {
  await double?.stop();
  await files?.dispose();
  double = undefined;
  files = undefined;
});

async function start(platform: DoublePlatform) {
  const ports = await freeHostPorts();
  double = await ClusterDouble.start({ ports, platform });
  files = await scratch();
  return { double, files, ports };
}

const remoteIp = (body: string) => field(body, 'RemoteAddr')?.replace(/:\d+$/, '');
const lbAddress = async (d: ClusterDouble, name: string): Promise<string | undefined> =>
  JSON.parse((await d.kubectl(['get', 'svc', name, '-o', 'json'])).stdout).status.loadBalancer.ingress?.[0]?.ip;

describe('the double on other laptops', () => {
  it('a port forwarding that replaces the source: Local shows that address, and the measurement says so', async () => {
    const { double: d, files: f, ports } = await start({ mappingSource: '10.0.2.100' });
    const app = await f.write('solo.yaml', whoamiDeployment('solo', 1, { nodeSelector: { 'expose-labs/node': 'a' } }));
    const svc = await f.write(
      'svc.yaml',
      service('solo-svc', 'solo', 'NodePort', { nodePort: 30080, policy: 'Local' }),
    );
    await d.kubectl(['apply', '-f', app, '-f', svc]);
    await d.kubectl(['rollout', 'status', 'deployment/solo', '--timeout=10s']);

    const answer = await eventually(async () => {
      const a = await request({ host: '127.0.0.1', port: ports.workerA });
      return a.status === 200 ? a : undefined;
    });
    expect(remoteIp(answer.body)).toBe('10.0.2.100');
    const reach = await d.reachability();
    expect(reach.hostClientAddress).toBe('127.0.0.1');
    expect(await reach.measureClientAddress?.()).toBe('10.0.2.100');

    await d.kubectl([
      'patch',
      'service',
      'solo-svc',
      '--type=merge',
      '-p',
      '{"spec":{"externalTrafficPolicy":"Cluster"}}',
    ]);
    const rewritten = await request({ host: '127.0.0.1', port: ports.workerA });
    expect(remoteIp(rewritten.body)).not.toBe('10.0.2.100');
  });

  it('v0.11.1 on a WSL2 kernel: a LoadBalancer on port 80 never gets an address (Contour’s envoy holds 80)', async () => {
    const { double: d, files: f } = await start({ wsl2Kernel: true, controllerImage: V0111 });
    await d.kubectl(['apply', '-f', await f.write('jordy.yaml', whoamiDeployment('jordy', 1))]);
    await d.kubectl(['apply', '-f', await f.write('lb.yaml', service('jordy-lb-svc', 'jordy', 'LoadBalancer'))]);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await lbAddress(d, 'jordy-lb-svc')).toBeUndefined();
  });

  it('v0.10.0 on a WSL2 kernel (random host ports): the same LoadBalancer gets its address', async () => {
    const { double: d, files: f } = await start({ wsl2Kernel: true, controllerImage: V0100 });
    await d.kubectl(['apply', '-f', await f.write('jordy.yaml', whoamiDeployment('jordy', 1))]);
    await d.kubectl(['apply', '-f', await f.write('lb.yaml', service('jordy-lb-svc', 'jordy', 'LoadBalancer'))]);
    expect(await eventually(() => lbAddress(d, 'jordy-lb-svc'))).toMatch(/^127\./);
  });
});
