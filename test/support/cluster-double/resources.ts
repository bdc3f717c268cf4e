/** The resource types the double serves, with the names kubectl uses for them in commands and messages. */

export type KindName =
  | 'Node'
  | 'Pod'
  | 'Service'
  | 'Endpoints'
  | 'EndpointSlice'
  | 'Deployment'
  | 'Ingress'
  | 'Secret'
  | 'GatewayClass'
  | 'Gateway'
  | 'HTTPRoute';

export interface Resource {
  kind: KindName;
  apiVersion: string;
  group: string;
  plural: string;
  namespaced: boolean;
  /** Words accepted on the command line (`get svc`, `delete deploy x`). */
  names: readonly string[];
  /** Can be created from a manifest (the others are made by the cluster itself). */
  fromManifest: boolean;
}

export const RESOURCES: readonly Resource[] = [
  {
    kind: 'Node',
    apiVersion: 'v1',
    group: '',
    plural: 'nodes',
    namespaced: false,
    names: ['nodes', 'node', 'no'],
    fromManifest: false,
  },
  {
    kind: 'Pod',
    apiVersion: 'v1',
    group: '',
    plural: 'pods',
    namespaced: true,
    names: ['pods', 'pod', 'po'],
    fromManifest: false,
  },
  {
    kind: 'Service',
    apiVersion: 'v1',
    group: '',
    plural: 'services',
    namespaced: true,
    names: ['services', 'service', 'svc'],
    fromManifest: true,
  },
  {
    kind: 'Endpoints',
    apiVersion: 'v1',
    group: '',
    plural: 'endpoints',
    namespaced: true,
    names: ['endpoints', 'ep'],
    fromManifest: false,
  },
  {
    kind: 'EndpointSlice',
    apiVersion: 'discovery.k8s.io/v1',
    group: 'discovery.k8s.io',
    plural: 'endpointslices',
    namespaced: true,
    names: ['endpointslices', 'endpointslice'],
    fromManifest: false,
  },
  {
    kind: 'Secret',
    apiVersion: 'v1',
    group: '',
    plural: 'secrets',
    namespaced: true,
    names: ['secrets', 'secret'],
    fromManifest: true,
  },
  {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    group: 'apps',
    plural: 'deployments',
    namespaced: true,
    names: ['deployments', 'deployment', 'deploy', 'deployments.apps', 'deployment.apps'],
    fromManifest: true,
  },
  {
    kind: 'Ingress',
    apiVersion: 'networking.k8s.io/v1',
    group: 'networking.k8s.io',
    plural: 'ingresses',
    namespaced: true,
    names: ['ingresses', 'ingress', 'ing', 'ingresses.networking.k8s.io', 'ingress.networking.k8s.io'],
    fromManifest: true,
  },
  // The Gateway API CRDs cloud-provider-kind v0.11.1 installs (names and shortNames from the CRDs, v1.5.0).
  {
    kind: 'GatewayClass',
    apiVersion: 'gateway.networking.k8s.io/v1',
    group: 'gateway.networking.k8s.io',
    plural: 'gatewayclasses',
    namespaced: false,
    names: [
      'gatewayclasses',
      'gatewayclass',
      'gc',
      'gatewayclasses.gateway.networking.k8s.io',
      'gatewayclass.gateway.networking.k8s.io',
    ],
    fromManifest: true,
  },
  {
    kind: 'Gateway',
    apiVersion: 'gateway.networking.k8s.io/v1',
    group: 'gateway.networking.k8s.io',
    plural: 'gateways',
    namespaced: true,
    names: ['gateways', 'gateway', 'gtw', 'gateways.gateway.networking.k8s.io', 'gateway.gateway.networking.k8s.io'],
    fromManifest: true,
  },
  {
    kind: 'HTTPRoute',
    apiVersion: 'gateway.networking.k8s.io/v1',
    group: 'gateway.networking.k8s.io',
    plural: 'httproutes',
    namespaced: true,
    names: ['httproutes', 'httproute', 'httproutes.gateway.networking.k8s.io', 'httproute.gateway.networking.k8s.io'],
    fromManifest: true,
  },
];

export function resourceNamed(word: string): Resource | undefined {
  const lower = word.toLowerCase();
  return RESOURCES.find((r) => r.names.includes(lower));
}

export function resourceOfKind(kind: KindName): Resource {
  return RESOURCES.find((r) => r.kind === kind)!;
}

/** `services`, `deployments.apps`: how the API server names a resource in its errors. */
export function qualifiedPlural(resource: Resource): string {
  return resource.group ? `${resource.plural}.${resource.group}` : resource.plural;
}

/** `service`, `deployment.apps`: how kubectl names a resource in `apply`/`delete` lines. */
export function typeName(resource: Resource): string {
  const kind = resource.kind.toLowerCase();
  return resource.group ? `${kind}.${resource.group}` : kind;
}

/**
 * Kinds a real API server of today serves but the double does not model: applying one fails loudly instead of
 * pretending. Any other apiVersion/kind pair gets kubectl's "no matches for kind" (a typo, or an API that was
 * removed such as extensions/v1beta1 Ingress).
 */
const SERVED_BUT_NOT_MODELLED: Record<string, readonly string[]> = {
  v1: [
    'Pod',
    'ConfigMap',
    'Namespace',
    'ServiceAccount',
    'PersistentVolumeClaim',
    'PersistentVolume',
    'Endpoints',
    'ReplicationController',
    'LimitRange',
    'ResourceQuota',
    'Event',
    'Node',
  ],
  'apps/v1': ['StatefulSet', 'DaemonSet', 'ReplicaSet', 'ControllerRevision'],
  'networking.k8s.io/v1': ['IngressClass', 'NetworkPolicy'],
  'discovery.k8s.io/v1': ['EndpointSlice'],
  'batch/v1': ['Job', 'CronJob'],
  'rbac.authorization.k8s.io/v1': ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'],
  'gateway.networking.k8s.io/v1': ['GRPCRoute', 'ReferenceGrant', 'ListenerSet', 'TLSRoute', 'BackendTLSPolicy'],
  'gateway.networking.k8s.io/v1beta1': ['ReferenceGrant'],
};

export type ManifestKind = { type: 'modelled'; resource: Resource } | { type: 'not-modelled' } | { type: 'no-match' };

export function classifyManifest(apiVersion: string, kind: string): ManifestKind {
  const resource = RESOURCES.find((r) => r.fromManifest && r.kind === kind && r.apiVersion === apiVersion);
  if (resource) return { type: 'modelled', resource };
  if (SERVED_BUT_NOT_MODELLED[apiVersion]?.includes(kind)) return { type: 'not-modelled' };
  return { type: 'no-match' };
}
