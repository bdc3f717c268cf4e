import type { SecureContext } from 'node:tls';
import { clone, sameJson, timestamp, type KubeObject } from './objects.js';
import type { ObjectStore } from './store.js';
import type { Timers } from './timers.js';
import type { Topology } from './topology.js';
import { SecretContexts } from './net/secret-contexts.js';
import {
  allowedByHostname,
  allowedByListener,
  cond,
  GATEWAY_CLASS,
  GATEWAY_CONTROLLER,
  GROUP,
  intersectingHostnames,
  setCondition,
  sortRoutes,
  type Backend,
  type Condition,
  type EnvoyRoute,
  type FilterChain,
  type GatewayConfig,
  type Listener,
  type ParentRef,
  type PortConfig,
} from './gateway-routing.js';

/**
 * cloud-provider-kind v0.11.1's Gateway API controller (pkg/gateway/*.go @ v0.11.1): the GatewayClass
 * `cloud-provider-kind` it creates at start, one Envoy container per Gateway of that class (its address on the node
 * network becomes status.addresses, a moment after the Gateway appears), HTTPRoutes only, and the status it writes:
 * Gateway Accepted/Programmed, each listener's Accepted/Programmed/ResolvedRefs/Conflicted, each route parent's
 * Accepted/ResolvedRefs. What Envoy serves is computed here from the objects (buildEnvoyResourcesForGateway) and
 * served by net/gateway-envoy.ts.
 */

export class GatewayController {
  /** Envoy container address per Gateway uid. */
  private readonly addresses = new Map<string, string>();
  private readonly pending = new Set<string>();
  private readonly contexts = new SecretContexts();
  private configs: GatewayConfig[] = [];

  constructor(
    private readonly store: ObjectStore,
    private readonly topology: Topology,
    private readonly timers: Timers,
    private readonly delayMs: number,
    private readonly changed: () => void,
  ) {}

  /** controller.go: the GatewayClass is created when absent, and accepted. */
  registerClass(): void {
    const now = timestamp(new Date());
    this.store.create({
      apiVersion: `${GROUP}/v1`,
      kind: 'GatewayClass',
      metadata: { name: GATEWAY_CLASS, uid: '', resourceVersion: '', creationTimestamp: '', generation: 1 },
      spec: { controllerName: GATEWAY_CONTROLLER, description: 'cloud-provider-kind gateway API' },
      status: {
        conditions: [
          {
            type: 'Accepted',
            status: 'True',
            reason: 'Accepted',
            message: 'GatewayClass is accepted by this controller.',
            observedGeneration: 1,
            lastTransitionTime: now,
          },
        ],
      },
    });
  }

  /** What each programmed Gateway's Envoy serves now. */
  gateways(): readonly GatewayConfig[] {
    return this.configs;
  }

  reconcile(): void {
    const gateways = this.store.list('Gateway').filter((g) => g.spec?.gatewayClassName === GATEWAY_CLASS);
    const live = new Set(gateways.map((g) => g.metadata.uid));
    for (const [uid, ip] of this.addresses) {
      if (live.has(uid)) continue;
      this.addresses.delete(uid);
      this.topology.releaseLoadBalancerIp(ip);
    }
    const configs: GatewayConfig[] = [];
    for (const gateway of gateways) {
      const { uid, namespace, name } = gateway.metadata;
      const address = this.addresses.get(uid);
      if (!address) {
        if (!this.pending.has(uid)) {
          this.pending.add(uid);
          this.timers.after(this.delayMs, () => this.provision(uid, namespace!, name));
        }
        continue;
      }
      configs.push(this.sync(gateway, address));
    }
    this.configs = configs;
  }

  private provision(uid: string, namespace: string, name: string): void {
    this.pending.delete(uid);
    const gateway = this.store.get('Gateway', namespace, name);
    if (!gateway || gateway.metadata.uid !== uid || gateway.spec?.gatewayClassName !== GATEWAY_CLASS) return;
    this.addresses.set(uid, this.topology.allocateLoadBalancerIp());
    this.changed();
  }

