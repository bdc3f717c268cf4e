import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { KindProvider } from '../../src/cluster/kind/provider.js';
import { kindConfigPath } from '../../src/cluster/kind/settings.js';
import { manifestPath } from '../../src/cluster/manifests.js';
import { pack, unpack } from '../../src/cluster/offline-pack.js';
import { readOfflineRecord } from '../../src/cluster/offline-record.js';
import { PINNED_IMAGES } from '../../src/cluster/versions.js';
import { UserError } from '../../src/core/errors.js';
import { tr } from '../../src/core/i18n.js';
import {
  CCM,
  CCM_IMAGE,
  CONTOUR_TEXT,
  CTX,
  TEST_CONTOUR,
  fakeFetch,
  fixture,
  options,
  tempDir,
  testSettings,
} from './kind-fixtures.js';
import { recordingReporter } from './recording-reporter.js';
import { scriptedExec, type Step } from './scripted-exec.js';

const NODE = 'kindest/node:v1.36.1@sha256:3489c7674813ba5d8b1a9977baea8a6e553784dab7b84759d1014dbd78f7ebd5';
const SAVED: Record<string, string> = {
  [NODE]: 'kindest/node:v1.36.1',
  [CCM_IMAGE]: CCM_IMAGE,
  'docker.io/envoyproxy/envoy:v1.33.2': 'docker.io/envoyproxy/envoy:v1.33.2',
  'ghcr.io/projectcontour/contour:v1.33.6': 'ghcr.io/projectcontour/contour:v1.33.6',
  'docker.io/envoyproxy/envoy:distroless-v1.38.3': 'docker.io/envoyproxy/envoy:distroless-v1.38.3',
  'traefik/whoami:v1.11.0': 'traefik/whoami:v1.11.0',
};
const FILES: Record<string, string> = {
  'kindest/node:v1.36.1': 'images/kindest_node_v1.36.1.tar',
  [CCM_IMAGE]: 'images/registry.k8s.io_cloud-provider-kind_cloud-controller-manager_v0.11.1.tar',
  'docker.io/envoyproxy/envoy:v1.33.2': 'images/docker.io_envoyproxy_envoy_v1.33.2.tar',
  'ghcr.io/projectcontour/contour:v1.33.6': 'images/ghcr.io_projectcontour_contour_v1.33.6.tar',
  'docker.io/envoyproxy/envoy:distroless-v1.38.3': 'images/docker.io_envoyproxy_envoy_distroless-v1.38.3.tar',
  'traefik/whoami:v1.11.0': 'images/traefik_whoami_v1.11.0.tar',
};
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const archive = (saved: string) => `fake docker save archive of ${saved}`;

function packSteps(dir: string): Step[] {
  return PINNED_IMAGES.flatMap((image) => {
    const saved = SAVED[image.ref]!;
    const file = join(dir, FILES[saved]!);
    return [
      { argv: ['docker', 'pull', image.ref], stdout: `${saved}: Pulling from ...\nStatus: Downloaded newer image\n` },
      ...(saved !== image.ref ? [{ argv: ['docker', 'tag', image.ref, saved] }] : []),
      { argv: ['docker', 'save', '-o', file, saved], onStart: () => writeFileSync(file, archive(saved)) },
    ];
  });
}

async function makePack() {
  const dir = tempDir('pack');
  const script = scriptedExec(packSteps(dir));
  const fetched = fakeFetch();
  await pack(dir, {
    exec: script.exec,
    cacheDir: tempDir('cache'),
    reporter: recordingReporter().reporter,
    signal: new AbortController().signal,
    dryRun: false,
    createdBy: 'expose-labs 0.1.0',
    fetch: fetched.fetch,
    manifests: [TEST_CONTOUR],
  });
  script.finish();
  return { dir, fetched };
}

const loadSteps = (dir: string): Step[] =>
  Object.values(FILES).map((file) => ({
    argv: ['docker', 'load', '-i', join(dir, file)],
    stdout: `Loaded image: ${file}\n`,
  }));

