import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it, vi } from 'vitest';
import { KindProvider } from '../../src/cluster/kind/provider.js';
import { kindConfigPath } from '../../src/cluster/kind/settings.js';
import { ChecksumMismatchError } from '../../src/cluster/verified-download.js';
import { InterruptedError, UserError } from '../../src/core/errors.js';
import { tr } from '../../src/core/i18n.js';
import {
  CCM,
  CCM_IMAGE,
  CONTEXTS,
  CTX,
  DOCKER_INFO,
  LIST_CONTROLLERS,
  NODE_NAMES,
  controllerInspect,
  controllerRun,
  fakeFetch,
  fixture,
  hostPulls,
  loadSteps,
  options,
  pullSteps,
  removeSteps,
  testSettings,
} from './kind-fixtures.js';
import { recordingReporter } from './recording-reporter.js';
import { scriptedExec, type Step } from './scripted-exec.js';

const NO_CLUSTERS: Step = { argv: ['kind', 'get', 'clusters'], stderr: 'No kind clusters found.\n' };
const WAIT_NODES: Step = {
  argv: [...CTX, 'wait', '--for=condition=Ready', 'nodes', '--all', '--timeout=300s'],
  stdout:
    'node/expose-labs-control-plane condition met\nnode/expose-labs-worker condition met\nnode/expose-labs-worker2 condition met\n',
};
const contourSteps = (cacheDir: string): Step[] => [
  {
    argv: [...CTX, 'apply', '-f', join(cacheDir, 'manifests', 'contour-v1.33.6.yaml')],
    stdout: 'namespace/projectcontour created\n',
  },
  {
    argv: [...CTX, '-n', 'projectcontour', 'rollout', 'status', 'deployment/contour', '--timeout=300s'],
    stdout: 'deployment "contour" successfully rolled out\n',
  },
  {
    argv: [...CTX, '-n', 'projectcontour', 'rollout', 'status', 'daemonset/envoy', '--timeout=300s'],
    stdout: 'daemon set "envoy" successfully rolled out\n',
  },
];
const ENVOY_SVC = [...CTX, '-n', 'projectcontour', 'get', 'service', 'envoy', '-o', 'json'];
const createCommand = (configFile: string, extra: string[] = []): string[] => [
  'kind',
  'create',
  'cluster',
  '--name',
  'expose-labs',
  '--config',
  configFile,
  ...extra,
];
/** Up to the point where the controller is running. */
const untilController = (configFile: string, cacheDir: string): Step[] => [
  ...pullSteps(hostPulls()),
  { argv: createCommand(configFile), stdout: 'Creating cluster "expose-labs" ...\n' },
  WAIT_NODES,
  ...loadSteps(cacheDir),
  LIST_CONTROLLERS(),
  controllerInspect('', 1),
  controllerRun(),
  controllerInspect(`running ${CCM_IMAGE}\n`),
];
const createSteps = (configFile: string, cacheDir: string): Step[] => [
  ...untilController(configFile, cacheDir),
  ...contourSteps(cacheDir),
  { argv: ENVOY_SVC, stdout: fixture('service-envoy-pending.json') },
  { argv: ENVOY_SVC, stdout: fixture('service-envoy.json') },
];
const inspectExisting: Step[] = [
  { argv: ['kind', 'get', 'clusters'], stdout: 'expose-labs\n' },
  CONTEXTS(),
  {
    argv: ['docker', 'ps', '-a', '--filter', 'label=io.x-k8s.kind.cluster=expose-labs', '--format', '{{.Names}}'],
    stdout: NODE_NAMES,
  },
  {
    argv: ['docker', 'inspect', 'expose-labs-control-plane', 'expose-labs-worker', 'expose-labs-worker2'],
    stdout: fixture('docker-inspect-nodes.json'),
  },
  { argv: [...CTX, 'get', 'nodes', '-o', 'json'], stdout: fixture('nodes.json') },
];

