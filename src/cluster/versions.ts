/**
 * Every pinned version of the lab cluster, in one place. Move them together: the node image belongs to one kind
 * release, kubectl should stay within one minor of the node's Kubernetes, the images follow the manifests.
 *
 * Where each pin was checked (stored copies of public sources read with a search tool in this project; nothing
 * here was run against a real Docker, kind or cluster):
 * - kind v0.32.0 and its default node image digest: pkg/apis/config/defaults/image.go@v0.32.0 (`Image`).
 *   kind v0.33.0 exists (default v1.37.0) but the project decided on v0.32 (DESIGN.md).
 * - kind binary sha256 (linux/darwin, amd64/arm64): the same values pinned independently in several public
 *   repositories, one of which says it compared them with the release's `.sha256sum` files. Windows: not found,
 *   so `doctor --fix` reads the published `kind-windows-amd64.sha256sum` of that exact release instead.
 * - kubectl v1.36.1 sha256 (linux/darwin, amd64/arm64): likewise, several public pins agreeing with each other.
 *   Windows: the published `kubectl.exe.sha256` on dl.k8s.io for that exact release.
 * - cloud-provider-kind v0.11.1 image and flags (`--enable-default-ingress`, `--gateway-channel`): cmd/app.go at
 *   v0.11.1 (and at v0.10.0, the controller on WSL2 kernels; see below) and public scripts that run this image. Its load balancer
 *   containers are named `kindccm-<hash>` and labelled `io.x-k8s.cloud-provider-kind.cluster=<cluster>`
 *   (pkg/constants, pkg/loadbalancer/server.go in its repository).
 * - cloud-provider-kind's Envoy image (the `kindccm-…` containers): `docker.io/envoyproxy/envoy:v1.33.2`,
 *   pkg/constants/constants.go at v0.11.1 and at v0.10.0.
 * - Contour v1.33.6 manifest URL and sha256: REFERENCE.md, and the sha256 of examples/render/contour.yaml@v1.33.6.
 *   Its images are the ones that file names (`ghcr.io/projectcontour/contour:v1.33.6`,
 *   `docker.io/envoyproxy/envoy:distroless-v1.38.3`). Contour v1.33.6 is tested upstream against Kubernetes
 *   1.32–1.34, not 1.36: the real-kind suite is
 *   what tells us it works here.
 * - traefik/whoami v1.11.0: REFERENCE.md.
 */

export const KIND_VERSION = 'v0.32.0';

/** The Kubernetes version inside the node image. */
export const KUBERNETES_VERSION = 'v1.36.1';

/** Also the network probe's image: the throwaway curl container on the `kind` network (the node image has curl). */
export const NODE_IMAGE =
  'kindest/node:v1.36.1@sha256:3489c7674813ba5d8b1a9977baea8a6e553784dab7b84759d1014dbd78f7ebd5';

/** kubectl matching the node image, for `doctor --fix`. */
export const KUBECTL_VERSION = 'v1.36.1';

export const CLOUD_PROVIDER_KIND_IMAGE = 'registry.k8s.io/cloud-provider-kind/cloud-controller-manager:v0.11.1';

/**
 * The controller for engines on a WSL2 kernel. There cloud-provider-kind decides it is on WSL2
 * (cmd/app.go, `isWSL2`: /proc/version contains "WSL2") and publishes each LoadBalancer port on the host:
 * v0.11.x as `--publish=0.0.0.0:<port>:<port>/TCP`, a fixed host port (pkg/loadbalancer/server.go@v0.11.1,
 * `createLoadBalancer`; upstream issue #458), which collides with kind's 127.0.0.1:80/443 mapping and with any
 * second LoadBalancer on the same port; v0.10.0 as `--publish=<port>/TCP`, a random host port
 * (pkg/loadbalancer/server.go@v0.10.0). v0.10.0 has the same flags (cmd/app.go@v0.10.0: --gateway-channel,
 * --enable-default-ingress) and the same Envoy (pkg/constants/constants.go@v0.10.0: envoyproxy/envoy:v1.33.2).
 * What it lacks: it installs Gateway API v1.4.0 CRDs (pkg/gateway/crds@v0.10.0, bundle-version v1.4.0; v0.11.1
 * installs v1.5.0, adding ListenerSet and TLSRoute to the standard channel). In a container its userspace tunnels
 * may not work (inferred: they change the container's own loopback), but a failed tunnel setup is only logged and
 * the address is still written (EnsureLoadBalancer, pkg/loadbalancer/server.go@v0.10.0). The image tag follows the
 * git tag by the project's convention (the tag string itself is not in its source).
 */