describe('pack', () => {
  it('pulls and saves every pinned image (by tag where pinned by digest), copies the manifests, lists them with sha256', async () => {
    const { dir, fetched } = await makePack();

    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.format).toBe('expose-labs-pack/1');
    expect(manifest.images).toHaveLength(6);
    expect(manifest.images[0]).toEqual({
      ref: NODE,
      saved: 'kindest/node:v1.36.1',
      where: 'host',
      file: 'images/kindest_node_v1.36.1.tar',
      sha256: sha(archive('kindest/node:v1.36.1')),
    });
    expect(
      manifest.images.filter((i: { where: string }) => i.where === 'cluster').map((i: { saved: string }) => i.saved),
    ).toEqual([
      'ghcr.io/projectcontour/contour:v1.33.6',
      'docker.io/envoyproxy/envoy:distroless-v1.38.3',
      'traefik/whoami:v1.11.0',
    ]);
    expect(manifest.manifests).toEqual([
      {
        name: 'contour',
        version: 'v1.33.6',
        url: TEST_CONTOUR.url,
        file: 'manifests/contour-v1.33.6.yaml',
        sha256: TEST_CONTOUR.sha256,
      },
    ]);
    expect(readFileSync(join(dir, 'manifests', 'contour-v1.33.6.yaml'), 'utf8')).toBe(CONTOUR_TEXT);
    expect(fetched.urls).toEqual([TEST_CONTOUR.url]);
  });
});

