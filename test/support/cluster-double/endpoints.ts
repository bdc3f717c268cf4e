import type { KubeObject } from './objects.js';
import type { ObjectStore } from './store.js';
import { isPodReady, type Workloads } from './workloads.js';

/** One backend of a Service port: what the endpoints controller publishes and kube-proxy dials. */
export interface Endpoint {
  podName: string;
  nodeName: string;
  ip: string;
  port: number;
  ready: boolean;
  /** Where the pod's container really listens on 127.0.0.1; undefined when nothing listens on `port` (refused). */
  dial?: number;
}

export interface ServicePortSpec {
  name?: string;
  port: number;
  targetPort?: number | string;
  nodePort?: number;
  protocol?: string;
}

function selects(selector: Record<string, string>, pod: KubeObject): boolean {
  const labels = pod.metadata.labels ?? {};
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** A named targetPort is looked up among the pod's container ports; a missing name leaves the pod out. */
function resolveTargetPort(pod: KubeObject, target: number | string | undefined, fallback: number): number | undefined {
  if (typeof target === 'number') return target;
  if (target === undefined) return fallback;
  if (/^\d+$/.test(target)) return Number(target);
  for (const container of (pod.spec?.containers ?? []) as { ports?: { name?: string; containerPort: number }[] }[]) {
    const found = container.ports?.find((p) => p.name === target);
    if (found) return found.containerPort;
  }
  return undefined;
}

export function endpointsOf(
  store: ObjectStore,
  workloads: Workloads,
  svc: KubeObject,
  port: ServicePortSpec,
): Endpoint[] {
  const selector = svc.spec?.selector as Record<string, string> | undefined;
  if (!selector || Object.keys(selector).length === 0) return [];
  const out: Endpoint[] = [];
  for (const pod of store.list('Pod', svc.metadata.namespace)) {
    if (!selects(selector, pod) || !pod.status?.podIP) continue;
    const target = resolveTargetPort(pod, port.targetPort, port.port);
    if (target === undefined) continue;
    out.push({
      podName: pod.metadata.name,
      nodeName: pod.spec.nodeName,
      ip: pod.status.podIP,
      port: target,
      ready: isPodReady(pod),
      dial: workloads.listenerFor(pod, target),
    });
  }
  return out;
}

/** Go's string order (bytes.Compare, `<` on strings): both controllers and kube-proxy sort addresses as text, not as numbers. */
export function textOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * What both controllers publish for a Service with a selector: its ports, each port's endpoints, and the first
 * port's endpoints in the Endpoints controller's order (the addresses they list); undefined without a selector.
 */
function published(store: ObjectStore, workloads: Workloads, svc: KubeObject) {
  if (!svc.spec?.selector || Object.keys(svc.spec.selector).length === 0) return undefined;
  const ports = (svc.spec.ports ?? []) as ServicePortSpec[];
  const byPort = ports.map((p) => endpointsOf(store, workloads, svc, p));
  // pkg/api/v1/endpoints/util.go LessEndpointAddress: by the IP's bytes, so 10.244.1.10 before 10.244.1.2.
  const first = [...(byPort[0] ?? [])].sort((a, b) => textOrder(a.ip, b.ip));
  const targetRef = (e: Endpoint) => ({
    kind: 'Pod',
    name: e.podName,
    namespace: svc.metadata.namespace,
    uid: store.get('Pod', svc.metadata.namespace!, e.podName)?.metadata.uid,
  });
  return { ports, byPort, first, targetRef };
}

/** The v1 Endpoints object the endpoints controller keeps for a Service with a selector. */
export function endpointsObject(store: ObjectStore, workloads: Workloads, svc: KubeObject): KubeObject | undefined {
  const found = published(store, workloads, svc);
  if (!found) return undefined;
  const { ports, byPort, first, targetRef } = found;
  const address = (e: Endpoint) => ({ ip: e.ip, nodeName: e.nodeName, targetRef: targetRef(e) });
  const ready = first.filter((e) => e.ready).map(address);
  const notReady = first.filter((e) => !e.ready).map(address);
  const subset = {
    ...(ready.length ? { addresses: ready } : {}),
    ...(notReady.length ? { notReadyAddresses: notReady } : {}),
    ports: ports.map((p, i) => ({
      ...(p.name ? { name: p.name } : {}),
      port: byPort[i]?.[0]?.port ?? p.port,
      protocol: p.protocol ?? 'TCP',
    })),
  };
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: {
      name: svc.metadata.name,
      namespace: svc.metadata.namespace,
      uid: svc.metadata.uid,
      resourceVersion: svc.metadata.resourceVersion,
      creationTimestamp: svc.metadata.creationTimestamp,
      ...(svc.metadata.labels ? { labels: svc.metadata.labels } : {}),
    },
    ...(first.length ? { subsets: [subset] } : {}),
  };
}

/**
 * The EndpointSlice the EndpointSlice controller keeps for a Service with a selector (one slice per Service here:
 * a lab never has more than 100 endpoints). Named `<service>-<5 characters>` like the controller's generateName;
 * the suffix is derived from the Service's uid so that it stays the same between reads.
 */
export function endpointSliceObject(store: ObjectStore, workloads: Workloads, svc: KubeObject): KubeObject | undefined {
  const found = published(store, workloads, svc);
  if (!found) return undefined;
  const { ports, byPort, first, targetRef } = found;
  const suffix = (svc.metadata.uid ?? '')
    .replace(/[^a-z0-9]/g, '')
    .slice(0, 5)
    .padEnd(5, 'x');
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: `${svc.metadata.name}-${suffix}`,
      generateName: `${svc.metadata.name}-`,
      namespace: svc.metadata.namespace,
      uid: `${svc.metadata.uid}-slice`,
      resourceVersion: svc.metadata.resourceVersion,
      creationTimestamp: svc.metadata.creationTimestamp,
      labels: {
        'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
        'kubernetes.io/service-name': svc.metadata.name,
      },
      ownerReferences: [
        {
          apiVersion: 'v1',
          kind: 'Service',
          name: svc.metadata.name,
          uid: svc.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    addressType: 'IPv4',
    endpoints: first.map((e) => ({
      addresses: [e.ip],
      conditions: { ready: e.ready, serving: e.ready, terminating: false },
      nodeName: e.nodeName,
      targetRef: targetRef(e),
    })),
    // An unnamed Service port is published with the name "" (discovery.k8s.io/v1 EndpointPort).
    ports: ports.map((p, i) => ({
      name: p.name ?? '',
      port: byPort[i]?.[0]?.port ?? p.port,
      protocol: p.protocol ?? 'TCP',
    })),
  };
}
