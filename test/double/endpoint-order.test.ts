import { describe, expect, it } from 'vitest';
import { endpointsObject } from '../support/cluster-double/endpoints.js';
import { iptablesSave } from '../support/cluster-double/kube-proxy-rules.js';
import type { KubeObject } from '../support/cluster-double/objects.js';
import { ObjectStore } from '../support/cluster-double/store.js';
import type { Workloads } from '../support/cluster-double/workloads.js';

/**
 * Upstream sorts endpoint addresses as text, not as numbers: the Endpoints controller by the IP's bytes
 * (pkg/api/v1/endpoints/util.go LessEndpointAddress) and kube-proxy by `ip:port` (pkg/proxy/endpointslicecache.go,
 * byEndpoint). 10.244.1.2, .9 and .20 tell the three orders apart: as numbers .2 .9 .20; as IP text .2 .20 .9 (.2 is
 * a prefix of .20); as `ip:port` text .20 .2 .9 (`0` sorts before `:`).
 */
const workloads = { listenerFor: () => undefined } as unknown as Workloads;
const node = { name: 'kind-worker', ip: '172.18.0.3', podSubnet: 1, controlPlane: false, labels: {} };

function pod(name: string, ip: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      labels: { app: 'jordy' },
      uid: '',
      resourceVersion: '',
      creationTimestamp: '',
    },
    spec: { nodeName: node.name, containers: [{ name: 'whoami', ports: [{ containerPort: 80 }] }] },
    status: { podIP: ip, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

function cluster(): { store: ObjectStore; svc: KubeObject } {
  const store = new ObjectStore();
  store.create(pod('jordy-a', '10.244.1.20'));
  store.create(pod('jordy-b', '10.244.1.9'));
  store.create(pod('jordy-c', '10.244.1.2'));
  const svc = store.create({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'jordy-svc', namespace: 'default', uid: '', resourceVersion: '', creationTimestamp: '' },
    spec: { type: 'ClusterIP', clusterIP: '10.96.0.20', selector: { app: 'jordy' }, ports: [{ port: 80 }] },
  });
  return { store, svc };
}

describe('endpoint order on the double', () => {
  it('Endpoints lists addresses by the IP as text', () => {
    const { store, svc } = cluster();
    const subsets = endpointsObject(store, workloads, svc)!.subsets as { addresses: { ip: string }[] }[];
    expect(subsets[0]!.addresses.map((a) => a.ip)).toEqual(['10.244.1.2', '10.244.1.20', '10.244.1.9']);
  });

  it('kube-proxy writes the KUBE-SVC rules by `ip:port` as text', () => {
    const { store } = cluster();
    const jumps = iptablesSave(store, workloads, node, 'nat')
      .split('\n')
      .filter((line) => /^-A KUBE-SVC-\S+ -m comment --comment "default\/jordy-svc -> /.test(line))
      .map((line) => /-> (\S+)"/.exec(line)![1]);
    expect(jumps).toEqual(['10.244.1.20:80', '10.244.1.2:80', '10.244.1.9:80']);
  });
});