  /** gateway.go syncGateway: build the Envoy resources, then write the Gateway's and its routes' status. */
  private sync(gateway: KubeObject, address: string): GatewayConfig {
    const now = timestamp(new Date());
    const generation = Number(gateway.metadata.generation ?? 1);
    const listeners = (gateway.spec?.listeners ?? []) as Listener[];
    const previous = (gateway.status?.listeners ?? []) as { name: string; conditions: Condition[] }[];
    const statuses = new Map<string, { conditions: Condition[]; attachedRoutes: number; programmed: boolean }>();
    for (const l of listeners) {
      const old = previous.find((p) => p.name === l.name);
      statuses.set(l.name, { conditions: clone(old?.conditions ?? []), attachedRoutes: 0, programmed: false });
    }
    const validation = this.validateListeners(gateway, listeners);

    // Routes: validated per parentRef against this Gateway's listeners.
    const routeStatuses = new Map<string, { route: KubeObject; parents: unknown[] }>();
    const routesByListener = new Map<string, KubeObject[]>();
    for (const route of this.routesFor(gateway)) {
      const { parents, accepting } = this.validateRoute(gateway, listeners, route, now);
      if (parents.length > 0) routeStatuses.set(route.metadata.uid, { route, parents });
      for (const l of accepting) routesByListener.set(l, [...(routesByListener.get(l) ?? []), route]);
    }

    const ports: PortConfig[] = [];
    const byPort = new Map<number, Listener[]>();
    for (const l of listeners) byPort.set(l.port, [...(byPort.get(l.port) ?? []), l]);
    for (const [port, onPort] of byPort) {
      const virtualHosts = new Map<string, EnvoyRoute[]>();
      const chains: FilterChain[] = [];
      for (const listener of onPort) {
        const status = statuses.get(listener.name)!;
        for (const c of validation.get(listener.name) ?? []) setCondition(status.conditions, c, now);
        const kindsValid = (listener.allowedRoutes?.kinds ?? []).every(
          (k) => (k.group ?? GROUP) === GROUP && k.kind === 'HTTPRoute',
        );
        if (!kindsValid) {
          setCondition(
            status.conditions,
            cond(
              'ResolvedRefs',
              'False',
              'InvalidRouteKinds',
              'Invalid route kinds specified in allowedRoutes',
              generation,
            ),
            now,
          );
          continue;
        }
        if (status.conditions.some((c) => c.type === 'Conflicted' && c.status === 'True')) continue;
        if (!status.conditions.some((c) => c.type === 'ResolvedRefs' && c.status === 'False')) {
          setCondition(
            status.conditions,
            cond('ResolvedRefs', 'True', 'ResolvedRefs', 'All references resolved', generation),
            now,
          );
        }
        if (listener.protocol === 'HTTP' || listener.protocol === 'HTTPS') {
          for (const route of routesByListener.get(listener.name) ?? []) {
            const { routes, condition } = this.translate(route);
            const entry = routeStatuses.get(route.metadata.uid);
            for (const parent of (entry?.parents ?? []) as { conditions: Condition[] }[]) {
              if (parent.conditions.some((c) => c.type === 'Accepted' && c.status === 'True'))
                setCondition(parent.conditions, condition, now);
            }
            if (routes.length === 0) continue;
            status.attachedRoutes++;
            for (const domain of intersectingHostnames(listener, (route.spec?.hostnames ?? []) as string[])) {
              virtualHosts.set(domain, [...(virtualHosts.get(domain) ?? []), ...routes]);
            }
          }
        }
        const chain = this.filterChain(gateway, listener);
        if ('error' in chain) {
          setCondition(
            status.conditions,
            cond('Programmed', 'False', 'Invalid', `Failed to program listener: ${chain.error}`, generation),
            now,
          );
        } else {
          setCondition(
            status.conditions,
            cond('Programmed', 'True', 'Programmed', 'Listener is programmed', generation),
            now,
          );
          status.programmed = true;
          chains.push(chain);
        }
        setCondition(status.conditions, cond('Accepted', 'True', 'Accepted', 'Listener is valid', generation), now);
      }
      for (const routes of virtualHosts.values()) sortRoutes(routes);
      if (chains.length > 0) {
        const protocol = onPort[0]!.protocol === 'HTTPS' ? 'HTTPS' : 'HTTP';
        // Plain HTTP: one filter chain for the whole port (gateway.go).
        ports.push({ port, protocol, virtualHosts, chains: protocol === 'HTTP' ? [{}] : chains });
      }
    }

    const listenerStatus = listeners.map((l) => {
      const s = statuses.get(l.name)!;
      return {
        name: l.name,
        supportedKinds: [{ group: GROUP, kind: 'HTTPRoute' }],
        conditions: s.conditions,
        attachedRoutes: s.attachedRoutes,
      };
    });
    const programmed = listeners.filter((l) => statuses.get(l.name)!.programmed).length;
    const conditions = clone((gateway.status?.conditions ?? []) as Condition[]);
    setCondition(
      conditions,
      programmed === listeners.length
        ? cond('Programmed', 'True', 'Programmed', 'Envoy configuration updated successfully', generation)
        : cond(
            'Programmed',
            'False',
            'ListenersNotProgrammed',
            `${programmed} out of ${listeners.length} listeners failed to be programmed`,
            generation,
          ),
      now,
    );
    setCondition(conditions, cond('Accepted', 'True', 'Accepted', 'Gateway is accepted', generation), now);
    const status = {
      ...gateway.status,
      addresses: [{ type: 'IPAddress', value: address }],
      conditions,
      listeners: listenerStatus,
    };
    if (!sameJson(status, gateway.status)) this.store.update({ ...clone(gateway), status });
    for (const { route, parents } of routeStatuses.values()) {
      const current = this.store.get('HTTPRoute', route.metadata.namespace!, route.metadata.name);
      if (!current || current.metadata.uid !== route.metadata.uid) continue;
      const next = { ...current.status, parents };
      if (!sameJson(next, current.status)) this.store.update({ ...clone(current), status: next });
    }
    return {
      uid: gateway.metadata.uid,
      namespace: gateway.metadata.namespace!,
      name: gateway.metadata.name,
      address,
      ports,
    };
  }

