import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { KindProvider } from '../../src/cluster/kind/provider.js';
import { kindConfigPath } from '../../src/cluster/kind/settings.js';
import { manifestPath } from '../../src/cluster/manifests.js';
import {
  bytesPerLaptop,
  offlineInstallCommands,
  pack,
  unpack,
  type UnpackContext,
} from '../../src/cluster/offline-pack.js';
import { readOfflineRecord } from '../../src/cluster/offline-record.js';
import { PINNED_IMAGES } from '../../src/cluster/versions.js';
import { UserError } from '../../src/core/errors.js';
import { tr } from '../../src/core/i18n.js';
import {
  CCM_IMAGE,
  CLUSTER_IMAGES,
  CONTOUR_TEXT,
  CTX,
  DOCKER_INFO,
  LIST_CONTROLLERS,
  TEST_CONTOUR,
  controllerInspect,
  fixture,
  hostPulls,
  options,
  pullSteps,
  tempDir,
  testSettings,
} from './kind-fixtures.js';
import { recordingReporter } from './recording-reporter.js';
import { scriptedExec, type Step } from './scripted-exec.js';

const NODE = 'kindest/node:v1.36.1@sha256:3489c7674813ba5d8b1a9977baea8a6e553784dab7b84759d1014dbd78f7ebd5';
const saved = (ref: string) => (ref === NODE ? 'kindest/node:v1.36.1' : ref);
const fileOf = (ref: string, platform: string) =>
  join('images', `${saved(ref).replace(/[^A-Za-z0-9._-]+/g, '_')}_${platform.split('/')[1]}.tar`);
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const archive = (ref: string, platform: string) => `fake docker save archive of ${saved(ref)} for ${platform}`;
const PLATFORMS = ['linux/amd64', 'linux/arm64'];
const ARM_INFO = JSON.stringify({ ...JSON.parse(fixture('docker-info-linux.json')), Architecture: 'aarch64' });

/** Pull, tag, save per platform; the engine's own platform (linux/amd64 in the default info) last. */
function packSteps(dir: string, order = ['linux/arm64', 'linux/amd64']): Step[] {
  return [
    DOCKER_INFO(),
    ...PINNED_IMAGES.flatMap((image) =>
      order.flatMap((platform): Step[] => {
        const file = join(dir, fileOf(image.ref, platform));
        return [
          { argv: ['docker', 'pull', '--platform', platform, image.ref] },
          ...(image.ref === NODE ? [{ argv: ['docker', 'tag', NODE, saved(NODE)] }] : []),
          {
            argv: ['docker', 'save', '--platform', platform, '-o', file, saved(image.ref)],
            onStart: () => writeFileSync(file, archive(image.ref, platform)),
          },
        ];
      }),
    ),
  ];
}

/** The official download hosts, served from memory: binaries and their published checksum files. */
function toolFetch() {
  const urls: string[] = [];
  const body = (url: string) => `binary at ${url.replace(/\.sha256(sum)?$/, '')}`;
  const fetch = (async (input: string | URL | Request) => {
    const url = input instanceof Request ? input.url : input.toString();
    urls.push(url);
    if (url === TEST_CONTOUR.url) return new Response(CONTOUR_TEXT);
    if (/\.sha256(sum)?$/.test(url)) return new Response(`${sha(body(url))}  ${url.split('/').pop()}\n`);
    return new Response(body(url));
  }) as typeof globalThis.fetch;
  return { fetch, urls };
}

const NPM_TGZ = 'expose-labs-0.1.0.tgz';
const npmSteps = (dir: string): Step[] => [
  { argv: ['npm', 'pack', '/pkg', '--ignore-scripts', '--pack-destination', join(dir, 'npm')], stdout: `${NPM_TGZ}\n` },
  {
    argv: [
      'npm',
      'install',
      '--prefix',
      join(dir, 'npm', '.fill'),
      '--cache',
      join(dir, 'npm', 'cache'),
      '--omit=dev',
      '--no-audit',
      '--no-fund',
      join(dir, 'npm', NPM_TGZ),
    ],
  },
];

async function makePack(platforms = PLATFORMS) {
  const dir = tempDir('pack');
  const order = platforms.length === 1 ? platforms : ['linux/arm64', 'linux/amd64'];
  const script = scriptedExec([...packSteps(dir, order), ...npmSteps(dir)]);
  const fetched = toolFetch();
  const result = await pack(dir, {
    exec: script.exec,
    cacheDir: tempDir('cache'),
    reporter: recordingReporter().reporter,
    signal: new AbortController().signal,
    dryRun: false,
    createdBy: 'expose-labs 0.1.0',
    fetch: fetched.fetch,
    manifests: [TEST_CONTOUR],
    platforms,
    toolPlatforms: ['windows/amd64'],
    packageRoot: '/pkg',
  });
  script.finish();
  return { dir, fetched, result };
}

