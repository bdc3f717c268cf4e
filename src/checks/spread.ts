import type { SpreadSpec } from './specs.js';
import type { Text } from '../core/i18n.js';
import { spreadLines } from './lines.js';
import { podTally } from './pod-count.js';
import { askPods } from './pod-requests.js';
import type { CheckDefinition, CheckResult } from './types.js';
import { podBelongsTo } from './whoami.js';
import { urlDependencies } from './dependencies.js';
import { withParticle } from '../core/korean.js';

function expectedText(spec: SpreadSpec): Text {
  const app = spec.pod ? ` ${spec.pod}` : '';
  if (spec.atMost === spec.atLeast)
    return {
      ko: `새 연결로 보낸 요청 ${spec.requests}개가 정확히${app} Pod ${spec.atLeast}개에 나뉘어 도착`,
      en: `${spec.requests} requests on new connections reach exactly ${spec.atLeast} different${app} pods`,
    };
  const most =
    spec.atMost === undefined
      ? { ko: '', en: '' }
      : { ko: ` (${spec.atMost}개 이하)`, en: ` (at most ${spec.atMost})` };
  return {
    ko: `새 연결로 보낸 요청 ${spec.requests}개가${app} Pod ${spec.atLeast}개 이상에 나뉘어 도착${most.ko}`,
    en: `${spec.requests} requests on new connections reach at least ${spec.atLeast} different${app} pods${most.en}`,
  };
}

export const spreadCheck: CheckDefinition<SpreadSpec> = {
  name: 'spread',
  network: true,
  dependsOn: urlDependencies,
  ...spreadLines,
  async run(spec, ctx): Promise<CheckResult> {
    const expected = expectedText(spec);
    const asked = await askPods(spec, ctx, { count: spec.requests, keepAlive: false, expected });
    if ('result' in asked) return asked.result;
    const { where, command, pods, receipt } = asked;
    const connections = new Set(asked.answers.map((a) => a.connection));
    if (connections.size < pods.length) {
      return {
        verdict: 'broken',
        observed: {
          ko: `요청 ${pods.length}개가 연결 ${connections.size}개를 함께 썼음`,
          en: `${pods.length} requests shared ${connections.size} connections`,
        },
        expected,
        command,
        cause: {
          ko: '연결을 요청마다 새로 열지 못해 분산을 잴 수 없습니다.',
          en: 'The requests did not get a connection each, so the spread cannot be measured.',
        },
        pods,
        receipt,
      };
    }
    const tally = podTally(pods);
    if (spec.pod) {
      const strangers = pods.filter((p) => !podBelongsTo(p, spec.pod!));
      if (strangers.length > 0) {
        return {
          verdict: 'wrong',
          observed: { ko: `${where}: ${tally}`, en: `${where}: ${tally}` },
          expected,
          command,
          cause: {
            ko: `${withParticle(spec.pod, '이/가')} 아닌 Pod(${strangers[0]})가 답했습니다: Service의 selector가 다른 앱까지 고릅니다.`,
            en: `A pod that is not ${spec.pod} (${strangers[0]}) answered: the Service selector picks another app too.`,
          },
          pods,
          receipt,
        };
      }
    }
    const distinct = new Set(pods).size;
    const observed: Text = {
      ko: `${where}: 요청 ${pods.length}개 → Pod ${distinct}개 (${tally})`,
      en: `${where}: ${pods.length} requests → ${distinct} pods (${tally})`,
    };
    if (spec.atMost !== undefined && distinct > spec.atMost) {
      return {
        verdict: 'wrong',
        observed,
        expected,
        command,
        cause: {
          ko: `Pod ${spec.atMost}개만 답해야 하는데 ${distinct}개가 답했습니다: Service가 더 많은 Pod를 고르거나, 트래픽이 다른 노드의 Pod로도 갑니다 (externalTrafficPolicy).`,
          en: `Only ${spec.atMost} pod(s) should answer, but ${distinct} did: the Service selects more pods, or traffic also goes to pods on other nodes (externalTrafficPolicy).`,
        },
        pods,
        receipt,
      };
    }
    if (distinct >= spec.atLeast) return { verdict: 'pass', observed, expected, command, pods, receipt };
    return {
      verdict: 'not-yet',
      observed,
      expected,
      command,
      cause: {
        ko: '답한 Pod가 적습니다: 준비된 replica가 아직 적거나, externalTrafficPolicy: Local 이라 그 노드의 Pod만 답합니다. 새 연결마다 고르는 것은 무작위라 다시 재 볼 수도 있습니다.',
        en: "Fewer pods answered: fewer replicas are ready yet, or externalTrafficPolicy: Local keeps traffic on that node's pods. The choice per connection is random, so another round may differ.",
      },
      pods,
      receipt,
    };
  },
};
