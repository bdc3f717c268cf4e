import { describe, expect, it } from 'vitest';
import { defaultProvider } from '../../src/commands/providers.js';
import { ExistingContextProvider } from '../../src/cluster/existing/provider.js';
import type { GlobalOptions } from '../../src/commands/types.js';
import { UserError } from '../../src/core/errors.js';
import { tr } from '../../src/core/i18n.js';
import { fixture, options, tempDir } from './kind-fixtures.js';
import { recordingReporter } from './recording-reporter.js';
import { scriptedExec } from './scripted-exec.js';

const K = ['kubectl', '--context', 'workshop'];
const list = (items: unknown[]) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items });
const interfaces = () => ({
  lo: [
    {
      address: '127.0.0.1',
      netmask: '255.0.0.0',
      family: 'IPv4' as const,
      mac: '00:00:00:00:00:00',
      internal: true,
      cidr: '127.0.0.1/8',
    },
  ],
  wlan0: [
    {
      address: '192.168.0.23',
      netmask: '255.255.255.0',
      family: 'IPv4' as const,
      mac: '3c:22:fb:00:00:01',
      internal: false,
      cidr: '192.168.0.23/24',
    },
  ],
});

function provider(steps: Parameters<typeof scriptedExec>[0]) {
  const script = scriptedExec(steps);
  return { script, provider: new ExistingContextProvider(script.exec, 'kubectl', interfaces) };
}

const kindNodes = JSON.parse(fixture('nodes.json'));
const cloudNodes = {
  ...kindNodes,
  items: kindNodes.items.map((n: { spec: object }) => ({
    ...n,
    spec: { ...n.spec, providerID: 'gce://workshop-project/asia-northeast3-a/node-1' },
  })),
};
/** cloud-provider-kind's GatewayClass as its controller leaves it (pkg/gateway/controller.go @ v0.11.1). */
const acceptedGatewayClass = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'GatewayClass',
  metadata: { name: 'cloud-provider-kind' },
  spec: { controllerName: 'kind.sigs.k8s.io/gateway-controller', description: 'cloud-provider-kind gateway API' },
  status: { conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted' }] },
};

const lbService = JSON.parse(fixture('service-envoy.json'));
const pendingService = JSON.parse(fixture('service-envoy-pending.json'));
const contourDeployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'contour', namespace: 'projectcontour' },
  spec: { template: { spec: { containers: [{ name: 'contour', image: 'ghcr.io/projectcontour/contour:v1.33.6' }] } } },
  status: { replicas: 2, availableReplicas: 2 },
};