describe('kind provider: create', () => {
  it('creates the cluster from the template, then cloud-provider-kind and Contour, waiting on each (exact argv)', async () => {
    const placeholder = scriptedExec([]);
    const settings = testSettings(placeholder.exec);
    const configFile = kindConfigPath(settings.home, 'expose-labs');
    const script = scriptedExec([DOCKER_INFO(), NO_CLUSTERS, ...createSteps(configFile, settings.cacheDir)]);
    const fetched = fakeFetch();
    const provider = new KindProvider({ ...settings, exec: script.exec, fetch: fetched.fetch });
    const { reporter, events } = recordingReporter();

    const cluster = await provider.up(options(), reporter, new AbortController().signal);

    script.finish();
    expect(cluster.context).toBe('kind-expose-labs');
    expect(cluster.kubectlLine(['get', 'nodes'])).toBe('kubectl --context kind-expose-labs get nodes');
    expect(fetched.urls).toEqual(['https://contour.invalid/contour.yaml']);
    expect(events.filter((e) => e.startsWith('task: '))).toEqual([
      'task: Find out which Docker engine runs (docker info)',
      'task: Look for an existing kind cluster',
      'task: Check the host ports are free (127.0.0.1)',
      'task: Write the kind config',
      'task: Create the kind cluster expose-labs (3 nodes; the other images are pulled meanwhile; the first time takes minutes)',
      'task: Wait for the nodes to be Ready',
      'task: Load the images into the nodes (pulled once on the host, then kind load)',
      'task: Start cloud-provider-kind (the LoadBalancer implementation)',
      'task: Install the Contour ingress controller',
      'task: Wait for the envoy Service to get an EXTERNAL-IP',
    ]);
    // Every image is pulled once, on the host, and started before kind create (which pulls the node image).
    const lines = script.lines();
    const create = lines.findIndex((l) => l.startsWith('kind create cluster'));
    for (const ref of hostPulls()) {
      expect(lines.indexOf(`docker image inspect --format '{{.Id}}' ${ref}`)).toBeLessThan(create);
      expect(lines.filter((l) => l === `docker pull ${ref}`)).toHaveLength(1);
    }
    expect(events.filter((e) => e.startsWith('note: Image pulled'))).toHaveLength(5);
    expect(events.filter((e) => e.startsWith('note: Loaded into the nodes'))).toHaveLength(3);
    const config = parse(readFileSync(configFile, 'utf8'));
    expect(config.nodes.map((n: { role: string }) => n.role)).toEqual(['control-plane', 'worker', 'worker']);
    expect(config.nodes[1].labels).toEqual({ 'expose-labs/node': 'a' });
    expect(config.nodes[2].labels).toEqual({ 'expose-labs/node': 'b' });
    expect(config.nodes[1].extraPortMappings).toEqual([
      { containerPort: 80, hostPort: 80, listenAddress: '127.0.0.1', protocol: 'TCP' },
      { containerPort: 443, hostPort: 443, listenAddress: '127.0.0.1', protocol: 'TCP' },
      { containerPort: 30000, hostPort: 30000, listenAddress: '127.0.0.1', protocol: 'TCP' },
      { containerPort: 30080, hostPort: 30081, listenAddress: '127.0.0.1', protocol: 'TCP' },
    ]);
    expect(config.nodes[2].extraPortMappings).toEqual([
      { containerPort: 30080, hostPort: 30082, listenAddress: '127.0.0.1', protocol: 'TCP' },
    ]);
    for (const node of config.nodes) {
      expect(node.image).toBe(
        'kindest/node:v1.36.1@sha256:3489c7674813ba5d8b1a9977baea8a6e553784dab7b84759d1014dbd78f7ebd5',
      );
    }
  });

  it('writes the configured host ports into the kind config', async () => {
    const placeholder = scriptedExec([]);
    const settings = testSettings(placeholder.exec);
    const configFile = kindConfigPath(settings.home, 'expose-labs');
    const script = scriptedExec([DOCKER_INFO(), NO_CLUSTERS, ...createSteps(configFile, settings.cacheDir)]);
    const provider = new KindProvider({ ...settings, exec: script.exec });
    const ports = { http: 8080, https: 8443, nodePort: 31000, workerA: 31081, workerB: 31082 };

    await provider.up(options({ ports }), recordingReporter().reporter, new AbortController().signal);

    script.finish();
    const config = parse(readFileSync(configFile, 'utf8'));
    expect(config.nodes[1].extraPortMappings.map((m: { hostPort: number }) => m.hostPort)).toEqual([
      8080, 8443, 31000, 31081,
    ]);
    expect(config.nodes[2].extraPortMappings[0].hostPort).toBe(31082);
  });

  it('runs kind and kubectl from the cache when doctor --fix put them there', async () => {
    const placeholder = scriptedExec([]);
    const settings = testSettings(placeholder.exec);
    const bin = join(settings.cacheDir, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'kind'), '');
    writeFileSync(join(bin, 'kubectl'), '');
    const script = scriptedExec([{ argv: [join(bin, 'kind'), 'get', 'clusters'] }]);
    const provider = new KindProvider({ ...settings, exec: script.exec });

    const status = await provider.inspect(options());

    script.finish();
    expect(status.exists).toBe(false);
    expect(provider.cluster(options()).kubectlLine(['get', 'nodes'])).toBe(
      `${join(bin, 'kubectl')} --context kind-expose-labs get nodes`,
    );
  });

  it('reuses a cluster whose configuration matches, and keeps a running cloud-provider-kind', async () => {
    const placeholder = scriptedExec([]);
    const settings = testSettings(placeholder.exec);
    const script = scriptedExec([
      DOCKER_INFO(),
      ...inspectExisting,
      ...pullSteps(hostPulls(), { present: true }),
      WAIT_NODES,
      ...loadSteps(settings.cacheDir),
      LIST_CONTROLLERS(),
      controllerInspect(`running ${CCM_IMAGE}\n`),
      ...contourSteps(settings.cacheDir),
      { argv: ENVOY_SVC, stdout: fixture('service-envoy.json') },
    ]);
    const provider = new KindProvider({ ...settings, exec: script.exec });
    const { reporter, notes } = recordingReporter();

    await provider.up(options(), reporter, new AbortController().signal);

    script.finish();
    expect(notes()).toContain('Cluster expose-labs already exists with this configuration: reusing it.');
    expect(existsSync(kindConfigPath(settings.home, 'expose-labs'))).toBe(false);
  });

  it('refuses to reuse a cluster made with other ports, naming each difference', async () => {
    const placeholder = scriptedExec([]);
    const settings = testSettings(placeholder.exec);
    const script = scriptedExec([DOCKER_INFO(), ...inspectExisting]);
    const provider = new KindProvider({ ...settings, exec: script.exec });
    const ports = { http: 8080, https: 443, nodePort: 30000, workerA: 30081, workerB: 30082 };

    const error = await provider
      .up(options({ ports }), recordingReporter().reporter, new AbortController().signal)
      .catch((e) => e);

    script.finish();
    expect(error).toBeInstanceOf(UserError);
    expect(tr(error.text, 'en')).toContain(
      'Node expose-labs-worker port 80 is mapped to host 127.0.0.1:80; the configuration asks for 127.0.0.1:8080.',
    );
    expect(tr(error.hint, 'en')).toContain('--recreate');
  });

  it('reports a node image and a missing label as differences', async () => {
    const placeholder = scriptedExec([]);
    const settings = testSettings(placeholder.exec);
    const nodes = JSON.parse(fixture('docker-inspect-nodes.json'));
    nodes[2].Config.Image = 'kindest/node:v1.31.2';
    const list = JSON.parse(fixture('nodes.json'));
    delete list.items[1].metadata.labels['expose-labs/node'];
    const script = scriptedExec([
      inspectExisting[0]!,
      inspectExisting[1]!,
      inspectExisting[2]!,
      { ...inspectExisting[3]!, stdout: JSON.stringify(nodes) },
      { ...inspectExisting[4]!, stdout: JSON.stringify(list) },
    ]);
    const provider = new KindProvider({ ...settings, exec: script.exec });

    const status = await provider.inspect(options());

    script.finish();
    expect(status.matches).toBe(false);
    expect(status.differences.map((d) => tr(d, 'en'))).toEqual([
      'Node expose-labs-worker lacks the label expose-labs/node=a.',
      'Node expose-labs-worker2 runs kindest/node:v1.31.2; the pinned image is kindest/node:v1.36.1@sha256:3489c7674813ba5d8b1a9977baea8a6e553784dab7b84759d1014dbd78f7ebd5.',
    ]);
  });

  it('with --recreate deletes the old cluster and what belongs to it, then creates a new one', async () => {
    const placeholder = scriptedExec([]);
    const settings = testSettings(placeholder.exec);
    const configFile = kindConfigPath(settings.home, 'expose-labs');
    const ports = { http: 8080, https: 443, nodePort: 30000, workerA: 30081, workerB: 30082 };
    const script = scriptedExec([
      DOCKER_INFO(),
      ...inspectExisting,
      ...removeSteps('kindccm-3f6d0a2b9c1e\n', 'expose-labs\n', { legacy: 'expose-labs-cloud-provider-kind-old\n' }),
      ...createSteps(configFile, settings.cacheDir),
    ]);
    const provider = new KindProvider({ ...settings, exec: script.exec });

    await provider.up(options({ ports, recreate: true }), recordingReporter().reporter, new AbortController().signal);

    script.finish();
  });
});

