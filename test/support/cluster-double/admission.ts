import { invalid } from './kubectl-errors.js';
import { clone, isObject, sameJson, type KubeObject } from './objects.js';
import type { ObjectStore } from './store.js';

/**
 * What the API server does to an object before storing it: fill defaults, allocate what it allocates
 * (cluster IPs, nodePorts) and refuse what it refuses, with its wording. Only the rules a lab can meet.
 */

const NODE_PORT_MIN = 30000;
const NODE_PORT_MAX = 32767;
/** Since Kubernetes 1.27 automatic nodePorts come from the upper band first, leaving the lowest 86 to people. */
const NODE_PORT_STATIC_BAND_END = 30085;

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];

interface ServicePort {
  name?: string;
  port?: number;
  targetPort?: number | string;
  nodePort?: number;
  protocol?: string;
  [field: string]: unknown;
}

function quoteList(values: readonly string[]): string {
  return values.map((v) => `"${v}"`).join(', ');
}

/** Go's `%#v` of a map[string]string, as validation messages print label maps. */
function goMap(labels: Record<string, string>): string {
  const entries = Object.keys(labels)
    .sort()
    .map((k) => `"${k}":"${labels[k]}"`);
  return `map[string]string{${entries.join(', ')}}`;
}

function usedNodePorts(store: ObjectStore, except: KubeObject): Set<number> {
  const used = new Set<number>();
  for (const svc of store.list('Service')) {
    if (svc.metadata.namespace === except.metadata.namespace && svc.metadata.name === except.metadata.name) continue;
    for (const port of (svc.spec?.ports ?? []) as ServicePort[]) if (port.nodePort) used.add(port.nodePort);
    if (svc.spec?.healthCheckNodePort) used.add(svc.spec.healthCheckNodePort);
  }
  return used;
}

function pickFree(used: Set<number>, low: number, high: number): number | undefined {
  const start = low + Math.floor(Math.random() * (high - low + 1));
  for (let i = 0; i <= high - low; i++) {
    const candidate = low + ((start - low + i) % (high - low + 1));
    if (!used.has(candidate)) return candidate;
  }
  return undefined;
}

function allocateNodePort(used: Set<number>): number {
  const port =
    pickFree(used, NODE_PORT_STATIC_BAND_END + 1, NODE_PORT_MAX) ??
    pickFree(used, NODE_PORT_MIN, NODE_PORT_STATIC_BAND_END);
  if (port === undefined) throw new Error('the cluster double ran out of nodePorts');
  used.add(port);
  return port;
}