describe('existing-context provider', () => {
  it('is chosen by --context, and every call names that context', async () => {
    const script = scriptedExec([{ argv: [...K, 'get', 'nodes', '-o', 'json'], stdout: fixture('nodes.json') }]);
    const global = { clusterName: 'expose-labs', context: 'workshop', home: tempDir('home') } as GlobalOptions;
    const chosen = await defaultProvider(global, script.exec, { cacheDir: tempDir('cache') });

    const cluster = await chosen.connect(options({ context: 'workshop' }));

    script.finish();
    expect(chosen.kind).toBe('context');
    expect(cluster?.kubectlLine(['get', 'svc'])).toBe('kubectl --context workshop get svc');
  });

  it('creates nothing: up only checks that the cluster answers', async () => {
    const { script, provider: p } = provider([
      {
        argv: [...K, 'get', 'nodes', '-o', 'json'],
        exitCode: 1,
        stderr: 'error: You must be logged in to the server (Unauthorized)\n',
      },
    ]);

    const error = await p
      .up(
        { ...options({ context: 'workshop' }), recreate: false },
        recordingReporter().reporter,
        new AbortController().signal,
      )
      .catch((e) => e);

    script.finish();
    expect(error).toBeInstanceOf(UserError);
    expect(tr(error.text, 'en')).toContain('Unauthorized');
  });

  it('inspect reads the kubeconfig for the context', async () => {
    const { script, provider: p } = provider([
      { argv: ['kubectl', 'config', 'get-contexts', 'workshop', '-o', 'name'], stdout: 'workshop\n' },
      {
        argv: ['kubectl', 'config', 'get-contexts', 'workshop', '-o', 'name'],
        exitCode: 1,
        stderr: 'error: context workshop not found\n',
      },
    ]);

    expect(await p.inspect(options({ context: 'workshop' }))).toEqual({ exists: true, matches: true, differences: [] });
    expect((await p.inspect(options({ context: 'workshop' }))).exists).toBe(false);
    script.finish();
  });

  it('finds a LoadBalancer from a Service that has an address, and an ingress class named contour', async () => {
    const { script, provider: p } = provider([
      { argv: [...K, 'get', 'services', '--all-namespaces', '-o', 'json'], stdout: list([lbService]) },
      {
        argv: [...K, 'get', 'ingressclass', '-o', 'json'],
        stdout: list([
          {
            apiVersion: 'networking.k8s.io/v1',
            kind: 'IngressClass',
            metadata: { name: 'contour' },
            spec: { controller: 'projectcontour.io/ingress-controller' },
          },
        ]),
      },
      {
        argv: [...K, 'get', 'gatewayclass', 'cloud-provider-kind', '-o', 'json'],
        stdout: JSON.stringify(acceptedGatewayClass),
      },
    ]);

    expect(await p.capabilities(p.cluster(options({ context: 'workshop' })))).toEqual({
      loadBalancer: true,
      ingress: true,
      gateway: true,
    });
    script.finish();
  });

  it('counts a cloud providerID, and a running Contour without an IngressClass', async () => {
    const { script, provider: p } = provider([
      { argv: [...K, 'get', 'services', '--all-namespaces', '-o', 'json'], stdout: list([pendingService]) },
      { argv: [...K, 'get', 'nodes', '-o', 'json'], stdout: JSON.stringify(cloudNodes) },
      { argv: [...K, 'get', 'ingressclass', '-o', 'json'], stdout: list([]) },
      { argv: [...K, 'get', 'deployments', '--all-namespaces', '-o', 'json'], stdout: list([contourDeployment]) },
      // The Gateway API CRDs are installed, but no cloud-provider-kind GatewayClass: the gateway lab is disabled.
      {
        argv: [...K, 'get', 'gatewayclass', 'cloud-provider-kind', '-o', 'json'],
        exitCode: 1,
        stderr:
          'Error from server (NotFound): gatewayclasses.gateway.networking.k8s.io "cloud-provider-kind" not found\n',
      },
    ]);

    expect(await p.capabilities(p.cluster(options({ context: 'workshop' })))).toEqual({
      loadBalancer: true,
      ingress: true,
      gateway: false,
    });
    script.finish();
  });

  it('a plain kind cluster (kind:// providerID, pending LB, nginx class) has neither', async () => {
    const { script, provider: p } = provider([
      { argv: [...K, 'get', 'services', '--all-namespaces', '-o', 'json'], stdout: list([pendingService]) },
      { argv: [...K, 'get', 'nodes', '-o', 'json'], stdout: fixture('nodes.json') },
      {
        argv: [...K, 'get', 'ingressclass', '-o', 'json'],
        stdout: list([
          { kind: 'IngressClass', metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } },
        ]),
      },
      { argv: [...K, 'get', 'deployments', '--all-namespaces', '-o', 'json'], stdout: list([]) },
      // No Gateway API CRDs at all.
      {
        argv: [...K, 'get', 'gatewayclass', 'cloud-provider-kind', '-o', 'json'],
        exitCode: 1,
        stderr: 'error: the server doesn\'t have a resource type "gatewayclass"\n',
      },
    ]);

    expect(await p.capabilities(p.cluster(options({ context: 'workshop' })))).toEqual({
      loadBalancer: false,
      ingress: false,
      gateway: false,
    });
    script.finish();
  });

  it('reachability: node network reachable, this machine’s own address as the client; down deletes nothing', async () => {
    const { script, provider: p } = provider([]);
    const { reporter, notes } = recordingReporter();

    expect(await p.cluster(options({ context: 'workshop' })).reachability()).toEqual({
      hostReachesNodeNetwork: true,
      hostClientAddress: '192.168.0.23',
    });
    await p.down(options({ context: 'workshop' }), reporter);

    script.finish();
    expect(notes()[0]).toContain('not deleted');
  });
});
