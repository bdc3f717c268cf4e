import { ToolMissingError } from '../../core/errors.js';
import { resolveTool } from '../tools.js';
import { KIND_VERSION, KUBECTL_VERSION, KUBERNETES_VERSION, minorOf, type ToolName } from '../versions.js';
import { parseKubectlVersion, versionText, withinSkew } from './kubectl-version.js';
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
  const path = resolveTool('kubectl', probes.cacheDir, probes.platform);
  try {
    return kubectlVerdict(path, await clientVersion(probes, path), KUBERNETES_VERSION);
  } catch (error) {
    if (!(error instanceof ToolMissingError)) throw error;
    return kubectlMissing();
  }
}

/** `kubectl version --client -o json`'s gitVersion; `?` when it prints none. Throws ToolMissingError. */
export async function clientVersion(probes: DoctorProbes, path: string): Promise<string> {
  const output = (await probes.exec({ file: path, args: ['version', '--client', '-o', 'json'] })).stdout;
  return versionText(parseKubectlVersion(output)?.clientVersion) ?? /v\d+\.\d+\.\d+/.exec(output)?.[0] ?? '?';
}

export function kubectlMissing(): DoctorCheck {
  return missing('kubectl', KUBECTL_TITLE, KUBECTL_VERSION, 'https://kubernetes.io/docs/tasks/tools/');
}

const KUBECTL_TITLE = { ko: 'kubectl', en: 'kubectl' };

/**
 * kubectl `version` against the cluster's Kubernetes (the node image's, or with --context the API server's;
 * undefined when that server did not answer). `doctor --fix` is offered only when the pinned kubectl fits.
 */
export function kubectlVerdict(path: string, version: string, cluster: string | undefined): DoctorCheck {
  const title = KUBECTL_TITLE;
  const detail = { ko: `${version} (${where(path, 'kubectl')})`, en: `${version} (${where(path, 'kubectl')})` };
  if (cluster === undefined || withinSkew(version, cluster)) return { id: 'kubectl', status: 'ok', title, detail };
  const fixable = withinSkew(KUBECTL_VERSION, cluster);
  return {
    id: 'kubectl',
    status: 'warn',
    title,
    detail: {
      ko: `${detail.ko}: 클러스터는 Kubernetes ${cluster}입니다. kubectl은 한 마이너 버전 차이까지만 지원됩니다.`,
      en: `${detail.en}: the cluster runs Kubernetes ${cluster}; kubectl is supported within one minor version of it.`,
    },
    fix: fixable
      ? {
          text: {
            ko: `doctor --fix 가 kubectl ${withParticle(KUBECTL_VERSION, '을/를')} 캐시에 받아 두면 이 도구는 그것을 먼저 씁니다.`,
            en: `doctor --fix puts kubectl ${KUBECTL_VERSION} in the cache, and this tool uses that one first.`,
          },
          commands: [fixCommand()],
        }
      : {
          text: {
            ko: `doctor --fix 가 받는 kubectl ${KUBECTL_VERSION}도 이 클러스터와는 맞지 않습니다. 클러스터와 한 마이너 버전 안의 kubectl을 설치하세요: https://kubernetes.io/docs/tasks/tools/`,
            en: `The kubectl ${KUBECTL_VERSION} that doctor --fix downloads does not fit this cluster either. Install a kubectl within one minor version of it: https://kubernetes.io/docs/tasks/tools/`,
          },
          commands: [],
        },
    ...(fixable ? { download: 'kubectl' as const } : {}),
  };
}