export const CLOUD_PROVIDER_KIND_WSL2_IMAGE = 'registry.k8s.io/cloud-provider-kind/cloud-controller-manager:v0.10.0';

/** Any tag of the controller image: another container running it is another controller. */
export const CLOUD_PROVIDER_KIND_REPOSITORY = 'registry.k8s.io/cloud-provider-kind/cloud-controller-manager';

/** The Envoy that cloud-provider-kind starts for each LoadBalancer Service (on the host's Docker, not in the cluster). */
export const CLOUD_PROVIDER_KIND_PROXY_IMAGE = 'docker.io/envoyproxy/envoy:v1.33.2';

/** A third-party manifest fetched at run time and checked before it is applied. */
export interface ManifestPin {
  name: string;
  version: string;
  url: string;
  sha256: string;
  /** File name in the cache and in a pack. */
  file: string;
}

export const CONTOUR: ManifestPin = {
  name: 'contour',
  version: 'v1.33.6',
  url: 'https://raw.githubusercontent.com/projectcontour/contour/v1.33.6/examples/render/contour.yaml',
  sha256: '1d2e45c4bb31bea93085231d9b50e2c95ad92432253872b683e672eb7cecbbd8',
  file: 'contour-v1.33.6.yaml',
};

export const CONTOUR_NAMESPACE = 'projectcontour';
export const CONTOUR_IMAGE = 'ghcr.io/projectcontour/contour:v1.33.6';
export const ENVOY_IMAGE = 'docker.io/envoyproxy/envoy:distroless-v1.38.3';

export const WHOAMI_IMAGE = 'traefik/whoami:v1.11.0';

/** Where an image is needed: on the host's Docker (`docker run`), or inside the cluster (`kind load docker-image`). */
export interface PinnedImage {
  ref: string;
  where: 'host' | 'cluster';
}

/** Everything `pack` saves so that `start` works without network. The probe image is the node image. */
export const PINNED_IMAGES: readonly PinnedImage[] = [
  { ref: NODE_IMAGE, where: 'host' },
  { ref: CLOUD_PROVIDER_KIND_IMAGE, where: 'host' },
  { ref: CLOUD_PROVIDER_KIND_WSL2_IMAGE, where: 'host' },
  { ref: CLOUD_PROVIDER_KIND_PROXY_IMAGE, where: 'host' },
  { ref: CONTOUR_IMAGE, where: 'cluster' },
  { ref: ENVOY_IMAGE, where: 'cluster' },
  // Also on the host: the throwaway container that measures the client address a pod sees (lab 06).
  { ref: WHOAMI_IMAGE, where: 'cluster' },
];

export const PINNED_MANIFESTS: readonly ManifestPin[] = [CONTOUR];

export type ToolName = 'kind' | 'kubectl';
/** `<os>/<arch>` in Go's names, as the download URLs spell them. */
export type GoPlatform = 'linux/amd64' | 'linux/arm64' | 'darwin/amd64' | 'darwin/arm64' | 'windows/amd64';

/** sha256 of the official binaries; a platform missing here is checked against the release's published checksum file. */
export const TOOL_SHA256: Record<ToolName, Partial<Record<GoPlatform, string>>> = {
  kind: {
    'linux/amd64': '50030de23cf40a18505f20426f6a8506bedf13c6e509244bd1fa9463721b0f54',
    'linux/arm64': 'b92cd615e97585de8ddade28ed5cd7feb4248d717c233eea5b03c37298900f5d',
    'darwin/amd64': '295ac6d0d634c9819c9907df45e3017d1f13166bd13c3404c45e79f7faa47498',
    'darwin/arm64': 'dca67911095a110c2b5c36e26df6cac860c602033e456c0db47be498cdef1ebb',
  },
  kubectl: {
    'linux/amd64': '629d3f410e09bf49b64ae7079f7f0bda1191efed311f7d37fdbab0ad5b0ec2b7',
    'linux/arm64': '59f7ee8e477fae658447607dc3c8790ac17a1b016c01c622c12070e969e2d4e7',
    'darwin/amd64': 'b4973e90ebb00537d735b63d6f8293c1959156e6ff435f6a43c08aeaa1a2e7d7',
    'darwin/arm64': '9092778abaef3079449da4cd70ded0e4be112480c93efcdeace3155968d1d133',
  },
};

/** `minor` of a `vMAJOR.MINOR.PATCH` string. */
export function minorOf(version: string): number | undefined {
  const match = /^v?\d+\.(\d+)/.exec(version.trim());
  return match ? Number(match[1]) : undefined;
}