function allocateClusterIp(store: ObjectStore): string {
  const used = new Set(store.list('Service').map((s) => s.spec?.clusterIP as string));
  for (;;) {
    const ip = `10.96.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;
    if (!used.has(ip) && ip !== '10.96.0.1' && ip !== '10.96.0.10') return ip;
  }
}

export function admitService(object: KubeObject, previous: KubeObject | undefined, store: ObjectStore): KubeObject {
  const svc = clone(object);
  const spec = (svc.spec ??= {});
  const causes: string[] = [];
  spec.type ??= 'ClusterIP';
  if (!SERVICE_TYPES.includes(spec.type)) {
    causes.push(`spec.type: Unsupported value: "${spec.type}": supported values: ${quoteList(SERVICE_TYPES)}`);
  }
  const external = spec.type === 'NodePort' || spec.type === 'LoadBalancer';
  const ports = (Array.isArray(spec.ports) ? spec.ports : []) as ServicePort[];
  if (ports.length === 0) causes.push('spec.ports: Required value');

  const used = usedNodePorts(store, svc);
  const previousPorts = (previous?.spec?.ports ?? []) as ServicePort[];
  if (!external) dropExternalFields(spec, ports, previousPorts);
  // pkg/apis/core/validation/validation.go: the same (protocol, nodePort) twice in one Service is
  // field.Duplicate, `spec.ports[i].nodePort: Duplicate value: N` (apimachinery v0.33.13 field/errors.go); that
  // validation fails the request before any port is allocated.
  const seenNodePorts = new Set<string>();
  ports.forEach((port, i) => {
    if (port.nodePort === undefined) return;
    const key = `${port.protocol ?? 'TCP'}/${port.nodePort}`;
    if (seenNodePorts.has(key)) causes.push(`spec.ports[${i}].nodePort: Duplicate value: ${port.nodePort}`);
    seenNodePorts.add(key);
  });
  const failedValidation = causes.length > 0;
  ports.forEach((port, i) => {
    const at = `spec.ports[${i}]`;
    port.protocol ??= 'TCP';
    if (typeof port.port !== 'number' || port.port < 1 || port.port > 65535) {
      causes.push(`${at}.port: Invalid value: ${String(port.port ?? 0)}: must be between 1 and 65535, inclusive`);
    }
    port.targetPort ??= port.port;
    if (port.nodePort !== undefined) {
      if (!external) {
        causes.push(`${at}.nodePort: Forbidden: may not be used when \`type\` is '${spec.type}'`);
      } else if (port.nodePort < NODE_PORT_MIN || port.nodePort > NODE_PORT_MAX) {
        causes.push(
          `${at}.nodePort: Invalid value: ${port.nodePort}: provided port is not in the valid range. The range of valid ports is ${NODE_PORT_MIN}-${NODE_PORT_MAX}`,
        );
      } else if (failedValidation) {
        // Allocation never runs for a request that failed validation.
      } else if (used.has(port.nodePort)) {
        causes.push(`${at}.nodePort: Invalid value: ${port.nodePort}: provided port is already allocated`);
      } else {
        used.add(port.nodePort);
      }
    }
  });
  if (external) {
    for (const port of ports) {
      if (port.nodePort !== undefined) continue;
      // An update keeps the nodePort the server gave before (kubectl apply never sent it).
      const kept = previousPorts.find((p) => p.port === port.port && (p.protocol ?? 'TCP') === port.protocol)?.nodePort;
      port.nodePort = kept !== undefined && !used.has(kept) ? kept : allocateNodePort(used);
      used.add(port.nodePort);
    }
  }

  if (external) {
    spec.externalTrafficPolicy ??= 'Cluster';
    if (!['Cluster', 'Local'].includes(spec.externalTrafficPolicy)) {
      causes.push(
        `spec.externalTrafficPolicy: Unsupported value: "${spec.externalTrafficPolicy}": supported values: "Cluster", "Local"`,
      );
    }
  }
  if (spec.type === 'LoadBalancer') {
    spec.allocateLoadBalancerNodePorts ??= true;
    if (spec.externalTrafficPolicy === 'Local') {
      spec.healthCheckNodePort ??= previous?.spec?.healthCheckNodePort ?? allocateNodePort(used);
    }
  }
  if (spec.type !== 'LoadBalancer' || spec.externalTrafficPolicy !== 'Local') delete spec.healthCheckNodePort;
  if (spec.type !== 'LoadBalancer') delete spec.allocateLoadBalancerNodePorts;
  if (causes.length > 0) throw invalid('Service', svc.metadata.name, causes);

  spec.clusterIP ??= previous?.spec?.clusterIP ?? allocateClusterIp(store);
  spec.clusterIPs ??= [spec.clusterIP];
  spec.internalTrafficPolicy ??= 'Cluster';
  spec.ipFamilies ??= ['IPv4'];
  spec.ipFamilyPolicy ??= 'SingleStack';
  spec.sessionAffinity ??= 'None';
  // ClientIP affinity times out after DefaultClientIPServiceAffinitySeconds (pkg/apis/core/types.go: 10800).
  if (spec.sessionAffinity === 'ClientIP') spec.sessionAffinityConfig ??= { clientIP: { timeoutSeconds: 10800 } };
  svc.status =
    spec.type === 'LoadBalancer' && previous?.spec?.type === 'LoadBalancer'
      ? clone(previous.status)
      : { loadBalancer: {} };
  return svc;
}

/** Like the API server when a Service stops being external: what the server gave for the old type goes away. */
function dropExternalFields(spec: Record<string, any>, ports: ServicePort[], previousPorts: ServicePort[]): void {
  for (const port of ports) {
    const before = previousPorts.find((p) => p.port === port.port);
    if (before?.nodePort !== undefined && before.nodePort === port.nodePort) delete port.nodePort;
  }
  delete spec.externalTrafficPolicy;
  delete spec.healthCheckNodePort;
  delete spec.allocateLoadBalancerNodePorts;
}

