import type { Text } from '../../core/i18n.js';
import { nodeContainerNames, type KindConfig } from './config.js';
import { withParticle } from '../../core/korean.js';

/** The part of `docker inspect <container>` this module reads. */
export interface NodeContainer {
  Name: string;
  Config?: { Image?: string; Labels?: Record<string, string> };
  State?: { Status?: string; Running?: boolean };
  HostConfig?: { PortBindings?: Record<string, { HostIp?: string; HostPort?: string }[] | null> | null };
}

/** The part of `kubectl get nodes -o json` (a v1 NodeList) this module reads. */
export interface NodeList {
  items: { metadata: { name: string; labels?: Record<string, string> } }[];
}

function trimSlash(name: string): string {
  return name.startsWith('/') ? name.slice(1) : name;
}

/**
 * What differs between a kind cluster as it runs and the configuration asked for now. kind cannot change port
 * mappings or images of an existing cluster, so any difference means: recreate (the caller asks first).
 * `acceptedImages`: the pinned node image, and the tag an offline pack loaded it under.
 */
export function compareNodes(
  config: KindConfig,
  containers: NodeContainer[],
  nodes: NodeList | undefined,
  acceptedImages: readonly string[],
): Text[] {
  const differences: Text[] = [];
  const names = nodeContainerNames(config);
  const byName = new Map(containers.map((c) => [trimSlash(c.Name), c]));
  if (containers.length !== names.length) {
    differences.push({
      ko: `노드가 ${containers.length}개입니다. 실습 클러스터에는 ${names.length}개(control-plane 1, worker 2)가 필요합니다.`,
      en: `The cluster has ${containers.length} nodes; the labs need ${names.length} (1 control-plane, 2 workers).`,
    });
  }
  config.nodes.forEach((node, index) => {
    const name = names[index]!;
    const container = byName.get(name);
    if (!container) {
      differences.push({ ko: `노드 ${withParticle(name, '이/가')} 없습니다.`, en: `Node ${name} is missing.` });
      return;
    }
    const image = container.Config?.Image ?? '';
    if (!acceptedImages.includes(image)) {
      differences.push({
        ko: `노드 ${name}의 이미지가 ${image}입니다. 고정된 이미지는 ${node.image}입니다.`,
        en: `Node ${name} runs ${image}; the pinned image is ${node.image}.`,
      });
    }
    if (container.State?.Running === false) {
      differences.push({
        ko: `노드 컨테이너 ${withParticle(name, '이/가')} 멈춰 있습니다 (${container.State.Status ?? 'stopped'}).`,
        en: `Node container ${name} is not running (${container.State.Status ?? 'stopped'}).`,
      });
    }
    const bindings = container.HostConfig?.PortBindings ?? {};
    for (const mapping of node.extraPortMappings) {
      const key = `${mapping.containerPort}/${mapping.protocol.toLowerCase()}`;
      const found = bindings[key] ?? [];
      const ok = found.some(
        (b) => b.HostPort === String(mapping.hostPort) && (b.HostIp ?? '') === mapping.listenAddress,
      );
      if (!ok) {
        const now = found.length ? found.map((b) => `${b.HostIp || '0.0.0.0'}:${b.HostPort}`).join(', ') : '-';
        differences.push({
          ko: `노드 ${name}의 포트 ${withParticle(mapping.containerPort, '이/가')} 호스트 ${now}에 연결되어 있습니다. 지금 설정은 ${mapping.listenAddress}:${mapping.hostPort}입니다.`,
          en: `Node ${name} port ${mapping.containerPort} is mapped to host ${now}; the configuration asks for ${mapping.listenAddress}:${mapping.hostPort}.`,
        });
      }
    }
    if (nodes) {
      const item = nodes.items.find((n) => n.metadata.name === name);
      for (const [label, value] of Object.entries(node.labels)) {
        const actual = item?.metadata.labels?.[label];
        if (actual !== value) {
          differences.push({
            ko: `노드 ${name}에 레이블 ${label}=${value}가 없습니다.`,
            en: `Node ${name} lacks the label ${label}=${value}.`,
          });
        }
      }
    }
  });
  if (!nodes) {
    differences.push({
      ko: '클러스터의 API 서버가 응답하지 않습니다.',
      en: 'The cluster’s API server does not answer.',
    });
  }
  return differences;
}
