import { admitDeployment, admitIngress, admitSecret, admitService } from './admission.js';
import { endpointSliceObject, endpointsObject } from './endpoints.js';
import { admitGatewayApi } from './gateway-admission.js';
import { clone, sameJson, type KubeObject } from './objects.js';
import type { Resource } from './resources.js';
import type { ObjectStore } from './store.js';
import type { Workloads } from './workloads.js';

/** The API server as kubectl meets it: reads (Endpoints computed from Services and pods), admitted writes. */
export class Api {
  constructor(
    private readonly store: ObjectStore,
    private readonly workloads: Workloads,
    /** Let the controllers and the network catch up with a write. */
    readonly settle: () => Promise<void>,
  ) {}

  get(resource: Resource, namespace: string, name: string): KubeObject | undefined {
    const ns = resource.namespaced ? namespace : '';
    if (resource.kind === 'Endpoints') {
      const svc = this.store.get('Service', ns, name);
      return svc && endpointsObject(this.store, this.workloads, svc);
    }
    if (resource.kind === 'EndpointSlice') return this.list(resource, namespace).find((s) => s.metadata.name === name);
    return this.store.get(resource.kind, ns, name);
  }

  list(resource: Resource, namespace: string): KubeObject[] {
    const ns = resource.namespaced ? namespace : '';
    if (resource.kind === 'Endpoints') {
      return this.store
        .list('Service', ns)
        .map((svc) => endpointsObject(this.store, this.workloads, svc))
        .filter((e): e is KubeObject => e !== undefined);
    }
    if (resource.kind === 'EndpointSlice') {
      return this.store
        .list('Service', ns)
        .map((svc) => endpointSliceObject(this.store, this.workloads, svc))
        .filter((e): e is KubeObject => e !== undefined);
    }
    return this.store.list(resource.kind, ns);
  }

  /** Defaults, allocations and validation (throws kubectl's Invalid error). */
  admit(resource: Resource, object: KubeObject, previous: KubeObject | undefined): KubeObject {
    switch (resource.kind) {
      case 'Service':
        return admitService(object, previous, this.store);
      case 'Deployment':
        return admitDeployment(object, previous);
      case 'Ingress':
        return admitIngress(object, previous);
      case 'Secret':
        return admitSecret(object);
      case 'GatewayClass':
      case 'Gateway':
      case 'HTTPRoute':
        return admitGatewayApi(object, previous);
      default:
        return clone(object);
    }
  }

  create(resource: Resource, object: KubeObject): KubeObject {
    return this.store.create(this.admit(resource, object, undefined));
  }

  /** Store `object` over `previous`; false when nothing but the resourceVersion would change. */
  update(resource: Resource, object: KubeObject, previous: KubeObject): boolean {
    const admitted = this.admit(resource, object, previous);
    if (sameJson(admitted, previous)) return false;
    this.store.update(admitted);
    return true;
  }

  remove(resource: Resource, namespace: string, name: string): KubeObject | undefined {
    return this.store.remove(resource.kind, resource.namespaced ? namespace : '', name);
  }
}
