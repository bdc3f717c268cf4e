import type { SecureContext } from 'node:tls';
import type { KubeObject } from './objects.js';

/**
 * The data and pure rules of cloud-provider-kind v0.11.1's Gateway controller (pkg/gateway/*.go @ v0.11.1): what
 * Envoy is given per Gateway, hostname intersection, route precedence, and the status conditions it writes.
 */

export const GATEWAY_CLASS = 'cloud-provider-kind';
export const GATEWAY_CONTROLLER = 'kind.sigs.k8s.io/gateway-controller';
export const GROUP = 'gateway.networking.k8s.io';

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  observedGeneration?: number;
  lastTransitionTime?: string;
}

/** An Envoy route (httproute.go translateHTTPRouteMatch): Exact → path, PathPrefix "/" → prefix, else path_separated_prefix. */
export interface EnvoyRoute {
  name: string;
  path: { kind: 'exact' | 'prefix' | 'separated' | 'regex'; value: string };
  headers: { name: string; value: string; regex: boolean }[];
  query: { name: string; value: string }[];
  /** Missing backend and the other ControllerErrors: Envoy answers 500 itself. */
  action: { kind: 'direct'; status: number } | { kind: 'backends'; backends: Backend[] };
}

/** A STATIC Envoy cluster with one endpoint, the Service's ClusterIP:port (backendref.go / gateway.go). */
export interface Backend {
  namespace: string;
  service: string;
  port: number;
  weight: number;
}

export interface FilterChain {
  /** SNI to match (the listener hostname); undefined = the default chain. */
  serverName?: string;
  context?: SecureContext;
}

export interface PortConfig {
  port: number;
  protocol: 'HTTP' | 'HTTPS';
  /** VirtualHosts of route-<port>, keyed by domain (shared by every filter chain of the port). */
  virtualHosts: Map<string, EnvoyRoute[]>;
  chains: FilterChain[];
}

export interface GatewayConfig {
  uid: string;
  namespace: string;
  name: string;
  address: string;
  ports: PortConfig[];
}

export interface Listener {
  name: string;
  hostname?: string;
  port: number;
  protocol: string;
  tls?: { certificateRefs?: { group?: string; kind?: string; name: string; namespace?: string }[] };
  allowedRoutes?: { namespaces?: { from?: string }; kinds?: { group?: string; kind: string }[] };
}

export interface ParentRef {
  group?: string;
  kind?: string;
  name: string;
  namespace?: string;
  sectionName?: string;
  port?: number;
}

/** meta.SetStatusCondition: replace in place (keeping the transition time when the status is unchanged) or append. */
export function setCondition(conditions: Condition[], next: Condition, now: string): void {
  const existing = conditions.find((c) => c.type === next.type);
  if (!existing) {
    conditions.push({ ...next, lastTransitionTime: now });
    return;
  }
  const transition = existing.status !== next.status ? now : existing.lastTransitionTime;
  Object.assign(existing, next, { lastTransitionTime: transition });
}

/** routes.go isHostnameSubset: a route hostname fits a listener hostname (`*.x` = any name ending in `.x`). */
export function hostnameSubset(route: string, listener: string): boolean {
  if (route === listener) return true;
  if (listener.startsWith('*.')) {
    const suffix = listener.slice(1);
    if (route.startsWith('*.')) return route.slice(1).endsWith(suffix);
    return route.endsWith(suffix) && route.length > suffix.length;
  }
  if (route.startsWith('*.')) {
    const suffix = route.slice(1);
    return listener.endsWith(suffix) && listener.length > suffix.length;
  }
  return false;
}

/** routes.go getIntersectingHostnames: the VirtualHost domains a route gets on a listener. */
export function intersectingHostnames(listener: Listener, routeHostnames: string[]): string[] {
  if (!listener.hostname) return routeHostnames.length === 0 ? ['*'] : [...routeHostnames];
  if (routeHostnames.length === 0) return [listener.hostname];
  const out = new Set<string>();
  for (const h of routeHostnames) {
    if (!hostnameSubset(h, listener.hostname)) continue;
    out.add(h.startsWith('*') && !listener.hostname.startsWith('*') ? listener.hostname : h);
  }
  return [...out];
}

export function allowedByHostname(listener: Listener, route: KubeObject): boolean {
  const hostnames = (route.spec?.hostnames ?? []) as string[];
  if (!listener.hostname || hostnames.length === 0) return true;
  return hostnames.some((h) => hostnameSubset(h, listener.hostname!));
}

export function allowedByListener(gateway: KubeObject, listener: Listener, route: KubeObject): boolean {
  const from = listener.allowedRoutes?.namespaces?.from ?? 'Same';
  if (from === 'Same' && route.metadata.namespace !== gateway.metadata.namespace) return false;
  const kinds = listener.allowedRoutes?.kinds ?? [];
  return kinds.length === 0 || kinds.some((k) => (k.group ?? GROUP) === GROUP && k.kind === 'HTTPRoute');
}

export function cond(
  type: string,
  status: Condition['status'],
  reason: string,
  message: string,
  observedGeneration: number,
): Condition {
  return { type, status, reason, message, observedGeneration };
}

/** httproute.go sortRoutes: catch-all `/` last, Exact first, then longer paths, more headers, more query params. */
export function sortRoutes(routes: EnvoyRoute[]): void {
  const catchAll = (r: EnvoyRoute) =>
    r.path.kind === 'prefix' && r.path.value === '/' && r.headers.length === 0 && r.query.length === 0;
  routes.sort((a, b) => {
    if (catchAll(a) !== catchAll(b)) return catchAll(a) ? 1 : -1;
    const exactA = a.path.kind === 'exact';
    const exactB = b.path.kind === 'exact';
    if (exactA !== exactB) return exactA ? -1 : 1;
    if (a.path.value.length !== b.path.value.length) return b.path.value.length - a.path.value.length;
    if (a.headers.length !== b.headers.length) return b.headers.length - a.headers.length;
    return b.query.length - a.query.length;
  });
}