function defaultContainer(container: Record<string, any>): void {
  const image = String(container.image ?? '');
  const tag = image.includes('@') ? 'digest' : (image.split('/').pop() ?? '').split(':')[1];
  container.imagePullPolicy ??= tag === undefined || tag === 'latest' ? 'Always' : 'IfNotPresent';
  container.resources ??= {};
  container.terminationMessagePath ??= '/dev/termination-log';
  container.terminationMessagePolicy ??= 'File';
  for (const port of (container.ports ?? []) as Record<string, unknown>[]) port.protocol ??= 'TCP';
}

export function admitDeployment(object: KubeObject, previous: KubeObject | undefined): KubeObject {
  const deploy = clone(object);
  const spec = (deploy.spec ??= {});
  const causes: string[] = [];
  const matchLabels = (spec.selector?.matchLabels ?? {}) as Record<string, string>;
  const templateLabels = (spec.template?.metadata?.labels ?? {}) as Record<string, string>;
  if (!isObject(spec.selector)) causes.push('spec.selector: Required value');
  else if (Object.entries(matchLabels).some(([k, v]) => templateLabels[k] !== v)) {
    causes.push(
      `spec.template.metadata.labels: Invalid value: ${goMap(templateLabels)}: \`selector\` does not match template \`labels\``,
    );
  }
  const containers = spec.template?.spec?.containers;
  if (!Array.isArray(containers) || containers.length === 0)
    causes.push('spec.template.spec.containers: Required value');
  if (causes.length > 0) throw invalid('Deployment', deploy.metadata.name, causes);

  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  spec.strategy ??= { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } };
  const pod = spec.template.spec;
  pod.dnsPolicy ??= 'ClusterFirst';
  pod.restartPolicy ??= 'Always';
  pod.schedulerName ??= 'default-scheduler';
  pod.securityContext ??= {};
  pod.terminationGracePeriodSeconds ??= 30;
  for (const container of containers as Record<string, any>[]) defaultContainer(container);

  deploy.metadata.generation = previous
    ? (previous.metadata.generation ?? 1) + (sameJson(previous.spec, spec) ? 0 : 1)
    : 1;
  deploy.status = previous ? clone(previous.status) : {};
  return deploy;
}

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];

export function admitIngress(object: KubeObject, previous: KubeObject | undefined): KubeObject {
  const ingress = clone(object);
  const spec = (ingress.spec ??= {});
  const causes: string[] = [];
  ((spec.rules ?? []) as Record<string, any>[]).forEach((rule, i) => {
    ((rule.http?.paths ?? []) as Record<string, any>[]).forEach((path, j) => {
      const at = `spec.rules[${i}].http.paths[${j}]`;
      if (path.pathType === undefined) {
        causes.push(`${at}.pathType: Required value: pathType must be specified`);
      } else if (!PATH_TYPES.includes(path.pathType)) {
        causes.push(
          `${at}.pathType: Unsupported value: "${path.pathType}": supported values: ${quoteList(PATH_TYPES)}`,
        );
      } else if (path.pathType !== 'ImplementationSpecific' && !String(path.path ?? '').startsWith('/')) {
        causes.push(`${at}.path: Invalid value: "${String(path.path ?? '')}": must be an absolute path`);
      }
    });
  });
  if (causes.length > 0) throw invalid('Ingress', ingress.metadata.name, causes);
  ingress.metadata.generation = previous
    ? (previous.metadata.generation ?? 1) + (sameJson(previous.spec, spec) ? 0 : 1)
    : 1;
  ingress.status = previous ? clone(previous.status) : { loadBalancer: {} };
  return ingress;
}

export function admitSecret(object: KubeObject): KubeObject {
  const secret = clone(object);
  secret.type ??= 'Opaque';
  const data = { ...((secret.data ?? {}) as Record<string, string>) };
  for (const [k, v] of Object.entries((secret.stringData ?? {}) as Record<string, string>)) {
    data[k] = Buffer.from(String(v)).toString('base64');
  }
  delete secret.stringData;
  secret.data = data;
  if (secret.type === 'kubernetes.io/tls') {
    const causes = ['tls.crt', 'tls.key'].filter((k) => !(k in data)).map((k) => `data[${k}]: Required value`);
    if (causes.length > 0) throw invalid('Secret', secret.metadata.name, causes);
  }
  return secret;
}
