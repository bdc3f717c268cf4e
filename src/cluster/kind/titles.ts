import type { Text } from '../../core/i18n.js';
import { ccmContainerName } from './settings.js';
import { toolCommand } from '../../platform/invocation.js';

/** What the learner sees for each step of the kind provider. */
export const TITLES = {
  inspect: { ko: '기존 kind 클러스터 확인', en: 'Look for an existing kind cluster' },
  reusing: (name: string): Text => ({
    ko: `클러스터 ${name}이(가) 이미 같은 설정으로 있어 그대로 씁니다.`,
    en: `Cluster ${name} already exists with this configuration: reusing it.`,
  }),
  deleteOld: (name: string): Text => ({
    ko: `설정이 다른 기존 클러스터 ${name} 지우기`,
    en: `Delete the existing cluster ${name} (different configuration)`,
  }),
  ports: { ko: '호스트 포트가 비어 있는지 확인 (127.0.0.1)', en: 'Check the host ports are free (127.0.0.1)' },
  config: { ko: 'kind 설정 파일 만들기', en: 'Write the kind config' },
  create: (name: string): Text => ({
    ko: `kind 클러스터 ${name} 만들기 (노드 3개; 처음에는 이미지 내려받기로 몇 분 걸립니다)`,
    en: `Create the kind cluster ${name} (3 nodes; the first time, pulling the image takes minutes)`,
  }),
  nodes: { ko: '노드가 Ready가 될 때까지 기다리기', en: 'Wait for the nodes to be Ready' },
  loadImages: {
    ko: '오프라인 팩의 이미지를 노드에 넣기 (kind load)',
    en: 'Load the offline pack’s images into the nodes (kind load)',
  },
  ccm: {
    ko: 'LoadBalancer 구현 cloud-provider-kind 시작',
    en: 'Start cloud-provider-kind (the LoadBalancer implementation)',
  },
  contour: { ko: 'Ingress 컨트롤러 Contour 설치', en: 'Install the Contour ingress controller' },
  loadBalancer: {
    ko: 'envoy Service가 EXTERNAL-IP를 받을 때까지 기다리기',
    en: 'Wait for the envoy Service to get an EXTERNAL-IP',
  },
  cleanUp: { ko: '실패: 이번에 만든 것을 지우는 중', en: 'Failed: removing what this run made' },
  removeListed: {
    ko: '# 위 명령이 찾은 컨테이너마다: docker rm -f <이름>',
    en: '# for each container the command above lists: docker rm -f <name>',
  },
  kept: (name: string): Text => ({
    ko: `--keep-on-failure: 만들다 만 클러스터를 그대로 두었습니다. 살펴본 뒤 지우려면: ${toolCommand()} down --cluster-name ${name} (또는 kind delete cluster --name ${name}; docker rm -f ${ccmContainerName(name)})`,
    en: `--keep-on-failure: the half-made cluster was kept. To remove it after a look: ${toolCommand()} down --cluster-name ${name} (or kind delete cluster --name ${name}; docker rm -f ${ccmContainerName(name)})`,
  }),
  cleanUpFailed: (name: string): Text => ({
    ko: `정리가 끝나지 않았습니다. 남은 것을 지우려면: ${toolCommand()} down --cluster-name ${name}`,
    en: `Cleaning up did not finish. To remove what is left: ${toolCommand()} down --cluster-name ${name}`,
  }),
} as const;
