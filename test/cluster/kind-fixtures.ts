import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { kindSettings, type KindSettings } from '../../src/cluster/kind/settings.js';
import type { ClusterOptions } from '../../src/cluster/types.js';
import { DEFAULT_HOST_PORTS } from '../../src/cluster/types.js';
import type { Exec } from '../../src/platform/command.js';
import { packageRoot } from '../../src/platform/paths.js';
import type { ManifestPin } from '../../src/cluster/versions.js';
import type { Step } from './scripted-exec.js';

/** Outputs of docker, kind and kubectl as their docs show them, for the expose-labs cluster with default ports. */
export function fixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');
}

export const CONTOUR_TEXT = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: projectcontour\n';
/** A stand-in pin for the Contour manifest: the fake fetch serves CONTOUR_TEXT, never the network. */
export const TEST_CONTOUR: ManifestPin = {
  name: 'contour',
  version: 'v1.33.6',
  url: 'https://contour.invalid/contour.yaml',
  sha256: createHash('sha256').update(CONTOUR_TEXT).digest('hex'),
  file: 'contour-v1.33.6.yaml',
};

export function fakeFetch(body: string = CONTOUR_TEXT) {
  const urls: string[] = [];
  const fetch = (async (input: string | URL | Request) => {
    urls.push(input instanceof Request ? input.url : input.toString());
    return new Response(body, { status: 200 });
  }) as typeof globalThis.fetch;
  return { fetch, urls };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `expose-labs-${prefix}-`));
}

export function testSettings(exec: Exec, overrides: Partial<KindSettings> = {}): KindSettings {
  return kindSettings({
    exec,
    home: tempDir('home'),
    cacheDir: tempDir('cache'),
    root: packageRoot(),
    platform: 'linux',
    env: {},
    fetch: fakeFetch().fetch,
    probePort: async () => 'free',
    contour: TEST_CONTOUR,
    waits: { nodesSeconds: 300, contourSeconds: 300, ccmMs: 40, lbAddressMs: 40 },
    ...overrides,
  });
}

export function options(
  overrides: Partial<ClusterOptions & { recreate: boolean }> = {},
): ClusterOptions & { recreate: boolean } {
  return {
    name: 'expose-labs',
    ports: { ...DEFAULT_HOST_PORTS },
    keepOnFailure: false,
    yes: true,
    dryRun: false,
    verbose: false,
    recreate: false,
    ...overrides,
  };
}

export const CCM = 'expose-labs-cloud-provider-kind';
export const CCM_IMAGE = 'registry.k8s.io/cloud-provider-kind/cloud-controller-manager:v0.11.1';
export const CTX = ['kubectl', '--context', 'kind-expose-labs'];
export const NODE_NAMES = 'expose-labs-control-plane\nexpose-labs-worker\nexpose-labs-worker2\n';

export const CONTOUR_IMAGE = 'ghcr.io/projectcontour/contour:v1.33.6';
export const ENVOY_IMAGE = 'docker.io/envoyproxy/envoy:distroless-v1.38.3';
export const WHOAMI_IMAGE = 'traefik/whoami:v1.11.0';
export const PROXY_IMAGE = 'docker.io/envoyproxy/envoy:v1.33.2';
export const CLUSTER_IMAGES = [CONTOUR_IMAGE, ENVOY_IMAGE, WHOAMI_IMAGE];

export const DOCKER_INFO = (info = fixture('docker-info-linux.json')): Step => ({
  argv: ['docker', 'info', '--format', '{{json .}}'],
  stdout: info,
});

/** Host pulls run beside `kind create`: unordered, and optional where a failure may cut them short. */
export function pullSteps(
  images: string[],
  { present = false, optional = false }: { present?: boolean; optional?: boolean } = {},
): Step[] {
  return images.flatMap((ref): Step[] => [
    {
      argv: ['docker', 'image', 'inspect', '--format', '{{.Id}}', ref],
      exitCode: present ? 0 : 1,
      stdout: present ? 'sha256:5c1e0a\n' : '',
      stderr: present ? '' : `Error response from daemon: No such image: ${ref}\n`,
      unordered: true,
      optional,
    },
    ...(present ? [] : [{ argv: ['docker', 'pull', ref], unordered: true, optional }]),
  ]);
}

