import { release } from 'node:os';
import type { KubeObject } from './objects.js';
import { CONTROL_PLANE_LABEL, goArch, type NodeInfo } from './topology.js';

/** The node image of kind v0.32 (src/cluster/versions.ts): what the kubelet reports about itself. */
const KUBELET_VERSION = 'v1.36.1';
const OS_IMAGE = 'Debian GNU/Linux 12 (bookworm)';
const RUNTIME = 'containerd://2.1.3';

/** A Node as the kubelet registers it on a kind cluster. */
export function nodeObject(node: NodeInfo, clusterName: string, readySince: string): KubeObject {
  const cidr = `10.244.${node.podSubnet}.0/24`;
  const resources = {
    cpu: '2',
    'ephemeral-storage': '102626232Ki',
    'hugepages-2Mi': '0',
    memory: '8137676Ki',
    pods: '110',
  };
  const condition = (type: string, status: string, reason: string, message: string) => ({
    lastHeartbeatTime: readySince,
    lastTransitionTime: readySince,
    message,
    reason,
    status,
    type,
  });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: node.name,
      uid: '',
      resourceVersion: '',
      creationTimestamp: '',
      labels: node.labels,
      annotations: {
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///run/containerd/containerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {
      podCIDR: cidr,
      podCIDRs: [cidr],
      providerID: `kind://docker/${clusterName}/${node.name}`,
      ...(node.controlPlane ? { taints: [{ effect: 'NoSchedule', key: CONTROL_PLANE_LABEL }] } : {}),
    },
    status: {
      addresses: [
        { address: node.ip, type: 'InternalIP' },
        { address: node.name, type: 'Hostname' },
      ],
      allocatable: resources,
      capacity: resources,
      conditions: [
        condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        architecture: goArch(),
        bootID: '',
        containerRuntimeVersion: RUNTIME,
        kernelVersion: release(),
        kubeProxyVersion: '',
        kubeletVersion: KUBELET_VERSION,
        machineID: '',
        operatingSystem: 'linux',
        osImage: OS_IMAGE,
        systemUUID: '',
      },
    },
  };
}
