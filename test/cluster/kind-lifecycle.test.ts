import { describe, expect, it } from 'vitest';
import { KindProvider } from '../../src/cluster/kind/provider.js';
import { CCM, CCM_IMAGE, CTX, fixture, options, testSettings } from './kind-fixtures.js';
import { recordingReporter } from './recording-reporter.js';
import { scriptedExec, type Step } from './scripted-exec.js';

const listCcm = (stdout: string): Step => ({
  argv: ['docker', 'ps', '-a', '--filter', 'label=expose-labs.cluster=expose-labs', '--format', '{{.Names}}'],
  stdout,
});
const listLbs = (stdout: string): Step => ({
  argv: [
    'docker',
    'ps',
    '-a',
    '--filter',
    'label=io.x-k8s.cloud-provider-kind.cluster=expose-labs',
    '--format',
    '{{.Names}}',
  ],
  stdout,
});

describe('kind provider: down', () => {
  it('removes cloud-provider-kind, its kindccm containers for this cluster, and the cluster; a second run does nothing', async () => {
    const script = scriptedExec([
      listCcm(`${CCM}\n`),
      { argv: ['docker', 'rm', '-f', CCM], stdout: `${CCM}\n` },
      listLbs('kindccm-3f6d0a2b9c1e\nkindccm-a81b77c0d412\n'),
      { argv: ['docker', 'rm', '-f', 'kindccm-3f6d0a2b9c1e', 'kindccm-a81b77c0d412'] },
      { argv: ['kind', 'get', 'clusters'], stdout: 'expose-labs\nother\n' },
      { argv: ['kind', 'delete', 'cluster', '--name', 'expose-labs'], stderr: 'Deleting cluster "expose-labs" ...\n' },
      listCcm(''),
      listLbs(''),
      { argv: ['kind', 'get', 'clusters'], stdout: 'other\n' },
    ]);
    const provider = new KindProvider(testSettings(script.exec));
    const { reporter } = recordingReporter();

    await provider.down(options(), reporter, new AbortController().signal);
    await provider.down(options(), reporter, new AbortController().signal);

    script.finish();
  });

  it('--dry-run lists, prints the deletions, and never removes', async () => {
    const script = scriptedExec([
      listCcm(''),
      listLbs(''),
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

  it('on Linux with the engine on the host: node addresses reachable, the kind gateway as client address', async () => {
    const script = scriptedExec(reach(fixture('docker-info-linux.json')));
    const cluster = new KindProvider(testSettings(script.exec)).cluster(options());

    const first = await cluster.reachability();
    const again = await cluster.reachability();

    script.finish();
    expect(first).toEqual({
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

  it('connect finds an existing cluster that answers, and nothing when there is none', async () => {
    const script = scriptedExec([
      { argv: ['kind', 'get', 'clusters'], stdout: 'expose-labs\n' },
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
      {
        argv: ['docker', 'inspect', '--format', '{{.State.Status}} {{.Config.Image}}', CCM],
        stdout: `running ${CCM_IMAGE}\n`,
      },
      {
        argv: [...CTX, '-n', 'projectcontour', 'get', 'deployment', 'contour', '-o', 'json'],
        stdout: JSON.stringify({ kind: 'Deployment', status: { replicas: 2, availableReplicas: 2 } }),
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
    ]);
    const provider = new KindProvider(testSettings(script.exec));
    const cluster = provider.cluster(options());

    expect(await provider.capabilities(cluster)).toEqual({ loadBalancer: true, ingress: true });
    expect(await provider.capabilities(cluster)).toEqual({ loadBalancer: false, ingress: false });
    script.finish();
  });
});