/** Every image `up` pulls on the host for the controller `image`, in the order it starts them. */
export const hostPulls = (image = CCM_IMAGE) => [image, PROXY_IMAGE, WHOAMI_IMAGE, CONTOUR_IMAGE, ENVOY_IMAGE];

/** `docker save` (with `--platform` on containerd's store) and `kind load image-archive`, per cluster image. */
export function loadSteps(cacheDir: string, platform?: string): Step[] {
  return CLUSTER_IMAGES.flatMap((ref, index): Step[] => {
    const file = join(cacheDir, 'loading', `${index}.tar`);
    return [
      { argv: ['docker', 'save', ...(platform ? ['--platform', platform] : []), '-o', file, ref] },
      { argv: ['kind', 'load', 'image-archive', file, '--name', 'expose-labs'] },
    ];
  });
}

export const LIST_CONTROLLERS = (stdout = ''): Step => ({
  argv: ['docker', 'ps', '--format', '{{.Names}}\t{{.Image}}\t{{.Labels}}'],
  stdout,
});
export const controllerInspect = (stdout: string, exitCode = 0): Step => ({
  argv: ['docker', 'inspect', '--format', '{{.State.Status}} {{.Config.Image}}', CCM],
  stdout,
  exitCode,
  stderr: exitCode ? `Error: No such object: ${CCM}\n` : '',
});
export const controllerRun = (image = CCM_IMAGE, socket = '/var/run/docker.sock', extra: string[] = []): Step => ({
  argv: [
    'docker',
    'run',
    '-d',
    '--name',
    CCM,
    '--label',
    'expose-labs.role=cloud-provider-kind',
    '--network',
    'kind',
    '--restart',
    'unless-stopped',
    '-v',
    `${socket}:/var/run/docker.sock`,
    ...extra,
    image,
    '--gateway-channel=standard',
    '--enable-default-ingress=false',
  ],
  stdout: '5f1c9e0d2a7b3c4e5f60718293a4b5c6d7e8f90123456789abcdef0123456789\n',
});
export const CONTEXTS = (stdout = 'kind-expose-labs\n'): Step => ({
  argv: ['kubectl', 'config', 'get-contexts', '-o', 'name'],
  stdout,
});

const labelList = (label: string, stdout: string): Step => ({
  argv: ['docker', 'ps', '-a', '--filter', `label=${label}`, '--format', '{{.Names}}'],
  stdout,
});

/** What `down` (and a failed `kind create`) removes: kindccm containers, a legacy controller, the cluster, the shared controller. */
export function removeSteps(
  lbs: string,
  clusters: string,
  { legacy = '', controller = true }: { legacy?: string; controller?: boolean } = {},
): Step[] {
  const remaining = clusters
    .split('\n')
    .map((c) => c.trim())
    .filter((c) => c && c !== 'expose-labs');
  return [
    labelList('io.x-k8s.cloud-provider-kind.cluster=expose-labs', lbs),
    ...(lbs ? [{ argv: ['docker', 'rm', '-f', ...lbs.trim().split('\n')] }] : []),
    labelList('expose-labs.cluster=expose-labs', legacy),
    ...(legacy ? [{ argv: ['docker', 'rm', '-f', ...legacy.trim().split('\n')] }] : []),
    { argv: ['kind', 'get', 'clusters'], stdout: clusters },
    ...(clusters.includes('expose-labs')
      ? [
          {
            argv: ['kind', 'delete', 'cluster', '--name', 'expose-labs'],
            stderr: 'Deleting cluster "expose-labs" ...\n',
          },
        ]
      : []),
    ...(remaining.length === 0
      ? [
          controller ? controllerInspect(`running ${CCM_IMAGE}\n`) : controllerInspect('', 1),
          ...(controller ? [{ argv: ['docker', 'rm', '-f', CCM] }] : []),
        ]
      : []),
  ];
}
