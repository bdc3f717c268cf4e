import {
  engineName,
  enginePlatform,
  isRootless,
  isWsl2Kernel,
  usesContainerdStore,
  type DockerInfo,
  type EngineName,
} from './docker.js';
import { CLOUD_PROVIDER_KIND_IMAGE, CLOUD_PROVIDER_KIND_WSL2_IMAGE } from './versions.js';

/** kind's node network (pkg/cluster/internal/providers/docker/network.go@v0.32.0, `fixedNetworkName`). */
export const DEFAULT_KIND_NETWORK = 'kind';

/**
 * What this tool decides from one `docker info`: every platform-dependent choice in one place, so that the
 * platform matrix (test/cluster/platform-matrix.test.ts) can pin them per kind of laptop.
 */
export interface EngineProfile {
  engine: EngineName;
  rootless: boolean;
  wsl2Kernel: boolean;
  containerdStore: boolean;
  /** The platform of the engine's images (`docker save --platform`, a pack's archives). */
  platform: 'linux/amd64' | 'linux/arm64' | undefined;
  /**
   * Node and LoadBalancer addresses answer from this machine: only a rootful engine on this very Linux host.
   * An engine in a VM keeps the network inside it; rootless Docker keeps it inside its own network namespace.
   */
  hostReachesNodeNetwork: boolean;
  /** The Docker network of the nodes and load balancers: `kind`, or KIND_EXPERIMENTAL_DOCKER_NETWORK. */
  network: string;
  /** The cloud-provider-kind image for this engine (see CLOUD_PROVIDER_KIND_WSL2_IMAGE). */
  controllerImage: string;
  /** The engine's socket as the engine sees it: what the controller container mounts at /var/run/docker.sock. */
  socket: string;
}

export interface HostFacts {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  /** `docker context inspect`'s endpoint (`unix:///run/user/1000/docker.sock`), read only for rootless engines. */
  contextHost?: string;
}

const ROOTFUL_SOCKET = '/var/run/docker.sock';

function unixPath(host: string | undefined): string | undefined {
  return host?.startsWith('unix://') ? host.slice('unix://'.length) : undefined;
}

/**
 * The socket to mount. An engine in a VM (Docker Desktop, colima, OrbStack) and a rootful Linux engine resolve
 * bind mounts where their own socket is /var/run/docker.sock (cloud-provider-kind's docs mount exactly that,
 * docs/user/install/install_docker.md@v0.11.1). A rootless engine has no socket there (or it is another,
 * rootful engine's): its own is the client's endpoint, DOCKER_HOST or the context, by default
 * $XDG_RUNTIME_DIR/docker.sock. That the rootless engine resolves this host path from inside its namespace
 * is inferred from RootlessKit's copy-up of /run, not observed.
 */
function socketFor(rootless: boolean, host: HostFacts): string {
  if (!rootless) return ROOTFUL_SOCKET;
  const fromClient = unixPath(host.env.DOCKER_HOST) ?? unixPath(host.contextHost);
  if (fromClient) return fromClient;
  return host.env.XDG_RUNTIME_DIR ? `${host.env.XDG_RUNTIME_DIR}/docker.sock` : ROOTFUL_SOCKET;
}

export function engineProfile(info: DockerInfo | undefined, host: HostFacts): EngineProfile {
  const engine = engineName(info);
  const rootless = isRootless(info);
  const wsl2Kernel = isWsl2Kernel(info);
  return {
    engine,
    rootless,
    wsl2Kernel,
    containerdStore: usesContainerdStore(info),
    platform: enginePlatform(info),
    hostReachesNodeNetwork: host.platform === 'linux' && engine === 'docker-engine' && !rootless,
    network: host.env.KIND_EXPERIMENTAL_DOCKER_NETWORK || DEFAULT_KIND_NETWORK,
    controllerImage: wsl2Kernel ? CLOUD_PROVIDER_KIND_WSL2_IMAGE : CLOUD_PROVIDER_KIND_IMAGE,
    socket: socketFor(rootless, host),
  };
}
