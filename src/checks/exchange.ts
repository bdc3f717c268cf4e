import type { Message } from '../core/i18n.js';
import { firstMiss, type Attempt } from './attempt.js';
import { describeCurl, curlLine, type CurlLineOptions, type LineVantage } from './curl-line.js';
import type { Failure } from './failure.js';
import { exchangeFromHost } from './host-exchange.js';
import { exchangeFromNetwork, NetworkVantageError } from './network-vantage.js';
import type { NameContext } from './resolve-name.js';
import { attemptReceipt, notSentReceipt, withPodNode, type Receipt } from './receipt.js';
import { planRequest, type RequestPlan, type TargetSpec } from './target.js';
import type { CheckContext } from './types.js';
import { chooseVantage } from './vantage.js';
import { toolCommand } from '../platform/invocation.js';

export type ExchangeOutcome =
  | { kind: 'done'; plan: RequestPlan; attempts: Attempt[]; command: string; vantage: LineVantage }
  /** No request was sent: the name is not in the lab, does not resolve, or the URL is not one. */
  | { kind: 'not-sent'; failure: Failure; command: string }
  /** Neither vantage point can run it (environment). */
  | { kind: 'unavailable'; cause: Message; command: string };

export function nameContext(ctx: CheckContext): NameContext {
  return {
    hostsFile: ctx.paths.hostsFile,
    noHosts: ctx.noHosts,
    labNetworks: async () => (await ctx.cluster.reachability()).labNetworks ?? [],
  };
}

export interface ExchangeRequest {
  count: number;
  keepAlive: boolean;
  stopOnFailure: boolean;
  timeoutMs?: number;
}

/** Plan the request, pick the vantage point, send, and say which curl line does the same. */
export async function exchange(
  spec: TargetSpec,
  ctx: CheckContext,
  request: ExchangeRequest,
  line: CurlLineOptions,
): Promise<ExchangeOutcome> {
  const planned = await planRequest(spec, nameContext(ctx));
  if (!planned.ok) return { kind: 'not-sent', failure: planned.failure, command: describeCurl(spec, line) };
  const { plan } = planned;
  const options = { ...request, timeoutMs: request.timeoutMs ?? ctx.timeoutMs, signal: ctx.signal };
  const vantage = await chooseVantage(ctx, plan.endpoint.address);
  if (vantage.kind === 'unavailable')
    return { kind: 'unavailable', cause: vantage.cause, command: curlLine(plan, line) };
  if (vantage.kind === 'host') {
    const attempts = await exchangeFromHost(plan, options);
    return { kind: 'done', plan, attempts, command: curlLine(plan, line), vantage: { kind: 'host' } };
  }
  const lineVantage: LineVantage = { kind: 'network', ...vantage.probe };
  const command = curlLine(plan, { ...line, vantage: lineVantage });
  try {
    const attempts = await exchangeFromNetwork(plan, options, vantage.probe, ctx.exec);
    return { kind: 'done', plan, attempts, command, vantage: lineVantage };
  } catch (error) {
    if (!(error instanceof NetworkVantageError)) throw error;
    return {
      kind: 'unavailable',
      command,
      cause: {
        ko: `kind 네트워크에서 curl 컨테이너를 실행하지 못했습니다: ${error.message}. \`${toolCommand()} doctor\`를 실행해 보세요.`,
        en: `The curl container on the kind network did not run: ${error.message}. Run \`${toolCommand()} doctor\`.`,
      },
    };
  }
}

/** The receipt of an exchange: the attempt that stopped, else the first; none when nothing could be sent. */
export async function exchangeReceipt(outcome: ExchangeOutcome, ctx: CheckContext): Promise<Receipt | undefined> {
  if (outcome.kind === 'unavailable') return undefined;
  if (outcome.kind === 'not-sent') return notSentReceipt(outcome.failure);
  const attempt = firstMiss(outcome.attempts) ?? outcome.attempts[0];
  if (!attempt) return undefined;
  const receipt = attemptReceipt(ctx.cluster, outcome.plan.endpoint, outcome.vantage.kind, attempt);
  return withPodNode(receipt, ctx.cluster);
}
