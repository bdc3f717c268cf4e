import { ToolMissingError } from '../../core/errors.js';
import type { Text } from '../../core/i18n.js';
import type { CommandResult } from '../../platform/command.js';
import { resolveTool } from '../tools.js';
import { KUBERNETES_VERSION } from '../versions.js';
import { parseKubectlVersion, versionText, withinSkew } from './kubectl-version.js';
import { clientVersion, kubectlMissing, kubectlVerdict } from './tool-checks.js';
import type { DoctorCheck, DoctorProbes } from './types.js';

export interface ContextFindings {
  checks: DoctorCheck[];
  /** The context's API server answered (and listed its nodes). */
  answers: boolean;
}

const [MAJOR, MINOR] = KUBERNETES_VERSION.slice(1).split('.').map(Number) as [number, number];
/** The minors within kubectl's skew of the pinned Kubernetes: `1.35–1.37`. */
const RANGE = `${MAJOR}.${MINOR - 1}–${MAJOR}.${MINOR + 1}`;

const SERVER_TITLE = { ko: 'Kubernetes (API 서버)', en: 'Kubernetes (API server)' };

/**
 * Existing-context mode: one `kubectl --context <ctx> version -o json` tells kubectl's own version and the API
 * server's (`serverVersion.gitVersion`), so kubectl's skew is measured against that server, not the node image.
 */
export async function contextChecks(probes: DoctorProbes, context: string): Promise<ContextFindings> {
  const path = resolveTool('kubectl', probes.cacheDir, probes.platform);
  const title = { ko: `kubectl 컨텍스트 ${context}`, en: `kubectl context ${context}` };
  let result: CommandResult;
  try {
    result = await probes.exec({ file: path, args: ['--context', context, 'version', '-o', 'json'] });
  } catch (error) {
    if (!(error instanceof ToolMissingError)) throw error;
    const why = { ko: 'kubectl이 없어 확인하지 못했습니다.', en: 'Not checked: kubectl is missing.' };
    return {
      checks: [
        kubectlMissing(),
        { id: 'context', status: 'skip', title, detail: why },
        { id: 'kubernetes', status: 'skip', title: SERVER_TITLE, detail: why },
      ],
      answers: false,
    };
  }
  const version = parseKubectlVersion(result.stdout);
  // Nothing on stdout when kubectl stops before asking (a context it cannot load): ask for the client alone.
  const client = versionText(version?.clientVersion) ?? (await clientVersion(probes, path));
  // Whatever the exit code (kubectl also exits 1 when it cannot parse the two versions to compare them,
  // skew_warning.go@v0.36.1): a printed serverVersion is the server's answer.
  const server = versionText(version?.serverVersion);
  if (server === undefined) {
    return {
      checks: [
        kubectlVerdict(path, client, undefined),
        silent(context, title, result),
        {
          id: 'kubernetes',
          status: 'skip',
          title: SERVER_TITLE,
          detail: {
            ko: 'API 서버의 응답이 없어 확인하지 못했습니다.',
            en: 'Not checked: no answer from the API server.',
          },
        },
      ],
      answers: false,
    };
  }
  const nodes = await nodeCheck(probes, path, context, title);
  return {
    checks: [kubectlVerdict(path, client, server), nodes, serverCheck(server)],
    answers: nodes.status === 'ok',
  };
}

const CHECK_KUBECONFIG = {
  ko: '강사에게 받은 kubeconfig와 컨텍스트 이름을 확인하세요.',
  en: 'Check the kubeconfig and context name your instructor gave you.',
};

/** No server version: the server did not answer (kubectl's "The connection to the server … was refused"), or kubectl could not use the context. */
function silent(context: string, title: Text, result: CommandResult): DoctorCheck {
  const said = result.stderr.trim();
  // The two messages of StandardErrorMessage for a *url.Error (pkg/cmd/util/helpers.go@kubernetes/kubectl v0.36.1).
  if (/was refused|Unable to connect to the server/.test(said)) {
    return {
      id: 'context',
      status: 'fail',
      title,
      detail: {
        ko: `컨텍스트 ${context}의 API 서버가 응답하지 않습니다: ${said}`,
        en: `The API server of the context ${context} does not answer: ${said}`,
      },
      fix: {
        text: {
          ko: '클러스터가 켜져 있는지, 이 컨텍스트가 가리키는 서버 주소가 맞는지 확인하세요.',
          en: 'Check that the cluster runs and that this context points at its server address.',
        },
        commands: ['kubectl config get-contexts', `kubectl --context ${context} cluster-info`],
      },
    };
  }
  return {
    id: 'context',
    status: 'fail',
    title,
    detail: {
      ko: `kubectl이 이 컨텍스트로 서버 버전을 읽지 못했습니다: ${said || `종료 코드 ${result.exitCode}`}`,
      en: `kubectl could not read the server version with this context: ${said || `exit code ${result.exitCode}`}`,
    },
    fix: { text: CHECK_KUBECONFIG, commands: ['kubectl config get-contexts'] },
  };
}

/** The server answered its version; listing nodes shows this user may read the cluster. */
async function nodeCheck(probes: DoctorProbes, path: string, context: string, title: Text): Promise<DoctorCheck> {
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
    fix: { text: CHECK_KUBECONFIG, commands: ['kubectl config get-contexts'] },
  };
}

/**
 * The cluster's Kubernetes. The one range this tool knows is the one it pins: the labs are written and checked
 * for the node image's Kubernetes, and kubectl's skew of one minor around it. Outside that nothing is known to
 * break, so it is a warning, not a blocker.
 */
function serverCheck(server: string): DoctorCheck {
  if (withinSkew(server, KUBERNETES_VERSION)) {
    return { id: 'kubernetes', status: 'ok', title: SERVER_TITLE, detail: { ko: server, en: server } };
  }
  return {
    id: 'kubernetes',
    status: 'warn',
    title: SERVER_TITLE,
    detail: {
      ko: `${server}: 실습은 Kubernetes ${KUBERNETES_VERSION}(kind 노드 이미지)에 맞춰 쓰고 확인했습니다. 한 마이너 버전보다 멀면 필드, 기본값, 점검이 읽는 kubectl 출력이 다를 수 있습니다.`,
      en: `${server}: the labs are written and checked for Kubernetes ${KUBERNETES_VERSION} (kind's node image). More than one minor version away, fields, defaults and the kubectl output the checks read may differ.`,
    },
    fix: {
      text: {
        ko: `가능하면 강사에게 Kubernetes ${RANGE} 클러스터를 요청하세요. 이대로도 진행할 수 있습니다.`,
        en: `If you can, ask your instructor for a Kubernetes ${RANGE} cluster; you may also go on as it is.`,
      },
      commands: [],
    },
  };
}