const loadSteps = (dir: string, platform: string): Step[] =>
  PINNED_IMAGES.map((image) => ({
    argv: ['docker', 'load', '-i', join(dir, fileOf(image.ref, platform))],
    stdout: `Loaded image: ${saved(image.ref)}\n`,
  }));

function unpackContext(
  cacheDir: string,
  exec: UnpackContext['exec'],
  over: Partial<UnpackContext> = {},
): UnpackContext {
  return {
    exec,
    cacheDir,
    reporter: recordingReporter().reporter,
    signal: new AbortController().signal,
    dryRun: false,
    manifests: [TEST_CONTOUR],
    platform: 'linux/arm64',
    toolPlatform: 'windows/amd64',
    os: 'win32',
    ...over,
  };
}

describe('pack', () => {
  it('saves every pinned image once per platform, the manifests, kind and kubectl per OS/CPU, and npm’s offline install', async () => {
    const { dir, fetched, result } = await makePack();

    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest).toEqual(JSON.parse(JSON.stringify(result)));
    expect(manifest.format).toBe('expose-labs-pack/2');
    expect(manifest.platforms).toEqual(PLATFORMS);
    expect(manifest.images).toHaveLength(PINNED_IMAGES.length);
    expect(manifest.images[0]).toEqual({
      ref: NODE,
      saved: 'kindest/node:v1.36.1',
      where: 'host',
      archives: {
        'linux/arm64': {
          file: 'images/kindest_node_v1.36.1_arm64.tar',
          sha256: sha(archive(NODE, 'linux/arm64')),
          bytes: archive(NODE, 'linux/arm64').length,
        },
        'linux/amd64': {
          file: 'images/kindest_node_v1.36.1_amd64.tar',
          sha256: sha(archive(NODE, 'linux/amd64')),
          bytes: archive(NODE, 'linux/amd64').length,
        },
      },
    });
    expect(
      manifest.tools.map((t: { tool: string; platform: string; file: string }) => [t.tool, t.platform, t.file]),
    ).toEqual([
      ['kind', 'windows/amd64', join('tools', 'windows-amd64', 'kind.exe')],
      ['kubectl', 'windows/amd64', join('tools', 'windows-amd64', 'kubectl.exe')],
    ]);
    expect(bytesPerLaptop(manifest, 'linux/arm64')).toBe(
      PINNED_IMAGES.reduce((sum, image) => sum + archive(image.ref, 'linux/arm64').length, 0),
    );
    expect(manifest.npm).toEqual({ tarball: join('npm', NPM_TGZ), cache: join('npm', 'cache') });
    expect(readFileSync(join(dir, 'manifests', 'contour-v1.33.6.yaml'), 'utf8')).toBe(CONTOUR_TEXT);
    expect(fetched.urls).toEqual([
      TEST_CONTOUR.url,
      'https://github.com/kubernetes-sigs/kind/releases/download/v0.32.0/kind-windows-amd64.sha256sum',
      'https://github.com/kubernetes-sigs/kind/releases/download/v0.32.0/kind-windows-amd64',
      'https://dl.k8s.io/release/v1.36.1/bin/windows/amd64/kubectl.exe.sha256',
      'https://dl.k8s.io/release/v1.36.1/bin/windows/amd64/kubectl.exe',
    ]);
    expect(offlineInstallCommands('/media/usb/pack', manifest)).toEqual([
      `npm install -g --offline --cache "${join('/media/usb/pack', 'npm', 'cache')}" "${join('/media/usb/pack', 'npm', NPM_TGZ)}"`,
      'expose-labs unpack "/media/usb/pack"',
      'expose-labs start',
    ]);
  });
});

