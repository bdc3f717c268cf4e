import type { SourceIpSpec } from './specs.js';
import type { Text } from '../core/i18n.js';
import { isLoopback } from './address.js';
import { sourceIpLines } from './lines.js';
import { exchange, exchangeReceipt, type ExchangeOutcome } from './exchange.js';
import { missResult, notDoneResult } from './results.js';
import { describeEndpoint } from './target.js';
import type { CheckContext, CheckDefinition, CheckResult } from './types.js';
import { urlDependencies } from './dependencies.js';

function expectedText(spec: SourceIpSpec): Text {
  return spec.expect === 'kept'
    ? {
        ko: 'Pod가 본 RemoteAddr가 클라이언트 주소와 같음 (보존됨)',
        en: "the pod's RemoteAddr equals the client address (kept)",
      }
    : {
        ko: 'Pod가 본 RemoteAddr가 클라이언트 주소와 다름 (바뀜)',
        en: "the pod's RemoteAddr differs from the client address (rewritten)",
      };
}

async function mappedClientAddress(ctx: Parameters<CheckDefinition<SourceIpSpec>['run']>[1]): Promise<string> {
  const reach = await ctx.cluster.reachability();
  return reach.measureClientAddress ? reach.measureClientAddress() : reach.hostClientAddress;
}

export const sourceIpCheck: CheckDefinition<SourceIpSpec> = {
  name: 'source-ip',
  network: true,
  dependsOn: urlDependencies,
  ...sourceIpLines,
  async run(spec, ctx): Promise<CheckResult> {
    const outcome = await exchange(
      spec,
      ctx,
      { count: 1, keepAlive: false, stopOnFailure: true },
      { grep: 'RemoteAddr' },
    );
    return { ...(await judge(spec, outcome, ctx)), receipt: await exchangeReceipt(outcome, ctx) };
  },
};

async function judge(spec: SourceIpSpec, outcome: ExchangeOutcome, ctx: CheckContext): Promise<CheckResult> {
  const expected = expectedText(spec);
  if (outcome.kind !== 'done') return notDoneResult(outcome, spec.url, expected, ctx);
  const where = describeEndpoint(outcome.plan);
  const attempt = outcome.attempts[0]!;
  const { command } = outcome;
  if (!attempt.ok) return missResult(attempt, outcome, expected, ctx, where);
  const seen = attempt.whoami?.remoteAddress;
  const pods = attempt.whoami ? [attempt.whoami.hostname] : undefined;
  if (!seen) {
    return {
      verdict: 'wrong',
      observed: { ko: `${where}: RemoteAddr 줄이 없는 응답`, en: `${where}: an answer without a RemoteAddr line` },
      expected,
      command,
      cause: {
        ko: '응답한 것이 실습 앱(whoami) Pod가 아닙니다.',
        en: 'What answered is not one of the lab apps (whoami pods).',
      },
      pods,
    };
  }
  // Through a host port mapping the packet leaves the engine's port forwarding with an address of its own,
  // measured where the cluster can (a throwaway container behind the same kind of mapping); anywhere else (a
  // node or LB address, a container) the client is the socket's own local address.
  const client =
    outcome.vantage.kind === 'host' && isLoopback(outcome.plan.endpoint.address)
      ? await mappedClientAddress(ctx)
      : attempt.local.address;
  const kept = seen === client;
  const observed: Text = {
    ko: `Pod ${pods?.[0] ?? '?'}가 본 주소 ${seen}, 클라이언트 주소 ${client} (${kept ? '보존됨' : '바뀜'})`,
    en: `pod ${pods?.[0] ?? '?'} saw ${seen}, the client was ${client} (${kept ? 'kept' : 'rewritten'})`,
  };
  if (kept === (spec.expect === 'kept')) return { verdict: 'pass', observed, expected, command, pods };
  return {
    verdict: 'wrong',
    observed,
    expected,
    command,
    cause:
      spec.expect === 'kept'
        ? {
            ko: '출발지 주소가 바뀌었습니다 (SNAT): Service가 externalTrafficPolicy: Cluster 이거나, 요청이 프록시를 거쳤습니다.',
            en: 'The source address was rewritten (SNAT): the Service uses externalTrafficPolicy: Cluster, or the request went through a proxy.',
          }
        : {
            ko: '출발지 주소가 그대로입니다: externalTrafficPolicy: Local 은 클라이언트 주소를 보존합니다.',
            en: 'The source address was kept: externalTrafficPolicy: Local preserves the client address.',
          },
    pods,
  };
}
