/**
 * The cluster double: a kind cluster stand-in for tests and the tmux launcher. Never imported by src/.
 *
 * It follows the manifests it is given (never a lab or a check) and serves real sockets on loopback:
 * - kubectl: the subset of BRIEF.md, printed as today's kubectl prints it; any other call fails with
 *   "the cluster double does not implement: kubectl …".
 * - Nodes `<name>-control-plane`, `<name>-worker` (expose-labs/node=a, the ingress node), `<name>-worker2`
 *   (expose-labs/node=b) on 127.X.Y.2–4, one random 127.X.Y block per instance.
 * - Deployments → pods running a traefik/whoami look-alike, Ready after 100–300 ms.
 * - kube-proxy on nodeIP:nodePort (L4 per connection, round robin), externalTrafficPolicy Cluster (SNAT) and
 *   Local (client address kept; a node without a local endpoint holds the connection unanswered); no ready
 *   endpoint at all → refused.
 * - kind port mappings on 127.0.0.1 behave like docker-proxy: accepted, relayed, or closed without a byte when
 *   nothing listens behind them. Other 127.0.0.1 ports are refused.
 * - cloud-provider-kind: a LoadBalancer gets an address in the block after ~200 ms, L4 to the nodes' nodePort.
 * - Contour/Envoy: Ingress host/path routing on the ingress node's :80/:443 (and the Envoy Service's address),
 *   404 with an empty body, 503 `no healthy upstream`, TLS chosen by SNI, no fallback certificate.
 *
 * - Other laptops (DoublePlatform): a port forwarding that replaces the client's address (rootless Docker), and
 *   cloud-provider-kind publishing fixed host ports (v0.11.x on a WSL2 kernel: a second LoadBalancer on a
 *   published port stays without an address), and a host that cannot reach the node network (checks then run
 *   `docker run … curl` on the kind network: curlContainerExec runs that curl, plain HTTP only).
 *
 * Known differences from a real cluster: every container is modelled as whoami; Envoy's upstream requests carry
 * `Connection: keep-alive` (Node's HTTP client always sends one) and its responses a `Connection` header;
 * kube-proxy's healthCheckNodePort is allocated but not served; unknown fields are kept rather than refused by
 * strict field validation; strategic merge patches that contain lists are refused (use --type=merge).
 */
export { ClusterDouble, DEFAULT_TIMING, type DoubleOptions, type DoubleTiming } from './cluster.js';
export { createDoubleProvider, type DoubleProvider } from './provider.js';
export { freeHostPorts } from './free-ports.js';
export { DOUBLE_NETWORK, publishesFixedHostPorts, type DoublePlatform } from './platform.js';
export { curlContainerExec } from './net/curl-container.js';
