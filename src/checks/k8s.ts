import type { K8sSpec } from './specs.js';
import type { Text } from '../core/i18n.js';
import { formatDifferences, partialDiff } from './partial-match.js';
import type { CheckDefinition, CheckResult } from './types.js';
import { toolCommand } from '../platform/invocation.js';
import { particle } from '../core/korean.js';
import { k8sGetArgs, k8sLines } from './lines.js';

function expectedText(spec: K8sSpec, ref: string): Text {
  if (spec.absent) return { ko: `${ref}${particle(spec.name, '이/가')} 없음`, en: `${ref} does not exist` };
  if (!spec.match) return { ko: `${ref}${particle(spec.name, '이/가')} 있음`, en: `${ref} exists` };
  const fields = JSON.stringify(spec.match);
  return {
    ko: `${ref}${particle(spec.name, '이/가')} 있고 ${fields} 와 맞음`,
    en: `${ref} exists and matches ${fields}`,
  };
}

const NOT_FOUND = /Error from server \(NotFound\)/;

export const k8sCheck: CheckDefinition<K8sSpec> = {
  name: 'k8s',
  network: false,
  // The object itself; a name still holding a placeholder means any object of that kind.
  dependsOn: (spec) => [
    {
      type: 'object',
      resource: spec.kind,
      ...(/[<{]/.test(spec.name) ? {} : { name: spec.name }),
      ...(spec.namespace ? { namespace: spec.namespace } : {}),
    },
  ],
  ...k8sLines,
  async run(spec, ctx): Promise<CheckResult> {
    const args = k8sGetArgs(spec);
    const command = ctx.cluster.kubectlLine(args);
    const ref = `${spec.kind}/${spec.name}${spec.namespace ? ` (-n ${spec.namespace})` : ''}`;
    const expected = expectedText(spec, ref);
    const result = await ctx.cluster.kubectl(args, { signal: ctx.signal });
    if (result.failed) {
      const stderr = result.stderr.trim();
      if (NOT_FOUND.test(stderr)) {
        const observed: Text = { ko: `${ref} 없음`, en: `${ref} not found` };
        if (spec.absent) return { verdict: 'pass', observed, expected, command };
        return {
          verdict: 'not-yet',
          observed,
          expected,
          command,
          cause: {
            ko: '아직 만들어지지 않았습니다: 이 단계의 kubectl apply를 실행하세요.',
            en: 'It has not been created yet: run the kubectl apply of this step.',
          },
        };
      }
      return {
        verdict: 'broken',
        observed: stderr || `kubectl exit ${result.exitCode ?? '?'}`,
        expected,
        command,
        cause: {
          ko: `kubectl이 클러스터에 묻지 못했습니다 (API 서버 연결, 컨텍스트, 리소스 종류). \`${toolCommand()} doctor\`를 실행해 보세요.`,
          en: `kubectl could not ask the cluster (API server connection, context, or resource type). Run \`${toolCommand()} doctor\`.`,
        },
      };
    }
    let object: unknown;
    try {
      object = JSON.parse(result.stdout);
    } catch {
      return {
        verdict: 'broken',
        observed: { ko: 'kubectl 출력이 JSON이 아님', en: 'kubectl output is not JSON' },
        expected,
        command,
      };
    }
    if (spec.absent) {
      return {
        verdict: 'not-yet',
        observed: { ko: `${ref}${particle(spec.name, '이/가')} 아직 있음`, en: `${ref} still exists` },
        expected,
        command,
        cause: {
          ko: '지우는 중이거나 아직 지우지 않았습니다.',
          en: 'It is still being deleted, or the delete has not run yet.',
        },
      };
    }
    const diffs = spec.match ? partialDiff(spec.match, object) : [];
    if (diffs.length === 0)
      return {
        verdict: 'pass',
        observed: { ko: `${ref} 있음, 기대와 맞음`, en: `${ref} exists and matches` },
        expected,
        command,
      };
    return {
      verdict: 'wrong',
      observed: {
        ko: `${ref}${particle(spec.name, '이/가')} 다름:\n${formatDifferences(diffs, 'ko')}`,
        en: `${ref} differs:\n${formatDifferences(diffs, 'en')}`,
      },
      expected,
      command,
      cause: {
        ko: '오브젝트는 있지만 이 단계의 매니페스트와 다릅니다: 위 필드를 고쳐 다시 apply 하세요.',
        en: 'The object exists but differs from the manifest of this step: fix the fields above and apply again.',
      },
    };
  },
};
