import type { DroppedSpec } from './specs.js';
import type { Text } from '../core/i18n.js';
import { droppedLines } from './lines.js';
import { exchange, exchangeReceipt, type ExchangeOutcome } from './exchange.js';
import { failureLabel, observedAnswer } from './explain.js';
import { missResult, notDoneResult } from './results.js';
import { describeEndpoint } from './target.js';
import type { CheckContext, CheckDefinition, CheckResult } from './types.js';
import { urlDependencies } from './dependencies.js';

function expectedText(timeoutMs: number): Text {
  return {
    ko: `${timeoutMs} ms 동안 아무 HTTP 응답 없음 (연결 거부가 아니라 무응답)`,
    en: `no HTTP answer for ${timeoutMs} ms (silence, not a refusal)`,
  };
}

export const droppedCheck: CheckDefinition<DroppedSpec> = {
  name: 'dropped',
  network: true,
  dependsOn: urlDependencies,
  ...droppedLines,
  async run(spec, ctx): Promise<CheckResult> {
    const timeoutMs = spec.timeoutMs ?? ctx.timeoutMs;
    const outcome = await exchange(
      spec,
      ctx,
      { count: 1, keepAlive: false, stopOnFailure: true, timeoutMs },
      { maxTimeMs: timeoutMs },
    );
    return { ...judge(outcome, expectedText(timeoutMs), spec.url, ctx), receipt: await exchangeReceipt(outcome, ctx) };
  },
};

function judge(outcome: ExchangeOutcome, expected: Text, url: string, ctx: CheckContext): CheckResult {
  if (outcome.kind !== 'done') return notDoneResult(outcome, url, expected, ctx);
  const where = describeEndpoint(outcome.plan);
  const attempt = outcome.attempts[0]!;
  const { command } = outcome;
  if (attempt.ok) {
    return {
      verdict: 'wrong',
      observed: observedAnswer(attempt, where),
      expected,
      command,
      cause: {
        ko: '응답이 왔습니다: 이 노드에 Pod가 있거나, Service가 externalTrafficPolicy: Cluster 라서 다른 노드의 Pod로 넘겨 줍니다.',
        en: 'It answered: this node runs a pod, or the Service uses externalTrafficPolicy: Cluster and forwards to a pod on another node.',
      },
      pods: attempt.whoami ? [attempt.whoami.hostname] : undefined,
    };
  }
  const { failure } = attempt;
  const label = failureLabel(failure);
  const observed: Text = { ko: `${where}: ${label.ko}`, en: `${where}: ${label.en}` };
  if (failure.kind === 'dropped') return { verdict: 'pass', observed, expected, command };
  if (failure.kind === 'refused' || failure.kind === 'reset') {
    return {
      verdict: 'wrong',
      observed,
      expected,
      command,
      cause:
        failure.kind === 'refused'
          ? {
              ko: '버려진 것이 아니라 거부되었습니다: 무언가가 즉시 답했습니다 (엔드포인트가 하나도 없는 Service는 거부합니다). Pod가 없는 노드로 간 요청은 소리 없이 버려집니다.',
              en: 'Refused, not dropped: something answered at once (a Service with no endpoints at all rejects). Traffic to a node without a local pod is dropped silently instead.',
            }
          : {
              ko: '버려진 것이 아니라 연결이 끊겼습니다: 앞단 프록시가 보낼 곳이 없어 연결을 닫았습니다.',
              en: 'Closed, not dropped: a proxy in front had nowhere to send it and closed the connection.',
            },
    };
  }
  return missResult(attempt, outcome, expected, ctx, where);
}
