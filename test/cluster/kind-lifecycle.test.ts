import { describe, expect, it } from 'vitest';
import { KindProvider } from '../../src/cluster/kind/provider.js';
import { measureClientAddress } from '../../src/cluster/kind/client-address.js';
import { UserError } from '../../src/core/errors.js';
import { CleanupError } from '../../src/cluster/cleanup-error.js';
import {
  CCM,
  CCM_IMAGE,
  CONTEXTS,
  CTX,
  DOCKER_INFO,
  controllerInspect,
  fakeFetch,
  fixture,
  options,
  removeSteps,
  testSettings,
} from './kind-fixtures.js';
import { recordingReporter } from './recording-reporter.js';
import { scriptedExec } from './scripted-exec.js';

/** The throwaway whoami that measures the client address, on `network`, its port published on 127.0.0.1 only. */
const probeRun = (network: string) => [
  'docker',
  'run',
  '-d',
  '--rm',
  '--network',
  network,
  '-p',
  '127.0.0.1::80',
  '--label',
  'expose-labs.role=client-address-probe',
  'traefik/whoami:v1.11.0',
];

describe('kind provider: down', () => {
  it('removes its kindccm containers and the cluster, keeps the shared controller while another kind cluster is left; a second run does nothing', async () => {
    const script = scriptedExec([
      ...removeSteps('kindccm-3f6d0a2b9c1e\nkindccm-a81b77c0d412\n', 'expose-labs\nother\n'),
      ...removeSteps('', 'other\n'),
    ]);
    const provider = new KindProvider(testSettings(script.exec));
    const { reporter, notes } = recordingReporter();

    await provider.down(options(), reporter, new AbortController().signal);
    await provider.down(options(), reporter, new AbortController().signal);

    script.finish();
    expect(notes()).toContain(
      `cloud-provider-kind (${CCM}) also serves the remaining kind clusters (other), so it keeps running.`,
    );
  });

  it('removes the shared controller with the last kind cluster, and a controller an earlier version ran for this cluster', async () => {
    const script = scriptedExec(removeSteps('', 'expose-labs\n', { legacy: 'expose-labs-cloud-provider-kind-v1\n' }));
    const provider = new KindProvider(testSettings(script.exec));

    await provider.down(options(), recordingReporter().reporter, new AbortController().signal);

    script.finish();
    expect(script.lines()).toContain(`docker rm -f ${CCM}`);
  });

  it('without a Docker engine still tries every part, then names each that failed', async () => {
    const noEngine =
      'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n';
    const script = scriptedExec([
      { ...removeSteps('', '')[0]!, exitCode: 1, stderr: noEngine },
      { ...removeSteps('', '')[1]!, exitCode: 1, stderr: noEngine },
      { argv: ['kind', 'get', 'clusters'], exitCode: 1, stderr: `ERROR: failed to list clusters: ${noEngine}` },
    ]);
    const provider = new KindProvider(testSettings(script.exec));

    const error = await provider
      .down(options(), recordingReporter().reporter, new AbortController().signal)
      .catch((e) => e);

    script.finish();
    expect(error).toBeInstanceOf(CleanupError);
    expect((error as CleanupError).parts).toHaveLength(3);
    expect((error as CleanupError).parts[2]).toMatch(/^kind delete cluster --name expose-labs: /);
  });

  it('--dry-run lists, prints the deletions, and never removes', async () => {
    const script = scriptedExec([
      removeSteps('', '')[0]!,
      removeSteps('', '')[1]!,
      { argv: ['kind', 'delete', 'cluster', '--name', 'expose-labs'] },
    ]);
    const provider = new KindProvider(testSettings(script.exec));
    const { reporter, notes } = recordingReporter();

    await provider.down(options({ dryRun: true }), reporter, new AbortController().signal);

    script.finish();
    expect(notes()).toEqual([
      '# for each container the command above lists: docker rm -f <name>',
      '# for each container the command above lists: docker rm -f <name>',
    ]);
  });
});

