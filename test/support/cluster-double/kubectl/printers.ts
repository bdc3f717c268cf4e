import { stringify } from 'yaml';
import { goJson, sortKeys, type KubeObject } from '../objects.js';
import type { Resource } from '../resources.js';

/** kubectl's text output: tabwriter columns (padding 3), ages, and the columns of each resource type. */

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return (
    all
      .map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]! + 3))).join(''))
      .join('\n') + '\n'
  );
}

/** k8s.io/apimachinery duration.HumanDuration. */
function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (days < 8) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (days < 365 * 2) return `${days}d`;
  return `${Math.floor(days / 365)}y`;
}

function age(object: KubeObject): string {
  return humanDuration(Date.now() - Date.parse(object.metadata.creationTimestamp));
}

const NONE = '<none>';

function selectorText(selector: Record<string, string> | undefined): string {
  if (!selector || Object.keys(selector).length === 0) return NONE;
  return Object.keys(selector)
    .sort()
    .map((k) => `${k}=${selector[k]}`)
    .join(',');
}

function loadBalancerAddresses(object: KubeObject): string[] {
  return ((object.status?.loadBalancer?.ingress ?? []) as { ip?: string; hostname?: string }[])
    .map((i) => i.ip ?? i.hostname ?? '')
    .filter(Boolean);
}