  /** gateway.go getHTTPRoutesForGateway: a parentRef naming this Gateway (its namespace defaults to the route's). */
  private routesFor(gateway: KubeObject): KubeObject[] {
    return this.store
      .list('HTTPRoute')
      .filter((route) =>
        ((route.spec?.parentRefs ?? []) as ParentRef[]).some(
          (p) =>
            p.name === gateway.metadata.name &&
            (p.namespace ?? route.metadata.namespace) === gateway.metadata.namespace,
        ),
      );
  }

  /** gateway.go validateHTTPRoute: one RouteParentStatus per parentRef naming this Gateway. */
  private validateRoute(
    gateway: KubeObject,
    listeners: Listener[],
    route: KubeObject,
    now: string,
  ): { parents: unknown[]; accepting: string[] } {
    const generation = Number(route.metadata.generation ?? 1);
    const previous = (route.status?.parents ?? []) as { parentRef: ParentRef; conditions: Condition[] }[];
    const backendsFound = this.backendsExist(route);
    const resolved = backendsFound
      ? cond('ResolvedRefs', 'True', 'ResolvedRefs', 'All backend references have been resolved.', generation)
      : cond(
          'ResolvedRefs',
          'False',
          'BackendNotFound',
          'One or more backend references could not be found.',
          generation,
        );
    const parents: unknown[] = [];
    const accepting = new Set<string>();
    for (const ref of (route.spec?.parentRefs ?? []) as ParentRef[]) {
      if (
        ref.name !== gateway.metadata.name ||
        (ref.namespace ?? route.metadata.namespace) !== gateway.metadata.namespace
      )
        continue;
      let reason = 'NoMatchingParent';
      const matched: string[] = [];
      for (const l of listeners) {
        if (ref.sectionName !== undefined && ref.sectionName !== l.name) continue;
        if (ref.port !== undefined && ref.port !== l.port) continue;
        if (!allowedByListener(gateway, l, route)) {
          reason = 'NotAllowedByListeners';
          continue;
        }
        if (!allowedByHostname(l, route)) {
          reason = 'NoMatchingListenerHostname';
          continue;
        }
        matched.push(l.name);
      }
      const old = previous.find((p) => sameJson(p.parentRef, ref));
      const conditions = clone(old?.conditions ?? []);
      // Upstream's if/else gives NoMatchingParent the hostname message too.
      const accepted =
        matched.length > 0
          ? cond('Accepted', 'True', 'Accepted', 'Route is accepted.', generation)
          : cond(
              'Accepted',
              'False',
              reason,
              reason === 'NotAllowedByListeners'
                ? "Route is not allowed by a listener's policy."
                : "The route's hostnames do not match any listener hostnames.",
              generation,
            );
      setCondition(conditions, accepted, now);
      setCondition(conditions, resolved, now);
      parents.push({ parentRef: ref, controllerName: GATEWAY_CONTROLLER, conditions });
      for (const m of matched) accepting.add(m);
    }
    return { parents, accepting: [...accepting] };
  }

  private backendsExist(route: KubeObject): boolean {
    for (const rule of (route.spec?.rules ?? []) as any[]) {
      if (((rule.filters ?? []) as { type: string }[]).some((f) => f.type === 'RequestRedirect')) continue;
      for (const ref of (rule.backendRefs ?? []) as { name: string; namespace?: string }[]) {
        if (!this.store.get('Service', ref.namespace ?? route.metadata.namespace!, ref.name)) return false;
      }
    }
    return true;
  }

