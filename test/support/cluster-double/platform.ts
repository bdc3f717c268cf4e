/**
 * Where a lab's outcome depends on the laptop, the double can stand for another one than "Linux, rootful Docker".
 * Each field follows the upstream source it names; the default of each is that happy Linux machine.
 */
export interface DoublePlatform {
  /**
   * The source address the engine's port forwarding hands a container behind a 127.0.0.1 mapping (rootless
   * Docker's port driver, a VM's forwarder): what a pod sees through a node's mapping under
   * externalTrafficPolicy Local. Unset: the client's own connection reaches the node (127.0.0.1 here).
   * When set, the double's reachability offers the measurement the kind provider makes (a container behind a
   * mapping), and its first guess (hostClientAddress) stays 127.0.0.1: a check that guessed would be wrong.
   */
  mappingSource?: string;
  /**
   * false: the host cannot reach node and LoadBalancer addresses (an engine in a VM, rootless Docker); checks on
   * them then run curl in a container on the kind network, which curlContainerExec stands in for.
   */
  hostReachesNodeNetwork?: boolean;
  /** The engine's kernel is a WSL2 kernel (cloud-provider-kind's `isWSL2`, cmd/app.go@v0.11.1). */
  wsl2Kernel?: boolean;
  /** The cloud-provider-kind image the tool runs (CLOUD_PROVIDER_KIND_IMAGE or its WSL2 choice). */
  controllerImage?: string;
}

/**
 * Does cloud-provider-kind publish each LoadBalancer port on the same host port? Only in tunnel or portmap mode
 * (a WSL2 kernel, in a container), and only from v0.11.0: `--publish=0.0.0.0:<port>:<port>/TCP` for a
 * single-stack Service (pkg/loadbalancer/server.go@v0.11.1, createLoadBalancer); v0.10.0 publishes
 * `--publish=<port>/TCP`, a random host port (same file @v0.10.0). A second publication of a host port fails
 * in `docker run`, and that Service stays without an address (upstream issue #458).
 */
/** The Docker network the double's curl container joins. */
export const DOUBLE_NETWORK = 'kind';

export function publishesFixedHostPorts(platform: DoublePlatform): boolean {
  return platform.wsl2Kernel === true && /:v0\.11\.\d+$/.test(platform.controllerImage ?? ':v0.11.1');
}