describe('kind provider: reachability, connect, capabilities', () => {
  const reach = (info: string) => [
    { argv: ['docker', 'info', '--format', '{{json .}}'], stdout: info },
    { argv: ['docker', 'network', 'inspect', 'kind'], stdout: fixture('network-kind.json') },
  ];

  it('on Linux with the engine on the host: node addresses reachable, the kind gateway as first guess', async () => {
    const script = scriptedExec(reach(fixture('docker-info-linux.json')));
    const cluster = new KindProvider(testSettings(script.exec)).cluster(options());

    const first = await cluster.reachability();
    const again = await cluster.reachability();

    script.finish();
    expect(first).toEqual({
      measureClientAddress: expect.any(Function),
      hostReachesNodeNetwork: true,
      hostClientAddress: '172.18.0.1',
      networkProbe: {
        network: 'kind',
        image: 'kindest/node:v1.36.1@sha256:3489c7674813ba5d8b1a9977baea8a6e553784dab7b84759d1014dbd78f7ebd5',
      },
      labNetworks: ['fc00:f853:ccd:e793::/64', '172.18.0.0/16'],
    });
    expect(again).toBe(first);
  });

  it('on Docker Desktop the node network is not reachable from the host', async () => {
    const script = scriptedExec(reach(fixture('docker-info-desktop.json')));
    const cluster = new KindProvider(testSettings(script.exec)).cluster(options());

    expect((await cluster.reachability()).hostReachesNodeNetwork).toBe(false);
    script.finish();
  });

  it('on macOS the node network is not reachable even without "Docker Desktop" in docker info', async () => {
    const script = scriptedExec(reach(fixture('docker-info-linux.json')));
    const cluster = new KindProvider(testSettings(script.exec, { platform: 'darwin' })).cluster(options());

    expect((await cluster.reachability()).hostReachesNodeNetwork).toBe(false);
    script.finish();
  });

  it('measures the client address through a throwaway whoami behind a 127.0.0.1 mapping, once', async () => {
    const id = '9b2c4d6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e2f4a6b8c';
    const script = scriptedExec([
      ...reach(fixture('docker-info-linux.json')),
      {
        argv: probeRun('kind'),
        stdout: `${id}\n`,
      },
      { argv: ['docker', 'port', id, '80/tcp'], stdout: '127.0.0.1:49153\n' },
      { argv: ['docker', 'rm', '-f', id], stdout: `${id}\n` },
    ]);
    const whoami = fakeFetch(
      `Hostname: ${id.slice(0, 12)}\nIP: 127.0.0.1\nIP: 172.18.0.7\nRemoteAddr: 10.0.2.100:40312\nGET / HTTP/1.1\r\nHost: 127.0.0.1:49153\r\n\r\n`,
    );
    const cluster = new KindProvider(testSettings(script.exec, { fetch: whoami.fetch })).cluster(options());

    const reach1 = await cluster.reachability();
    expect(await reach1.measureClientAddress!()).toBe('10.0.2.100');
    expect(await reach1.measureClientAddress!()).toBe('10.0.2.100');

    script.finish();
    expect(whoami.urls).toEqual(['http://127.0.0.1:49153/']);
    // The measured address is not the gateway guess: a check that assumed the gateway would have been wrong here.
    expect(reach1.hostClientAddress).toBe('172.18.0.1');
  });

  it('a client-address probe that cannot start names the command to try on the network it used', async () => {
    const script = scriptedExec([
      {
        argv: probeRun('lab-net'),
        exitCode: 125,
        stderr: 'docker: Error response from daemon: network lab-net not found.\n',
      },
    ]);

    const error = await measureClientAddress(script.exec, fakeFetch('').fetch, { network: 'lab-net' }).catch(
      (e: unknown) => e,
    );
    script.finish();
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).hint).toMatchObject({
      en: expect.stringContaining('docker run --rm --network lab-net -p 127.0.0.1::80 traefik/whoami:v1.11.0'),
      ko: expect.stringContaining('docker run --rm --network lab-net -p 127.0.0.1::80 traefik/whoami:v1.11.0'),
    });
  });

  it('restores a missing kubeconfig context of a cluster kind lists, instead of asking for a recreate', async () => {
    const script = scriptedExec([
      { argv: ['kind', 'get', 'clusters'], stdout: 'expose-labs\n' },
      CONTEXTS('kind-other\n'),
      {
        argv: ['kind', 'export', 'kubeconfig', '--name', 'expose-labs'],
        stderr: 'Set kubectl context to "kind-expose-labs"\n',
      },
      { argv: [...CTX, 'get', 'nodes', '-o', 'json'], stdout: fixture('nodes.json') },
    ]);
    const provider = new KindProvider(testSettings(script.exec));

    expect((await provider.connect(options()))?.context).toBe('kind-expose-labs');
    script.finish();
  });

  it('connect finds an existing cluster that answers, and nothing when there is none', async () => {
    const script = scriptedExec([
      { argv: ['kind', 'get', 'clusters'], stdout: 'expose-labs\n' },
      CONTEXTS(),
      { argv: [...CTX, 'get', 'nodes', '-o', 'json'], stdout: fixture('nodes.json') },
      { argv: ['kind', 'get', 'clusters'], stderr: 'No kind clusters found.\n' },
    ]);
    const provider = new KindProvider(testSettings(script.exec));

    expect((await provider.connect(options()))?.context).toBe('kind-expose-labs');
    expect(await provider.connect(options())).toBeUndefined();
    script.finish();
  });

  it('capabilities come from the running cloud-provider-kind and an available Contour', async () => {
    const script = scriptedExec([
      controllerInspect(`running ${CCM_IMAGE}\n`),
      DOCKER_INFO(),
      {
        argv: [...CTX, '-n', 'projectcontour', 'get', 'deployment', 'contour', '-o', 'json'],
        stdout: JSON.stringify({ kind: 'Deployment', status: { replicas: 2, availableReplicas: 2 } }),
      },
      {
        argv: [...CTX, 'get', 'gatewayclass', 'cloud-provider-kind', '-o', 'json'],
        stdout: JSON.stringify({
          kind: 'GatewayClass',
          spec: { controllerName: 'kind.sigs.k8s.io/gateway-controller' },
          status: { conditions: [{ type: 'Accepted', status: 'True' }] },
        }),
      },
      {
        argv: ['docker', 'inspect', '--format', '{{.State.Status}} {{.Config.Image}}', CCM],
        exitCode: 1,
        stderr: `Error: No such object: ${CCM}\n`,
      },
      {
        argv: [...CTX, '-n', 'projectcontour', 'get', 'deployment', 'contour', '-o', 'json'],
        exitCode: 1,
        stderr: 'Error from server (NotFound): deployments.apps "contour" not found\n',
      },
      {
        argv: [...CTX, 'get', 'gatewayclass', 'cloud-provider-kind', '-o', 'json'],
        exitCode: 1,
        stderr:
          'Error from server (NotFound): gatewayclasses.gateway.networking.k8s.io "cloud-provider-kind" not found\n',
      },
    ]);
    const provider = new KindProvider(testSettings(script.exec));
    const cluster = provider.cluster(options());

    expect(await provider.capabilities(cluster)).toEqual({ loadBalancer: true, ingress: true, gateway: true });
    expect(await provider.capabilities(cluster)).toEqual({ loadBalancer: false, ingress: false, gateway: false });
    script.finish();
  });
});
