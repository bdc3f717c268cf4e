import type { StickySpec } from './specs.js';
import type { Text } from '../core/i18n.js';
import { stickyLines } from './lines.js';
import { podTally } from './pod-count.js';
import { askPods } from './pod-requests.js';
import type { CheckDefinition, CheckResult } from './types.js';
import { urlDependencies } from './dependencies.js';

function expectedText(spec: StickySpec): Text {
  return {
    ko: `keep-alive 연결 하나로 보낸 요청 ${spec.requests}개가 모두 같은 Pod에 도착`,
    en: `${spec.requests} requests on one keep-alive connection all reach the same pod`,
  };
}

export const stickyCheck: CheckDefinition<StickySpec> = {
  name: 'sticky',
  network: true,
  dependsOn: urlDependencies,
  ...stickyLines,
  async run(spec, ctx): Promise<CheckResult> {
    const expected = expectedText(spec);
    const asked = await askPods(spec, ctx, { count: spec.requests, keepAlive: true, expected });
    if ('result' in asked) return asked.result;
    const { where, command, pods, receipt } = asked;
    const all = asked.answers;
    const reopened = all.find((a) => a.connection !== all[0]!.connection);
    if (reopened) {
      return {
        verdict: 'wrong',
        observed: {
          ko: `${where}: ${reopened.index - 1}번째 요청 뒤 서버가 연결을 닫음 (${podTally(pods)})`,
          en: `${where}: the server closed the connection after request ${reopened.index - 1} (${podTally(pods)})`,
        },
        expected,
        command,
        cause: {
          ko: '서버가 연결을 유지하지 않습니다 (Connection: close): keep-alive가 없으면 요청마다 다른 Pod로 갈 수 있습니다.',
          en: 'The server does not keep the connection open (Connection: close): without keep-alive each request may land on another pod.',
        },
        pods,
        receipt,
      };
    }
    const distinct = new Set(pods).size;
    const observed: Text = {
      ko: `${where}: 연결 1개, 요청 ${pods.length}개 → Pod ${distinct}개 (${podTally(pods)})`,
      en: `${where}: 1 connection, ${pods.length} requests → ${distinct} pod${distinct === 1 ? '' : 's'} (${podTally(pods)})`,
    };
    if (distinct === 1) return { verdict: 'pass', observed, expected, command, pods, receipt };
    return {
      verdict: 'wrong',
      observed,
      expected,
      command,
      cause: {
        ko: '한 연결의 요청들이 여러 Pod로 나뉘었습니다: 앞단이 요청마다 고르는 L7 프록시(Ingress)입니다. L4 로드밸런서와 Service는 연결마다 한 번만 고릅니다.',
        en: 'Requests on one connection went to several pods: the front is an L7 proxy (an ingress) that chooses per request. An L4 load balancer or a Service chooses once per connection.',
      },
      pods,
      receipt,
    };
  },
};