describe('unpack', () => {
  it('on an arm64 engine: checks and loads the arm64 archives only, keeps the cluster archives, installs kind and kubectl', async () => {
    const { dir } = await makePack();
    const cacheDir = tempDir('cache');
    const script = scriptedExec(loadSteps(dir, 'linux/arm64'));

    await unpack(dir, unpackContext(cacheDir, script.exec));

    script.finish();
    expect(readFileSync(manifestPath(cacheDir, TEST_CONTOUR), 'utf8')).toBe(CONTOUR_TEXT);
    const record = readOfflineRecord(cacheDir)!;
    expect(record.images[0]).toEqual({ ref: NODE, saved: 'kindest/node:v1.36.1', where: 'host' });
    const contour = record.images.find((i) => i.ref === 'ghcr.io/projectcontour/contour:v1.33.6')!;
    expect(contour.archives).toEqual({
      'linux/arm64': join(cacheDir, 'images', 'ghcr.io_projectcontour_contour_v1.33.6_arm64.tar'),
    });
    expect(readFileSync(contour.archives!['linux/arm64']!, 'utf8')).toBe(
      archive('ghcr.io/projectcontour/contour:v1.33.6', 'linux/arm64'),
    );
    expect(readFileSync(join(cacheDir, 'bin', 'kind.exe'), 'utf8')).toContain('kind-windows-amd64');
    expect(readFileSync(join(cacheDir, 'bin', 'kubectl.exe'), 'utf8')).toContain('kubectl.exe');
  });

  it('refuses a pack that lacks this laptop’s platform, before loading anything', async () => {
    const { dir } = await makePack(['linux/amd64']);
    const script = scriptedExec([]);

    const error = await unpack(dir, unpackContext(tempDir('cache'), script.exec)).catch((e) => e);

    script.finish();
    expect(error).toBeInstanceOf(UserError);
    expect(tr(error.text, 'en')).toContain("it holds images for linux/amd64; this laptop's Docker runs linux/arm64");
  });

  it('a load that fails is reported and the rest goes on; start then pulls that image', async () => {
    const { dir } = await makePack();
    const cacheDir = tempDir('cache');
    const steps = loadSteps(dir, 'linux/arm64');
    steps[1] = { ...steps[1]!, exitCode: 1, stderr: 'Error: open /var/lib/docker/tmp: no space left on device\n' };
    const script = scriptedExec(steps);
    const { reporter, notes } = recordingReporter();

    await unpack(dir, unpackContext(cacheDir, script.exec, { reporter }));

    script.finish();
    expect(notes().join('\n')).toContain('Could not load it (start will pull it instead)');
    expect(readOfflineRecord(cacheDir)!.images.map((i) => i.ref)).not.toContain(CCM_IMAGE);
  });

  it('refuses a pack with a damaged file before loading anything', async () => {
    const { dir } = await makePack();
    writeFileSync(join(dir, fileOf('traefik/whoami:v1.11.0', 'linux/arm64')), 'truncated');
    const script = scriptedExec([]);

    const error = await unpack(dir, unpackContext(tempDir('cache'), script.exec)).catch((e) => e);

    script.finish();
    expect(tr(error.text, 'en')).toContain('images/traefik_whoami_v1.11.0_arm64.tar does not match its sha256');
  });

  it('refuses a pack made for other pinned versions', async () => {
    const dir = tempDir('pack');
    writeFileSync(
      join(dir, 'manifest.json'),
      JSON.stringify({
        format: 'expose-labs-pack/2',
        createdBy: 'expose-labs 0.0.1',
        platforms: PLATFORMS,
        images: [],
        manifests: [],
        tools: [],
      }),
    );

    const error = await unpack(
      dir,
      unpackContext(tempDir('cache'), scriptedExec([]).exec, { manifests: undefined }),
    ).catch((e) => e);

    expect(tr(error.text, 'en')).toContain('made for another version: it lacks kindest/node:v1.36.1@sha256:');
    expect(tr(error.text, 'ko')).toContain('오프라인 팩');
  });

  it('refuses a folder that is not a pack, and a pack of the first format', async () => {
    const empty = await unpack(tempDir('empty'), unpackContext(tempDir('cache'), scriptedExec([]).exec)).catch(
      (e) => e,
    );
    expect(tr(empty.text, 'en')).toContain('manifest.json is missing');
    const old = tempDir('old');
    writeFileSync(
      join(old, 'manifest.json'),
      JSON.stringify({ format: 'expose-labs-pack/1', images: [], manifests: [] }),
    );
    const first = await unpack(old, unpackContext(tempDir('cache'), scriptedExec([]).exec)).catch((e) => e);
    expect(tr(first.text, 'en')).toContain('is not an expose-labs-pack/2 manifest');
  });

  it('after unpack, start uses the loaded node image tag, loads the packed archives into the nodes and fetches nothing', async () => {
    const { dir } = await makePack();
    const placeholder = scriptedExec([]);
    const settings = testSettings(placeholder.exec);
    const unpacking = scriptedExec(loadSteps(dir, 'linux/arm64'));
    await unpack(dir, unpackContext(settings.cacheDir, unpacking.exec, { toolPlatform: undefined }));
    unpacking.finish();

    const configFile = kindConfigPath(settings.home, 'expose-labs');
    const cached = (ref: string) => join(settings.cacheDir, fileOf(ref, 'linux/arm64'));
    const script = scriptedExec([
      DOCKER_INFO(ARM_INFO),
      { argv: ['kind', 'get', 'clusters'] },
      ...pullSteps(hostPulls(), { present: true }),
      { argv: ['kind', 'create', 'cluster', '--name', 'expose-labs', '--config', configFile] },
      { argv: [...CTX, 'wait', '--for=condition=Ready', 'nodes', '--all', '--timeout=300s'] },
      ...CLUSTER_IMAGES.map((ref) => ({
        argv: ['kind', 'load', 'image-archive', cached(ref), '--name', 'expose-labs'],
      })),
      LIST_CONTROLLERS(),
      controllerInspect(`running ${CCM_IMAGE}\n`),
      { argv: [...CTX, 'apply', '-f', manifestPath(settings.cacheDir, TEST_CONTOUR)] },
      { argv: [...CTX, '-n', 'projectcontour', 'rollout', 'status', 'deployment/contour', '--timeout=300s'] },
      { argv: [...CTX, '-n', 'projectcontour', 'rollout', 'status', 'daemonset/envoy', '--timeout=300s'] },
      {
        argv: [...CTX, '-n', 'projectcontour', 'get', 'service', 'envoy', '-o', 'json'],
        stdout: fixture('service-envoy.json'),
      },
    ]);
    const fetched = toolFetch();
    const provider = new KindProvider({ ...settings, exec: script.exec, fetch: fetched.fetch });

    await provider.up(options(), recordingReporter().reporter, new AbortController().signal);

    script.finish();
    expect(fetched.urls).toEqual([]);
    const config = parse(readFileSync(configFile, 'utf8'));
    expect(config.nodes.map((n: { image: string }) => n.image)).toEqual([
      'kindest/node:v1.36.1',
      'kindest/node:v1.36.1',
      'kindest/node:v1.36.1',
    ]);
  });

  it('--dry-run loads nothing and writes nothing', async () => {
    const { dir } = await makePack();
    const cacheDir = tempDir('cache');
    const script = scriptedExec(loadSteps(dir, 'linux/arm64'));
    const { reporter, notes } = recordingReporter();

    await unpack(dir, unpackContext(cacheDir, script.exec, { reporter, dryRun: true }));

    script.finish();
    expect(existsSync(join(cacheDir, 'offline-images.json'))).toBe(false);
    expect(existsSync(join(cacheDir, 'images'))).toBe(false);
    expect(notes().at(-1)).toContain('# copy the manifests, kind and kubectl into');
  });
});