  /** httproute.go translateHTTPRouteToEnvoyRoutes: Envoy routes and the ResolvedRefs condition of the translation. */
  private translate(route: KubeObject): { routes: EnvoyRoute[]; condition: Condition } {
    const generation = Number(route.metadata.generation ?? 1);
    let condition = cond('ResolvedRefs', 'True', 'ResolvedRefs', 'All references resolved', generation);
    const routes: EnvoyRoute[] = [];
    const ns = route.metadata.namespace!;
    ((route.spec?.rules ?? []) as any[]).forEach((rule, r) => {
      const matches = ((rule.matches ?? []) as any[]).length > 0 ? (rule.matches as any[]) : [{}];
      matches.forEach((match, m) => {
        const path = match.path ?? { type: 'PathPrefix', value: '/' };
        const type = path.type ?? 'PathPrefix';
        if (path.value === undefined) {
          condition = cond('ResolvedRefs', 'False', 'UnsupportedValue', 'path match value cannot be nil', generation);
          return;
        }
        const value = String(path.value);
        const envoyPath: EnvoyRoute['path'] =
          type === 'Exact'
            ? { kind: 'exact', value }
            : type === 'RegularExpression'
              ? { kind: 'regex', value }
              : value === '/'
                ? { kind: 'prefix', value: '/' }
                : { kind: 'separated', value: value.replace(/\/$/, '') };
        const action = this.backendAction(ns, (rule.backendRefs ?? []) as any[]);
        if ('error' in action) condition = cond('ResolvedRefs', 'False', action.reason, action.error, generation);
        routes.push({
          name: `${ns}-${route.metadata.name}-rule${r}-match${m}`,
          path: envoyPath,
          headers: ((match.headers ?? []) as any[]).map((h) => ({
            name: String(h.name).toLowerCase(),
            value: String(h.value),
            regex: h.type === 'RegularExpression',
          })),
          query: ((match.queryParams ?? []) as any[]).map((q) => ({ name: String(q.name), value: String(q.value) })),
          action: 'error' in action ? { kind: 'direct', status: 500 } : { kind: 'backends', backends: action.backends },
        });
      });
    });
    return { routes, condition };
  }

  /** httproute.go buildHTTPRouteAction and backendref.go: Services only, in the route's namespace (no ReferenceGrants here). */
  private backendAction(
    namespace: string,
    refs: { name: string; namespace?: string; kind?: string; group?: string; port?: number; weight?: number }[],
  ): { backends: Backend[] } | { error: string; reason: string } {
    const backends: Backend[] = [];
    for (const ref of refs) {
      const ns = ref.namespace ?? namespace;
      if (ns !== namespace) return { reason: 'RefNotPermitted', error: 'permission error' };
      if (!this.store.get('Service', ns, ref.name)) return { reason: 'BackendNotFound', error: 'backend not found' };
      if (ref.kind !== undefined && ref.kind !== 'Service')
        return { reason: 'InvalidKind', error: `unsupported backend kind: ${ref.kind}` };
      if (ref.port === undefined) return { reason: 'UnsupportedProtocol', error: 'backend port must be specified' };
      const weight = ref.weight ?? 1;
      if (weight === 0) continue;
      backends.push({ namespace: ns, service: ref.name, port: ref.port, weight });
    }
    if (backends.length === 0)
      return { reason: 'UnsupportedValue', error: 'no valid backends provided with a weight > 0' };
    return { backends };
  }

  /** listener.go validateListeners: port sharing and certificate references. */
  private validateListeners(gateway: KubeObject, listeners: Listener[]): Map<string, Condition[]> {
    const out = new Map<string, Condition[]>();
    const add = (name: string, c: Condition) => out.set(name, [...(out.get(name) ?? []), c]);
    const generation = Number(gateway.metadata.generation ?? 1);
    const byPort = new Map<number, Listener[]>();
    for (const l of listeners) byPort.set(l.port, [...(byPort.get(l.port) ?? []), l]);
    const conflicted = new Set<string>();
    for (const onPort of byPort.values()) {
      const l4 = onPort.some((l) => l.protocol === 'TCP' || l.protocol === 'UDP');
      const l7 = onPort.some((l) => ['HTTP', 'HTTPS', 'TLS'].includes(l.protocol));
      if (l4 && l7) {
        for (const l of onPort) {
          add(
            l.name,
            cond(
              'Conflicted',
              'True',
              'ProtocolConflict',
              'Protocol conflict: TCP/UDP listeners cannot share a port with HTTP/HTTPS/TLS listeners.',
              generation,
            ),
          );
          conflicted.add(l.name);
        }
        continue;
      }
      const seen = new Map<string, string>();
      for (const l of onPort) {
        const host = l.hostname ?? '';
        const other = seen.get(host);
        if (other === undefined) {
          seen.set(host, l.name);
          continue;
        }
        const c = cond(
          'Conflicted',
          'True',
          'HostnameConflict',
          `Hostname '${host}' conflicts with another listener on the same port.`,
          generation,
        );
        add(l.name, c);
        add(other, c);
        conflicted.add(l.name).add(other);
      }
    }
    for (const l of listeners) {
      if (conflicted.has(l.name)) continue;
      const problem = l.tls ? this.certificateProblem(gateway, l) : undefined;
      add(
        l.name,
        problem
          ? cond('ResolvedRefs', 'False', problem.reason, problem.message, generation)
          : cond('ResolvedRefs', 'True', 'ResolvedRefs', 'All references resolved', generation),
      );
    }
    return out;
  }

