import type { ServicePortSpec } from '../endpoints.js';
import { clone, type KubeObject } from '../objects.js';
import type { ObjectStore } from '../store.js';
import type { Timers } from '../timers.js';

/**
 * Contour's view of the Ingress objects, turned into Envoy virtual hosts. Contour (run without
 * --ingress-class-name) takes Ingresses whose class is `contour` or unset; a route whose Service or port does
 * not exist is left out, and a host left without routes does not exist for Envoy (404; no certificate).
 */

export interface Route {
  /**
   * internal/dag/ingress_processor.go@v1.33.6: Prefix is a segment prefix (trailing slashes stripped, `/` a string
   * prefix); ImplementationSpecific (also a missing pathType) is a plain string prefix, `/jordy` matching `/jordyx`,
   * unless the path holds one of `^+*[]%`, then a regex (not modelled: the double refuses to guess).
   */
  match: 'Exact' | 'Prefix' | 'StringPrefix';
  path: string;
  namespace: string;
  service: string;
  port: number | string;
}

export interface VirtualHost {
  /** A name, a `*.domain` wildcard, or `*` for rules without a host. */
  host: string;
  routes: Route[];
  /** The TLS secret for this host, from an Ingress's spec.tls. */
  tls?: { namespace: string; secretName: string };
}

const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

export function servedByContour(ingress: KubeObject): boolean {
  const className = ingress.spec?.ingressClassName ?? ingress.metadata.annotations?.[CLASS_ANNOTATION];
  return className === undefined || className === 'contour';
}

function backendRoute(
  ingress: KubeObject,
  store: ObjectStore,
  backend: any,
  match: Route['match'],
  path: string,
): Route | undefined {
  const service = backend?.service;
  const port: number | string | undefined = service?.port?.number ?? service?.port?.name;
  if (!service?.name || port === undefined) return undefined;
  const namespace = ingress.metadata.namespace!;
  const svc = store.get('Service', namespace, service.name);
  const ports = (svc?.spec?.ports ?? []) as ServicePortSpec[];
  if (!ports.some((p) => p.port === port || p.name === port)) return undefined;
  return { match, path, namespace, service: service.name, port };
}

/** A Prefix path ignores a trailing slash (`/jordy/` is `/jordy`). */
function prefixPath(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') || '/' : '/';
}

function routeMatch(pathType: unknown, path: string): Route['match'] {
  if (pathType === 'Exact') return 'Exact';
  if (pathType === 'Prefix') return 'Prefix';
  if (/[\^+*[\]%]/.test(path)) throw new Error(`the cluster double does not model Contour's regex path match: ${path}`);
  return 'StringPrefix';
}

export function virtualHosts(store: ObjectStore): Map<string, VirtualHost> {
  const hosts = new Map<string, VirtualHost>();
  const vhost = (host: string): VirtualHost => {
    const existing = hosts.get(host);
    if (existing) return existing;
    const created: VirtualHost = { host, routes: [] };
    hosts.set(host, created);
    return created;
  };
  const ingresses = store
    .list('Ingress')
    .filter(servedByContour)
    .sort((a, b) => a.metadata.creationTimestamp.localeCompare(b.metadata.creationTimestamp));
  for (const ingress of ingresses) {
    const spec = ingress.spec ?? {};
    if (spec.defaultBackend) {
      const route = backendRoute(ingress, store, spec.defaultBackend, 'Prefix', '/');
      if (route) vhost('*').routes.push(route);
    }
    for (const rule of (spec.rules ?? []) as any[]) {
      const host = String(rule.host ?? '').toLowerCase() || '*';
      for (const p of (rule.http?.paths ?? []) as any[]) {
        const match = routeMatch(p.pathType, String(p.path ?? '/'));
        const path = match === 'Prefix' ? prefixPath(String(p.path ?? '/')) : String(p.path ?? '/');
        const route = backendRoute(ingress, store, p.backend, match, path);
        if (route) vhost(host).routes.push(route);
      }
    }
  }
  for (const [host, v] of hosts) if (v.routes.length === 0) hosts.delete(host);
  for (const ingress of ingresses) {
    for (const tls of (ingress.spec?.tls ?? []) as { hosts?: string[]; secretName?: string }[]) {
      if (!tls.secretName) continue;
      for (const host of tls.hosts ?? []) {
        const v = hosts.get(host.toLowerCase());
        if (v && !v.tls) v.tls = { namespace: ingress.metadata.namespace!, secretName: tls.secretName };
      }
    }
  }
  return hosts;
}

function wildcardMatches(pattern: string, host: string): boolean {
  if (!pattern.startsWith('*.')) return false;
  const suffix = pattern.slice(1);
  return host.endsWith(suffix) && !host.slice(0, -suffix.length).includes('.') && host.length > suffix.length;
}

/** Envoy's domain match: the exact name, then a wildcard, then `*`. */
export function findVirtualHost(hosts: Map<string, VirtualHost>, hostHeader: string): VirtualHost | undefined {
  const host = hostHeader.replace(/:\d+$/, '').toLowerCase();
  return hosts.get(host) ?? [...hosts.values()].find((v) => wildcardMatches(v.host, host)) ?? hosts.get('*');
}

export function hostMatches(vhost: VirtualHost, hostHeader: string): boolean {
  const host = hostHeader.replace(/:\d+$/, '').toLowerCase();
  return vhost.host === host || wildcardMatches(vhost.host, host);
}

/** Exact beats a prefix; among prefixes (segment or string) the longest wins. */
export function findRoute(vhost: VirtualHost, path: string): Route | undefined {
  const exact = vhost.routes.find((r) => r.match === 'Exact' && r.path === path);
  if (exact) return exact;
  const prefixes = vhost.routes.filter((r) =>
    r.match === 'StringPrefix'
      ? path.startsWith(r.path)
      : r.match === 'Prefix' && (r.path === '/' || path === r.path || path.startsWith(`${r.path}/`)),
  );
  return prefixes.sort((a, b) => b.path.length - a.path.length)[0];
}

/** Contour's status writer: an Ingress it serves gets Envoy's load balancer address, a moment after it appears. */
export class IngressStatus {
  private readonly pending = new Set<string>();

  constructor(
    private readonly store: ObjectStore,
    private readonly timers: Timers,
    private readonly address: string,
    private readonly delayMs: number,
  ) {}

  reconcile(): void {
    for (const ingress of this.store.list('Ingress')) {
      if (!servedByContour(ingress) || ingress.status?.loadBalancer?.ingress?.length) continue;
      const { uid, namespace, name } = ingress.metadata;
      if (this.pending.has(uid)) continue;
      this.pending.add(uid);
      this.timers.after(this.delayMs, () => {
        this.pending.delete(uid);
        const current = this.store.get('Ingress', namespace!, name);
        if (!current || current.metadata.uid !== uid || !servedByContour(current)) return;
        const updated = clone(current);
        updated.status = { loadBalancer: { ingress: [{ ip: this.address }] } };
        this.store.update(updated);
      });
    }
  }
}