describe('unpack', () => {
  it('checks every file, loads every image, puts the manifests in the cache and records the loaded tags', async () => {
    const { dir } = await makePack();
    const cacheDir = tempDir('cache');
    const script = scriptedExec(loadSteps(dir));

    await unpack(dir, {
      exec: script.exec,
      cacheDir,
      reporter: recordingReporter().reporter,
      signal: new AbortController().signal,
      dryRun: false,
      manifests: [TEST_CONTOUR],
    });

    script.finish();
    expect(readFileSync(manifestPath(cacheDir, TEST_CONTOUR), 'utf8')).toBe(CONTOUR_TEXT);
    expect(readOfflineRecord(cacheDir)?.images[0]).toEqual({ ref: NODE, saved: 'kindest/node:v1.36.1', where: 'host' });
  });

  it('refuses a pack with a damaged file before loading anything', async () => {
    const { dir } = await makePack();
    writeFileSync(join(dir, FILES['traefik/whoami:v1.11.0']!), 'truncated');
    const script = scriptedExec([]);

    const error = await unpack(dir, {
      exec: script.exec,
      cacheDir: tempDir('cache'),
      reporter: recordingReporter().reporter,
      signal: new AbortController().signal,
      dryRun: false,
      manifests: [TEST_CONTOUR],
    }).catch((e) => e);

    script.finish();
    expect(error).toBeInstanceOf(UserError);
    expect(tr(error.text, 'en')).toContain('images/traefik_whoami_v1.11.0.tar does not match its sha256');
  });

  it('refuses a pack made for other pinned versions', async () => {
    const dir = tempDir('pack');
    writeFileSync(
      join(dir, 'manifest.json'),
      JSON.stringify({ format: 'expose-labs-pack/1', createdBy: 'expose-labs 0.0.1', images: [], manifests: [] }),
    );

    const error = await unpack(dir, {
      exec: scriptedExec([]).exec,
      cacheDir: tempDir('cache'),
      reporter: recordingReporter().reporter,
      signal: new AbortController().signal,
      dryRun: false,
    }).catch((e) => e);

    expect(tr(error.text, 'en')).toContain('made for another version: it lacks kindest/node:v1.36.1@sha256:');
    expect(tr(error.text, 'ko')).toContain('오프라인 팩');
  });

  it('refuses a folder that is not a pack', async () => {
    const error = await unpack(tempDir('empty'), {
      exec: scriptedExec([]).exec,
      cacheDir: tempDir('cache'),
      reporter: recordingReporter().reporter,
      signal: new AbortController().signal,
      dryRun: false,
    }).catch((e) => e);
    expect(tr(error.text, 'en')).toContain('manifest.json is missing');
  });

  it('after unpack, start uses the loaded node image tag, kind-loads the cluster images and fetches nothing', async () => {
    const { dir } = await makePack();
    const placeholder = scriptedExec([]);
    const settings = testSettings(placeholder.exec);
    const unpacking = scriptedExec(loadSteps(dir));
    await unpack(dir, {
      exec: unpacking.exec,
      cacheDir: settings.cacheDir,
      reporter: recordingReporter().reporter,
      signal: new AbortController().signal,
      dryRun: false,
      manifests: [TEST_CONTOUR],
    });
    unpacking.finish();

    const configFile = kindConfigPath(settings.home, 'expose-labs');
    const script = scriptedExec([
      { argv: ['kind', 'get', 'clusters'] },
      { argv: ['kind', 'create', 'cluster', '--name', 'expose-labs', '--config', configFile] },
      { argv: [...CTX, 'wait', '--for=condition=Ready', 'nodes', '--all', '--timeout=300s'] },
      {
        argv: [
          'kind',
          'load',
          'docker-image',
          '--name',
          'expose-labs',
          'ghcr.io/projectcontour/contour:v1.33.6',
          'docker.io/envoyproxy/envoy:distroless-v1.38.3',
          'traefik/whoami:v1.11.0',
        ],
        stderr:
          'Image: "traefik/whoami:v1.11.0" with ID "sha256:…" not yet present on node "expose-labs-worker2", loading...\n',
      },
      {
        argv: ['docker', 'inspect', '--format', '{{.State.Status}} {{.Config.Image}}', CCM],
        stdout: `running ${CCM_IMAGE}\n`,
      },
      { argv: [...CTX, 'apply', '-f', manifestPath(settings.cacheDir, TEST_CONTOUR)] },
      { argv: [...CTX, '-n', 'projectcontour', 'rollout', 'status', 'deployment/contour', '--timeout=300s'] },
      { argv: [...CTX, '-n', 'projectcontour', 'rollout', 'status', 'daemonset/envoy', '--timeout=300s'] },
      {
        argv: [...CTX, '-n', 'projectcontour', 'get', 'service', 'envoy', '-o', 'json'],
        stdout: fixture('service-envoy.json'),
      },
    ]);
    const fetched = fakeFetch();
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
    const script = scriptedExec(loadSteps(dir));
    const { reporter, notes } = recordingReporter();

    await unpack(dir, {
      exec: script.exec,
      cacheDir,
      reporter,
      signal: new AbortController().signal,
      dryRun: true,
      manifests: [TEST_CONTOUR],
    });

    script.finish();
    expect(existsSync(join(cacheDir, 'offline-images.json'))).toBe(false);
    expect(notes()[0]).toContain('# copy the manifests into');
  });
});

describe('pack --dry-run', () => {
  it('prints every docker command and writes no file', async () => {
    const dir = join(tempDir('parent'), 'pack');
    const script = scriptedExec(packSteps(dir).map((s) => ({ ...s, onStart: undefined })));
    const { reporter, notes } = recordingReporter();

    await pack(dir, {
      exec: script.exec,
      cacheDir: tempDir('cache'),
      reporter,
      signal: new AbortController().signal,
      dryRun: true,
      createdBy: 'x',
      fetch: fakeFetch().fetch,
    });

    script.finish();
    expect(existsSync(dir)).toBe(false);
    expect(notes()).toEqual([
      `# https://raw.githubusercontent.com/projectcontour/contour/v1.33.6/examples/render/contour.yaml → ${join(dir, 'manifests', 'contour-v1.33.6.yaml')} (sha256 1d2e45c4bb31bea93085231d9b50e2c95ad92432253872b683e672eb7cecbbd8)`,
    ]);
  });
});