  private certificateProblem(gateway: KubeObject, listener: Listener): { reason: string; message: string } | undefined {
    for (const ref of listener.tls?.certificateRefs ?? []) {
      if (ref.group)
        return { reason: 'InvalidCertificateRef', message: `unsupported certificate ref grup: ${ref.group}` };
      if (ref.kind !== undefined && ref.kind !== 'Secret')
        return { reason: 'InvalidCertificateRef', message: `unsupported certificate ref kind: ${ref.kind}` };
      const ns = ref.namespace ?? gateway.metadata.namespace!;
      if (ns !== gateway.metadata.namespace)
        return {
          reason: 'RefNotPermitted',
          message: `reference to Secret ${ns}/${ref.name} not permitted by any ReferenceGrant`,
        };
      const secret = this.store.get('Secret', ns, ref.name);
      if (!secret)
        return { reason: 'InvalidCertificateRef', message: `reference to Secret ${ns}/${ref.name} not found` };
      const invalidPem = pemProblem(secret);
      if (invalidPem)
        return { reason: 'InvalidCertificateRef', message: `malformed Secret ${ns}/${ref.name} : ${invalidPem}` };
    }
    return undefined;
  }

  /** listener.go translateListenerToFilterChain: SNI = listener hostname; the TLS context from the Secret. */
  private filterChain(gateway: KubeObject, listener: Listener): FilterChain | { error: string } {
    if (listener.protocol !== 'HTTPS') return {};
    const refs = listener.tls?.certificateRefs ?? [];
    const fail = (why: string) => ({ error: `failed to build TLS context for listener ${listener.name}: ${why}` });
    if (!listener.tls) return { serverName: listener.hostname };
    if (refs.length === 0) return fail('TLS is configured, but no certificate refs are provided');
    // Every ref must resolve (buildDownstreamTLSContext); the double serves the first certificate, where Envoy would
    // pick among several by SNI.
    const contexts: (SecureContext | undefined)[] = [];
    for (const ref of refs) {
      if (ref.group) return fail(`unsupported certificate ref group: ${ref.group}`);
      if (ref.kind !== undefined && ref.kind !== 'Secret') return fail(`unsupported certificate ref kind: ${ref.kind}`);
      const ns = ref.namespace ?? gateway.metadata.namespace!;
      const secret = this.store.get('Secret', ns, ref.name);
      if (!secret) return fail(`failed to get secret ${ns}/${ref.name}: secrets "${ref.name}" not found`);
      // toEnvoyTlsCertificate: only the keys tls.crt/tls.key and their PEM blocks count; the Secret's type is not
      // checked. PEM blocks Envoy cannot load (a key that does not match) still program the listener; the double then
      // serves no certificate on it.
      const problem = pemProblem(secret);
      if (problem) return fail(`failed to convert secret to tls certificate: ${problem}`);
      contexts.push(this.contexts.of(secret));
    }
    return { serverName: listener.hostname, context: contexts[0] };
  }
}

/** listener.go validateSecretCertificate: each key present and holding a PEM block. */
function pemProblem(secret: KubeObject): string | undefined {
  const id = `${secret.metadata.namespace}/${secret.metadata.name}`;
  const data = (secret.data ?? {}) as Record<string, string>;
  for (const [key, what] of [
    ['tls.key', 'a valid PEM-encoded private key'],
    ['tls.crt', 'a valid PEM-encoded certificate chain'],
  ] as const) {
    if (!(key in data)) return `secret ${id} does not contain key ${key}`;
    if (!/-----BEGIN [A-Z ]+-----/.test(Buffer.from(data[key]!, 'base64').toString('utf8')))
      return `secret ${id} key ${key} does not contain ${what}`;
  }
  return undefined;
}
