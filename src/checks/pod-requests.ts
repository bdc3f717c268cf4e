import type { Text } from '../core/i18n.js';
import { answers, firstMiss, podsOf, type Answer } from './attempt.js';
import { exchange, exchangeReceipt } from './exchange.js';
import type { Receipt } from './receipt.js';
import { missResult, notDoneResult } from './results.js';
import type { TargetSpec } from './target.js';
import { describeEndpoint } from './target.js';
import type { CheckContext, CheckResult } from './types.js';

export interface PodAnswers {
  /** Where the requests went, for the observed text. */
  where: string;
  command: string;
  answers: Answer[];
  /** The pod of each answer, in order. */
  pods: string[];
  receipt?: Receipt;
}

/**
 * The part spread and sticky share: send `count` requests (each on a new connection, or all on one keep-alive
 * connection) and collect which whoami pod answered each. A request that got no answer, or an answer that is not
 * from whoami, ends the check with that result.
 */
export async function askPods(
  spec: TargetSpec,
  ctx: CheckContext,
  options: { count: number; keepAlive: boolean; expected: Text },
): Promise<{ result: CheckResult } | PodAnswers> {
  const { count, keepAlive, expected } = options;
  const outcome = await exchange(
    spec,
    ctx,
    { count, keepAlive, stopOnFailure: true },
    { count, keepAlive, grep: 'Hostname' },
  );
  const receipt = await exchangeReceipt(outcome, ctx);
  if (outcome.kind !== 'done') return { result: { ...notDoneResult(outcome, spec.url, expected, ctx), receipt } };
  const where = describeEndpoint(outcome.plan);
  const { command, attempts } = outcome;
  const pods = podsOf(attempts);
  const miss = firstMiss(attempts);
  if (miss) return { result: { ...missResult(miss, outcome, expected, ctx, where), pods, receipt } };
  if (pods.length < attempts.length) {
    return {
      result: {
        verdict: 'wrong',
        observed: { ko: `${where}: whoami 형식이 아닌 응답`, en: `${where}: answers that are not from whoami` },
        expected,
        command,
        cause: {
          ko: '응답한 것이 실습 앱(whoami) Pod가 아닙니다.',
          en: 'What answered is not one of the lab apps (whoami pods).',
        },
        pods,
        receipt,
      },
    };
  }
  return { where, command, answers: answers(attempts), pods, receipt };
}
