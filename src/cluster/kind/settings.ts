import { join } from 'node:path';
import type { Exec } from '../../platform/command.js';
import { clusterHome, defaultCache, packageRoot } from '../../platform/paths.js';
import { probePort, type PortProbe } from '../host-ports.js';
import { resolveTool } from '../tools.js';
import type { Fetch } from '../verified-download.js';
import { CONTOUR, type ManifestPin } from '../versions.js';

/** What the kind provider needs from the outside; everything is injectable so transcript tests can stand in. */
export interface KindSettings {
  exec: Exec;
  /** Package root: fixtures/kind/cluster.yaml is read from here. */
  root: string;
  /** Per-user state folder: the kind config is written to this cluster's workspace under it. */
  home: string;
  /** Downloaded tools (bin/) and manifests. */
  cacheDir: string;
  platform: NodeJS.Platform;
  /** DOCKER_HOST, XDG_RUNTIME_DIR, KIND_EXPERIMENTAL_DOCKER_NETWORK: what the engine profile reads. */
  env: NodeJS.ProcessEnv;
  /** Also the client-address probe's HTTP client (to 127.0.0.1 only). */
  fetch: Fetch;
  probePort: PortProbe;
  contour: ManifestPin;
  waits: KindWaits;
}

export interface KindWaits {
  /** `kubectl wait --for=condition=Ready nodes --all --timeout=…s` */
  nodesSeconds: number;
  /** `kubectl rollout status … --timeout=…s` for Contour and Envoy. */
  contourSeconds: number;
  /** Until the cloud-provider-kind container runs. */
  ccmMs: number;
  /**
   * Until cloud-provider-kind gives the envoy Service an external address. It starts an Envoy container for it
   * first, which pulls envoyproxy/envoy when the host's pull did not get it: allow for workshop Wi-Fi.
   */
  lbAddressMs: number;
}

export const DEFAULT_WAITS: KindWaits = { nodesSeconds: 300, contourSeconds: 300, ccmMs: 60_000, lbAddressMs: 600_000 };

export function kindSettings(partial: Partial<KindSettings> & { exec: Exec; home: string }): KindSettings {
  return {
    ...partial,
    root: partial.root ?? packageRoot(),
    cacheDir: partial.cacheDir ?? defaultCache(),
    platform: partial.platform ?? process.platform,
    env: partial.env ?? process.env,
    fetch: partial.fetch ?? globalThis.fetch,
    probePort: partial.probePort ?? probePort,
    contour: partial.contour ?? CONTOUR,
    waits: partial.waits ?? DEFAULT_WAITS,
  };
}

export const kindContext = (cluster: string): string => `kind-${cluster}`;

/** Docker label an earlier expose-labs put on its per-cluster controller (`<cluster>-cloud-provider-kind`). */
export const MANAGED_LABEL = 'expose-labs.cluster';

/** Labels other tools put on their containers (kind's nodes; cloud-provider-kind's `kindccm-…` load balancers). */
export const KIND_CLUSTER_LABEL = 'io.x-k8s.kind.cluster';
export const CCM_CLUSTER_LABEL = 'io.x-k8s.cloud-provider-kind.cluster';

export function kindConfigPath(home: string, cluster: string): string {
  return join(clusterHome(home, cluster).workspace, 'kind-config.yaml');
}

export function tools(settings: KindSettings): { kind: string; kubectl: string } {
  return {
    kind: resolveTool('kind', settings.cacheDir, settings.platform),
    kubectl: resolveTool('kubectl', settings.cacheDir, settings.platform),
  };
}