describe('pack --dry-run', () => {
  it('prints every docker command and download, and writes no file', async () => {
    const dir = join(tempDir('parent'), 'pack');
    const script = scriptedExec([
      { ...DOCKER_INFO(), stdout: '' },
      ...packSteps(dir, PLATFORMS)
        .slice(1)
        .map((s) => ({ ...s, onStart: undefined })),
    ]);
    const { reporter, notes } = recordingReporter();

    await pack(dir, {
      exec: script.exec,
      cacheDir: tempDir('cache'),
      reporter,
      signal: new AbortController().signal,
      dryRun: true,
      createdBy: 'x',
      fetch: toolFetch().fetch,
      toolPlatforms: ['linux/arm64'],
    });

    script.finish();
    expect(existsSync(dir)).toBe(false);
    expect(notes().filter((n) => n.startsWith('#'))).toEqual([
      `# https://raw.githubusercontent.com/projectcontour/contour/v1.33.6/examples/render/contour.yaml → ${join(dir, 'manifests', 'contour-v1.33.6.yaml')} (sha256 1d2e45c4bb31bea93085231d9b50e2c95ad92432253872b683e672eb7cecbbd8)`,
      `# https://github.com/kubernetes-sigs/kind/releases/download/v0.32.0/kind-linux-arm64 → ${join(dir, 'tools', 'linux-arm64', 'kind')}`,
      `# https://dl.k8s.io/release/v1.36.1/bin/linux/arm64/kubectl → ${join(dir, 'tools', 'linux-arm64', 'kubectl')}`,
    ]);
  });
});
