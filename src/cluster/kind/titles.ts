import type { Text } from '../../core/i18n.js';
import { CONTROLLER_NAME } from './controller.js';
import { toolCommand } from '../../platform/invocation.js';
import { withParticle } from '../../core/korean.js';

/** What the learner sees for each step of the kind provider. */
export const TITLES = {
  inspect: { ko: '기존 kind 클러스터 확인', en: 'Look for an existing kind cluster' },
  reusing: (name: string): Text => ({
    ko: `클러스터 ${withParticle(name, '이/가')} 이미 같은 설정으로 있어 그대로 씁니다.`,
    en: `Cluster ${name} already exists with this configuration: reusing it.`,
  }),
  deleteOld: (name: string): Text => ({
    ko: `설정이 다른 기존 클러스터 ${name} 지우기`,
    en: `Delete the existing cluster ${name} (different configuration)`,
  }),
  ports: { ko: '호스트 포트가 비어 있는지 확인 (127.0.0.1)', en: 'Check the host ports are free (127.0.0.1)' },
  config: { ko: 'kind 설정 파일 만들기', en: 'Write the kind config' },
  create: (name: string): Text => ({
    ko: `kind 클러스터 ${name} 만들기 (노드 3개; 그동안 다른 이미지도 받습니다. 처음에는 몇 분 걸립니다)`,
    en: `Create the kind cluster ${name} (3 nodes; the other images are pulled meanwhile; the first time takes minutes)`,
  }),
  nodes: { ko: '노드가 Ready가 될 때까지 기다리기', en: 'Wait for the nodes to be Ready' },
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
    ko: `--keep-on-failure: 만들다 만 클러스터를 그대로 두었습니다. 살펴본 뒤 지우려면: ${toolCommand()} down --cluster-name ${name} (또는 kind delete cluster --name ${name})`,
    en: `--keep-on-failure: the half-made cluster was kept. To remove it after a look: ${toolCommand()} down --cluster-name ${name} (or kind delete cluster --name ${name})`,
  }),
  resumable: (name: string): Text => ({
    ko: `클러스터 ${withParticle(name, '은/는')} 만들어졌으니 남겨 둡니다. 같은 명령을 다시 실행하면 멈춘 곳부터 이어 갑니다 (지우려면: ${toolCommand()} down --cluster-name ${name}).`,
    en: `Cluster ${name} was created and is kept. Run the same command again to resume where it stopped (to remove it: ${toolCommand()} down --cluster-name ${name}).`,
  }),
  engine: { ko: 'Docker 엔진 종류 확인 (docker info)', en: 'Find out which Docker engine runs (docker info)' },
  images: {
    ko: '이미지를 노드에 넣기 (호스트에서 한 번 받아 kind load)',
    en: 'Load the images into the nodes (pulled once on the host, then kind load)',
  },
  restoreContext: (name: string): Text => ({
    ko: `kubeconfig에 컨텍스트 kind-${withParticle(name, '이/가')} 없어 되살립니다: kind export kubeconfig --name ${name}`,
    en: `The kubeconfig lacks the context kind-${name}; restoring it: kind export kubeconfig --name ${name}`,
  }),
  controllerKept: (clusters: string[]): Text => ({
    ko: `cloud-provider-kind(${CONTROLLER_NAME})는 남은 kind 클러스터(${clusters.join(', ')})도 돌보므로 그대로 둡니다.`,
    en: `cloud-provider-kind (${CONTROLLER_NAME}) also serves the remaining kind clusters (${clusters.join(', ')}), so it keeps running.`,
  }),
  cleanUpFailed: (name: string): Text => ({
    ko: `정리가 끝나지 않았습니다. 남은 것을 지우려면: ${toolCommand()} down --cluster-name ${name}`,
    en: `Cleaning up did not finish. To remove what is left: ${toolCommand()} down --cluster-name ${name}`,
  }),
} as const;