describe('kind provider: failures', () => {
  it('stops before creating anything when a host port is taken, naming the flag', async () => {
    const script = scriptedExec([DOCKER_INFO(), NO_CLUSTERS]);
    const settings = testSettings(script.exec, { probePort: async (port) => (port === 80 ? 'taken' : 'free') });
    const provider = new KindProvider(settings);

    const error = await provider
      .up(options(), recordingReporter().reporter, new AbortController().signal)
      .catch((e) => e);

    script.finish();
    expect(error).toBeInstanceOf(UserError);
    expect(tr(error.text, 'en')).toBe('Host port 80 (--http-port) is already in use on 127.0.0.1.');
    expect(tr(error.hint, 'en')).toContain('--http-port 8080');
    expect(tr(error.text, 'ko')).toContain('--http-port');
  });

  it('refuses two mappings on one host port before running anything', async () => {
    const script = scriptedExec([]);
    const provider = new KindProvider(testSettings(script.exec));
    const ports = { http: 80, https: 443, nodePort: 30000, workerA: 30000, workerB: 30082 };

    await expect(
      provider.up(options({ ports }), recordingReporter().reporter, new AbortController().signal),
    ).rejects.toThrow('--nodeport-port and --worker-a-port are both port 30000.');
    script.finish();
  });

  it('deletes what it made when kind create fails', async () => {
    const placeholder = scriptedExec([]);
    const settings = testSettings(placeholder.exec);
    const configFile = kindConfigPath(settings.home, 'expose-labs');
    const script = scriptedExec([
      DOCKER_INFO(),
      NO_CLUSTERS,
      ...pullSteps(hostPulls(), { optional: true }),
      {
        argv: ['kind', 'create', 'cluster', '--name', 'expose-labs', '--config', configFile],
        exitCode: 1,
        stderr:
          'ERROR: failed to create cluster: command "docker run --name expose-labs-worker ..." failed with error: exit status 125\nCommand Output: docker: Error response from daemon: driver failed programming external connectivity on endpoint expose-labs-worker: Bind for 127.0.0.1:80 failed: port is already allocated.\n',
      },
      ...removeSteps('', 'expose-labs\n', { controller: false }),
    ]);
    const provider = new KindProvider({ ...settings, exec: script.exec });
    const { reporter, events } = recordingReporter();

    const error = await provider.up(options(), reporter, new AbortController().signal).catch((e) => e);

    script.finish();
    expect(error).toBeInstanceOf(UserError);
    expect(tr(error.text, 'en')).toContain('port is already allocated');
    expect(events).toContain('task: Failed: removing what this run made');
  });

  it('keeps a half-made cluster with --keep-on-failure, passing --retain to kind', async () => {
    const placeholder = scriptedExec([]);
    const settings = testSettings(placeholder.exec);
    const configFile = kindConfigPath(settings.home, 'expose-labs');
    const script = scriptedExec([
      DOCKER_INFO(),
      NO_CLUSTERS,
      ...pullSteps(hostPulls(), { optional: true }),
      {
        argv: ['kind', 'create', 'cluster', '--name', 'expose-labs', '--config', configFile, '--retain'],
        exitCode: 1,
        stderr: 'ERROR: failed to create cluster\n',
      },
    ]);
    const provider = new KindProvider({ ...settings, exec: script.exec });
    const { reporter, notes } = recordingReporter();

    await expect(
      provider.up(options({ keepOnFailure: true }), reporter, new AbortController().signal),
    ).rejects.toBeInstanceOf(UserError);

    script.finish();
    expect(notes().some((n) => n.startsWith('--keep-on-failure: the half-made cluster was kept.'))).toBe(true);
  });

  it('says which add-on never got ready, and keeps the created cluster so that a new run resumes', async () => {
    const placeholder = scriptedExec([]);
    const settings = testSettings(placeholder.exec);
    const configFile = kindConfigPath(settings.home, 'expose-labs');
    const script = scriptedExec([
      DOCKER_INFO(),
      NO_CLUSTERS,
      ...untilController(configFile, settings.cacheDir),
      contourSteps(settings.cacheDir)[0]!,
      {
        argv: [...CTX, '-n', 'projectcontour', 'rollout', 'status', 'deployment/contour', '--timeout=300s'],
        exitCode: 1,
        stdout: 'Waiting for deployment "contour" rollout to finish: 0 of 2 updated replicas are available...\n',
        stderr: 'error: timed out waiting for the condition\n',
      },
    ]);
    const provider = new KindProvider({ ...settings, exec: script.exec });
    const { reporter, events } = recordingReporter();

    const error = await provider.up(options(), reporter, new AbortController().signal).catch((e) => e);

    script.finish();
    expect(script.lines().some((l) => l.startsWith('kind delete'))).toBe(false);
    expect(events).not.toContain('task: Failed: removing what this run made');
    expect(events).toContain(
      'note: Cluster expose-labs was created and is kept. Run the same command again to resume where it stopped (to remove it: npx expose-labs down --cluster-name expose-labs).',
    );
    expect(tr(error.hint, 'en')).toContain('The cluster is kept: running the same command again resumes the wait.');
    expect(tr(error.text, 'en')).toBe('Contour (deployment/contour) was not ready within 300 s.');
    expect(tr(error.hint, 'en')).toContain('kubectl --context kind-expose-labs -n projectcontour get pods -o wide');
    expect(tr(error.text, 'ko')).toContain('300초');
  });

  it('refuses a Contour manifest that is not the pinned file, before applying it, and leaves no download behind', async () => {
    const placeholder = scriptedExec([]);
    const settings = testSettings(placeholder.exec, {
      fetch: fakeFetch('kind: Namespace\nmetadata:\n  name: something-else\n').fetch,
    });
    const configFile = kindConfigPath(settings.home, 'expose-labs');
    const script = scriptedExec([DOCKER_INFO(), NO_CLUSTERS, ...untilController(configFile, settings.cacheDir)]);
    const provider = new KindProvider({ ...settings, exec: script.exec });

    const error = await provider
      .up(options(), recordingReporter().reporter, new AbortController().signal)
      .catch((e) => e);

    script.finish();
    expect(error).toBeInstanceOf(ChecksumMismatchError);
    expect(readdirSync(join(settings.cacheDir, 'manifests'))).toEqual([]);
  });

  it('another cloud-provider-kind stops the run with the command that ends it, and keeps the created cluster', async () => {
    const placeholder = scriptedExec([]);
    const settings = testSettings(placeholder.exec);
    const configFile = kindConfigPath(settings.home, 'expose-labs');
    const steps = untilController(configFile, settings.cacheDir);
    const list = steps.findIndex((s) => s.argv.includes('{{.Names}}\t{{.Image}}\t{{.Labels}}'));
    const script = scriptedExec([
      DOCKER_INFO(),
      NO_CLUSTERS,
      ...steps.slice(0, list),
      LIST_CONTROLLERS(
        'kind-ccm\tregistry.k8s.io/cloud-provider-kind/cloud-controller-manager:v0.9.0\tcom.docker.compose.project=lab\n',
      ),
    ]);
    const provider = new KindProvider({ ...settings, exec: script.exec });

    const error = await provider
      .up(options(), recordingReporter().reporter, new AbortController().signal)
      .catch((e) => e);

    script.finish();
    expect(tr(error.text, 'en')).toContain('Another cloud-provider-kind is running: kind-ccm');
    expect(tr(error.hint, 'en')).toContain('docker rm -f kind-ccm');
    expect(script.lines().some((l) => l.startsWith('kind delete'))).toBe(false);
  });

  it('replaces a controller an earlier expose-labs ran per cluster with the shared one', async () => {
    const placeholder = scriptedExec([]);
    const settings = testSettings(placeholder.exec);
    const configFile = kindConfigPath(settings.home, 'expose-labs');
    const steps = untilController(configFile, settings.cacheDir);
    const list = steps.findIndex((s) => s.argv.includes('{{.Names}}\t{{.Image}}\t{{.Labels}}'));
    const script = scriptedExec([
      DOCKER_INFO(),
      NO_CLUSTERS,
      ...steps.slice(0, list),
      LIST_CONTROLLERS(`old-cloud-provider-kind\t${CCM_IMAGE}\texpose-labs.cluster=old\n`),
      { argv: ['docker', 'rm', '-f', 'old-cloud-provider-kind'] },
      ...steps.slice(list + 1),
      ...contourSteps(settings.cacheDir),
      { argv: ENVOY_SVC, stdout: fixture('service-envoy.json') },
    ]);
    const provider = new KindProvider({ ...settings, exec: script.exec });

    await provider.up(options(), recordingReporter().reporter, new AbortController().signal);

    script.finish();
  });

  it('says so when cloud-provider-kind never runs', async () => {
    const placeholder = scriptedExec([]);
    const settings = testSettings(placeholder.exec);
    const configFile = kindConfigPath(settings.home, 'expose-labs');
    const created = controllerInspect(`created ${CCM_IMAGE}\n`);
    let firstPoll!: () => void;
    const polling = new Promise<void>((resolve) => (firstPoll = resolve));
    const script = scriptedExec([
      DOCKER_INFO(),
      NO_CLUSTERS,
      ...untilController(configFile, settings.cacheDir).slice(0, -1),
      { ...created, onStart: firstPoll },
      created,
    ]);
    const provider = new KindProvider({ ...settings, exec: script.exec });

    // The wait (src/core/poll.ts) reads Date.now and sleeps with setTimeout: on the fake clock it polls at 0 and at
    // the 40 ms deadline, exactly twice, however slow the machine is (by wall clock a late or early timer added or
    // dropped a poll).
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    try {
      const failed = provider.up(options(), recordingReporter().reporter, new AbortController().signal).catch((e) => e);
      await polling;
      await vi.advanceTimersByTimeAsync(settings.waits.ccmMs);
      const error = await failed;

      script.finish();
      expect(tr(error.text, 'en')).toBe('cloud-provider-kind did not start within 1 s.');
      expect(tr(error.hint, 'en')).toContain(`docker logs ${CCM}`);
    } finally {
      vi.useRealTimers();
    }
  });

  it('on Ctrl-C during kind create: stops the command, removes what was made, throws InterruptedError', async () => {
    const placeholder = scriptedExec([]);
    const settings = testSettings(placeholder.exec);
    const configFile = kindConfigPath(settings.home, 'expose-labs');
    const controller = new AbortController();
    const script = scriptedExec([
      DOCKER_INFO(),
      NO_CLUSTERS,
      ...pullSteps(hostPulls(), { optional: true }),
      {
        argv: ['kind', 'create', 'cluster', '--name', 'expose-labs', '--config', configFile],
        hang: true,
        onStart: () => setTimeout(() => controller.abort(), 5),
      },
      ...removeSteps('', 'expose-labs\n', { controller: false }),
    ]);
    const provider = new KindProvider({ ...settings, exec: script.exec });

    await expect(provider.up(options(), recordingReporter().reporter, controller.signal)).rejects.toBeInstanceOf(
      InterruptedError,
    );

    script.finish();
  });

  it('a Ctrl-C while waiting for the load balancer keeps the created cluster', async () => {
    const placeholder = scriptedExec([]);
    const settings = testSettings(placeholder.exec, {
      waits: { nodesSeconds: 300, contourSeconds: 300, ccmMs: 40, lbAddressMs: 60_000 },
    });
    const configFile = kindConfigPath(settings.home, 'expose-labs');
    const controller = new AbortController();
    const script = scriptedExec([
      DOCKER_INFO(),
      NO_CLUSTERS,
      ...untilController(configFile, settings.cacheDir),
      ...contourSteps(settings.cacheDir),
      {
        argv: ENVOY_SVC,
        stdout: fixture('service-envoy-pending.json'),
        onStart: () => setTimeout(() => controller.abort(), 20),
      },
    ]);
    const provider = new KindProvider({ ...settings, exec: script.exec });

    await expect(provider.up(options(), recordingReporter().reporter, controller.signal)).rejects.toBeInstanceOf(
      InterruptedError,
    );

    script.finish();
  });
});