function serviceRow(svc: KubeObject, wide: boolean): string[] {
  const spec = svc.spec ?? {};
  const externalIps = (spec.externalIPs ?? []) as string[];
  let external = externalIps.length ? externalIps.join(',') : NONE;
  if (spec.type === 'LoadBalancer') {
    const all = [...loadBalancerAddresses(svc), ...externalIps];
    external = all.length ? all.join(',') : '<pending>';
  } else if (spec.type === 'ExternalName') external = spec.externalName ?? NONE;
  const ports = ((spec.ports ?? []) as { port: number; nodePort?: number; protocol?: string }[])
    .map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`))
    .join(',');
  const row = [svc.metadata.name, spec.type ?? 'ClusterIP', spec.clusterIP ?? NONE, external, ports || NONE, age(svc)];
  return wide ? [...row, selectorText(spec.selector)] : row;
}

function podRow(pod: KubeObject, wide: boolean): string[] {
  const statuses = (pod.status?.containerStatuses ?? []) as {
    ready: boolean;
    restartCount: number;
    state?: { waiting?: { reason?: string } };
  }[];
  const containers = (pod.spec?.containers ?? []) as unknown[];
  const ready = statuses.filter((s) => s.ready).length;
  const waiting = statuses.find((s) => s.state?.waiting?.reason)?.state?.waiting?.reason;
  const status = waiting ?? pod.status?.phase ?? 'Pending';
  const restarts = statuses.reduce((n, s) => n + s.restartCount, 0);
  const row = [pod.metadata.name, `${ready}/${containers.length}`, status, String(restarts), age(pod)];
  return wide ? [...row, pod.status?.podIP ?? NONE, pod.spec?.nodeName ?? NONE, NONE, NONE] : row;
}

function nodeRow(node: KubeObject, wide: boolean): string[] {
  const labels = node.metadata.labels ?? {};
  const roles = Object.keys(labels)
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length))
    .sort();
  const ready = ((node.status?.conditions ?? []) as { type: string; status: string }[]).find((c) => c.type === 'Ready');
  const info = node.status?.nodeInfo ?? {};
  const address = (type: string) =>
    ((node.status?.addresses ?? []) as { type: string; address: string }[]).find((a) => a.type === type)?.address ??
    NONE;
  const row = [
    node.metadata.name,
    ready?.status === 'True' ? 'Ready' : 'NotReady',
    roles.join(',') || NONE,
    age(node),
    info.kubeletVersion ?? '',
  ];
  return wide
    ? [
        ...row,
        address('InternalIP'),
        address('ExternalIP'),
        info.osImage ?? '',
        info.kernelVersion ?? '',
        info.containerRuntimeVersion ?? '',
      ]
    : row;
}

function deploymentRow(deploy: KubeObject, wide: boolean): string[] {
  const status = deploy.status ?? {};
  const row = [
    deploy.metadata.name,
    `${status.readyReplicas ?? 0}/${deploy.spec?.replicas ?? 1}`,
    String(status.updatedReplicas ?? 0),
    String(status.availableReplicas ?? 0),
    age(deploy),
  ];
  if (!wide) return row;
  const containers = (deploy.spec?.template?.spec?.containers ?? []) as { name: string; image: string }[];
  return [
    ...row,
    containers.map((c) => c.name).join(','),
    containers.map((c) => c.image).join(','),
    selectorText(deploy.spec?.selector?.matchLabels),
  ];
}

function ingressRow(ingress: KubeObject): string[] {
  const rules = (ingress.spec?.rules ?? []) as { host?: string }[];
  const hosts = rules.map((r) => r.host || '*');
  const shown =
    hosts.length > 4 ? `${hosts.slice(0, 4).join(',')} + ${hosts.length - 4} more...` : hosts.join(',') || '*';
  const ports = (ingress.spec?.tls ?? []).length ? '80, 443' : '80';
  return [
    ingress.metadata.name,
    ingress.spec?.ingressClassName ?? NONE,
    shown,
    loadBalancerAddresses(ingress).join(','),
    ports,
    age(ingress),
  ];
}

function secretRow(secret: KubeObject): string[] {
  return [
    secret.metadata.name,
    typeof secret.type === 'string' ? secret.type : 'Opaque',
    String(Object.keys(secret.data ?? {}).length),
    age(secret),
  ];
}

function endpointsRow(ep: KubeObject): string[] {
  const pairs: string[] = [];
  for (const subset of (ep.subsets ?? []) as { addresses?: { ip: string }[]; ports?: { port: number }[] }[]) {
    for (const a of subset.addresses ?? []) for (const p of subset.ports ?? []) pairs.push(`${a.ip}:${p.port}`);
  }
  const shown = pairs.length > 3 ? `${pairs.slice(0, 3).join(',')} + ${pairs.length - 3} more...` : pairs.join(',');
  return [ep.metadata.name, shown || NONE, age(ep)];
}

/** A CRD's additionalPrinterColumns (Gateway API v1.5.0): `.status.conditions[?(@.type=="T")].status`. */
function conditionStatus(object: KubeObject, type: string): string {
  return (
    ((object.status?.conditions ?? []) as { type: string; status: string }[]).find((c) => c.type === type)?.status ?? ''
  );
}

function gatewayRow(gateway: KubeObject): string[] {
  const addresses = ((gateway.status?.addresses ?? []) as { value: string }[]).map((a) => a.value);
  return [
    gateway.metadata.name,
    gateway.spec?.gatewayClassName ?? '',
    addresses.join(','),
    conditionStatus(gateway, 'Programmed'),
    age(gateway),
  ];
}

/** kubectl prints a string column holding a list as its JSON. */
function httpRouteRow(route: KubeObject): string[] {
  const hostnames = route.spec?.hostnames as string[] | undefined;
  return [route.metadata.name, hostnames ? JSON.stringify(hostnames) : '', age(route)];
}

function gatewayClassRow(gc: KubeObject, wide: boolean): string[] {
  const row = [gc.metadata.name, gc.spec?.controllerName ?? '', conditionStatus(gc, 'Accepted'), age(gc)];
  return wide ? [...row, gc.spec?.description ?? ''] : row;
}

function endpointSliceRow(slice: KubeObject): string[] {
  const ports = ((slice.ports ?? []) as { port: number }[]).map((p) => String(p.port)).join(',');
  const addresses = ((slice.endpoints ?? []) as { addresses: string[] }[]).flatMap((e) => e.addresses);
  const shown =
    addresses.length > 3 ? `${addresses.slice(0, 3).join(',')} + ${addresses.length - 3} more...` : addresses.join(',');
  return [slice.metadata.name, String(slice.addressType), ports || NONE, shown || NONE, age(slice)];
}

const HEADERS: Record<Resource['kind'], { plain: string[]; wide: string[] }> = {
  Service: {
    plain: ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
    wide: ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR'],
  },
  Pod: {
    plain: ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'],
    wide: ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'],
  },
  Node: {
    plain: ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'],
    wide: [
      'NAME',
      'STATUS',
      'ROLES',
      'AGE',
      'VERSION',
      'INTERNAL-IP',
      'EXTERNAL-IP',
      'OS-IMAGE',
      'KERNEL-VERSION',
      'CONTAINER-RUNTIME',
    ],
  },
  Deployment: {
    plain: ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
    wide: ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR'],
  },
  Ingress: {
    plain: ['NAME', 'CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE'],
    wide: ['NAME', 'CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE'],
  },
  Secret: { plain: ['NAME', 'TYPE', 'DATA', 'AGE'], wide: ['NAME', 'TYPE', 'DATA', 'AGE'] },
  Endpoints: { plain: ['NAME', 'ENDPOINTS', 'AGE'], wide: ['NAME', 'ENDPOINTS', 'AGE'] },
  GatewayClass: {
    plain: ['NAME', 'CONTROLLER', 'ACCEPTED', 'AGE'],
    wide: ['NAME', 'CONTROLLER', 'ACCEPTED', 'AGE', 'DESCRIPTION'],
  },
  Gateway: {
    plain: ['NAME', 'CLASS', 'ADDRESS', 'PROGRAMMED', 'AGE'],
    wide: ['NAME', 'CLASS', 'ADDRESS', 'PROGRAMMED', 'AGE'],
  },
  HTTPRoute: { plain: ['NAME', 'HOSTNAMES', 'AGE'], wide: ['NAME', 'HOSTNAMES', 'AGE'] },
  EndpointSlice: {
    plain: ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'],
    wide: ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'],
  },
};

function row(kind: Resource['kind'], object: KubeObject, wide: boolean): string[] {
  switch (kind) {
    case 'Service':
      return serviceRow(object, wide);
    case 'Pod':
      return podRow(object, wide);
    case 'Node':
      return nodeRow(object, wide);
    case 'Deployment':
      return deploymentRow(object, wide);
    case 'Ingress':
      return ingressRow(object);
    case 'Secret':
      return secretRow(object);
    case 'Endpoints':
      return endpointsRow(object);
    case 'GatewayClass':
      return gatewayClassRow(object, wide);
    case 'Gateway':
      return gatewayRow(object);
    case 'HTTPRoute':
      return httpRouteRow(object);
    case 'EndpointSlice':
      return endpointSliceRow(object);
  }
}

export function printTable(resource: Resource, objects: readonly KubeObject[], wide: boolean): string {
  const header = HEADERS[resource.kind][wide ? 'wide' : 'plain'];
  return table(
    header,
    objects.map((o) => row(resource.kind, o, wide)),
  );
}

/** `-o json`/`-o yaml` of several objects: kubectl wraps them in a `List`. */
export function asList(objects: readonly KubeObject[]): unknown {
  return { apiVersion: 'v1', items: objects, kind: 'List', metadata: { resourceVersion: '' } };
}

export function printJson(value: unknown): string {
  return goJson(value) + '\n';
}

/** kubectl's YAML: sorted keys, sequences not indented under their key, YAML 1.1 quoting (timestamps, yes/no). */
export function printYaml(value: unknown): string {
  return stringify(sortKeys(value), { indentSeq: false, version: '1.1', lineWidth: 0 });
}
