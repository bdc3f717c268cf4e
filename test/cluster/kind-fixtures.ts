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
