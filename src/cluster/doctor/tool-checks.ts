import { ToolMissingError } from '../../core/errors.js';
import { resolveTool } from '../tools.js';
import { KIND_VERSION, KUBECTL_VERSION, KUBERNETES_VERSION, minorOf, type ToolName } from '../versions.js';
import type { DoctorCheck, DoctorProbes } from './types.js';
import { toolCommand } from '../../platform/invocation.js';
import { withParticle } from '../../core/korean.js';

const fixCommand = (): string => toolCommand('doctor --fix');

function where(path: string, tool: ToolName): string {
  return path === tool ? 'PATH' : path;
}

function missing(id: ToolName, title: DoctorCheck['title'], pinned: string, guide: string): DoctorCheck {
  return {
    id,
    status: 'fail',
    title,
    detail: { ko: `${withParticle(id, '이/가')} 없습니다.`, en: `${id} is not installed.` },
    fix: {
      text: {
        ko: `doctor --fix 가 공식 ${id} ${withParticle(pinned, '을/를')} 내려받아 sha256을 확인한 뒤 이 도구의 캐시에 둡니다 (sudo 없음). 직접 설치하려면: ${guide}`,
        en: `doctor --fix downloads the official ${id} ${pinned}, checks its sha256 and keeps it in this tool’s cache (no sudo). To install it yourself: ${guide}`,
      },
      commands: [fixCommand()],
    },
    download: id,
  };
}

/** kind found, and the release the node image was built for. */
export async function kindCheck(probes: DoctorProbes): Promise<DoctorCheck> {
  const title = { ko: 'kind', en: 'kind' };
  const path = resolveTool('kind', probes.cacheDir, probes.platform);
  let output: string;
  try {
    output = (await probes.exec({ file: path, args: ['version'] })).stdout;
  } catch (error) {
    if (!(error instanceof ToolMissingError)) throw error;
    return missing('kind', title, KIND_VERSION, 'https://kind.sigs.k8s.io/docs/user/quick-start/#installation');
  }
  const version = /v\d+\.\d+\.\d+\S*/.exec(output)?.[0] ?? '?';
  const detail = { ko: `${version} (${where(path, 'kind')})`, en: `${version} (${where(path, 'kind')})` };
  if (minorOf(version) === minorOf(KIND_VERSION)) return { id: 'kind', status: 'ok', title, detail };
  return {
    id: 'kind',
    status: 'warn',
    title,
    detail: {
      ko: `${detail.ko}: 노드 이미지는 kind ${KIND_VERSION}용으로 고정되어 있어 다른 버전에서는 실패할 수 있습니다.`,
      en: `${detail.en}: the node image is pinned for kind ${KIND_VERSION}; another release may fail to run it.`,
    },
    fix: {
      text: {
        ko: `doctor --fix 가 kind ${withParticle(KIND_VERSION, '을/를')} 캐시에 받아 두면 이 도구는 그것을 먼저 씁니다.`,
        en: `doctor --fix puts kind ${KIND_VERSION} in the cache, and this tool uses that one first.`,
      },
      commands: [fixCommand()],
    },
    download: 'kind',
  };
}

/** kubectl found, within one minor version of the node image's Kubernetes (the supported skew). */
export async function kubectlCheck(probes: DoctorProbes): Promise<DoctorCheck> {
  const title = { ko: 'kubectl', en: 'kubectl' };
  const path = resolveTool('kubectl', probes.cacheDir, probes.platform);
  let output: string;
  try {
    output = (await probes.exec({ file: path, args: ['version', '--client', '-o', 'json'] })).stdout;
  } catch (error) {
    if (!(error instanceof ToolMissingError)) throw error;
    return missing('kubectl', title, KUBECTL_VERSION, 'https://kubernetes.io/docs/tasks/tools/');
  }
  let version: string;
  try {
    version = (JSON.parse(output) as { clientVersion?: { gitVersion?: string } }).clientVersion?.gitVersion ?? '?';
  } catch {
    version = /v\d+\.\d+\.\d+/.exec(output)?.[0] ?? '?';
  }
  const detail = { ko: `${version} (${where(path, 'kubectl')})`, en: `${version} (${where(path, 'kubectl')})` };
  const minor = minorOf(version);
  const wanted = minorOf(KUBERNETES_VERSION)!;
  if (minor !== undefined && Math.abs(minor - wanted) <= 1) return { id: 'kubectl', status: 'ok', title, detail };
  return {
    id: 'kubectl',
    status: 'warn',
    title,
    detail: {
      ko: `${detail.ko}: 클러스터는 Kubernetes ${KUBERNETES_VERSION}입니다. kubectl은 한 마이너 버전 차이까지만 지원됩니다.`,
      en: `${detail.en}: the cluster runs Kubernetes ${KUBERNETES_VERSION}; kubectl is supported within one minor version of it.`,
    },
    fix: {
      text: {
        ko: `doctor --fix 가 kubectl ${withParticle(KUBECTL_VERSION, '을/를')} 캐시에 받아 두면 이 도구는 그것을 먼저 씁니다.`,
        en: `doctor --fix puts kubectl ${KUBECTL_VERSION} in the cache, and this tool uses that one first.`,
      },
      commands: [fixCommand()],
    },
    download: 'kubectl',
  };
}

/** Existing-context mode: the named context must exist and answer. */
export async function contextCheck(probes: DoctorProbes, context: string): Promise<DoctorCheck> {
  const path = resolveTool('kubectl', probes.cacheDir, probes.platform);
  const title = { ko: `kubectl 컨텍스트 ${context}`, en: `kubectl context ${context}` };
  try {
    const result = await probes.exec({ file: path, args: ['--context', context, 'get', 'nodes', '-o', 'name'] });
    if (!result.failed) {
      const count = result.stdout.split('\n').filter(Boolean).length;
      return {
        id: 'context',
        status: 'ok',
        title,
        detail: { ko: `응답함: 노드 ${count}개`, en: `answers: ${count} nodes` },
      };
    }
    return {
      id: 'context',
      status: 'fail',
      title,
      detail: { ko: `응답하지 않습니다: ${result.stderr.trim()}`, en: `does not answer: ${result.stderr.trim()}` },
      fix: {
        text: {
          ko: '강사에게 받은 kubeconfig와 컨텍스트 이름을 확인하세요.',
          en: 'Check the kubeconfig and context name your instructor gave you.',
        },
        commands: ['kubectl config get-contexts'],
      },
    };
  } catch (error) {
    if (!(error instanceof ToolMissingError)) throw error;
    return {
      id: 'context',
      status: 'skip',
      title,
      detail: { ko: 'kubectl이 없어 확인하지 못했습니다.', en: 'Not checked: kubectl is missing.' },
    };
  }
}
