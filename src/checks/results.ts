import type { HostPorts } from '../cluster/types.js';
import type { Message, Text } from '../core/i18n.js';
import { isLoopback } from './address.js';
import type { Miss } from './attempt.js';
import type { ExchangeOutcome } from './exchange.js';
import { failureCause, failureVerdict, observedFailure } from './explain.js';
import type { Failure } from './failure.js';
import type { CheckContext, CheckResult } from './types.js';

/** Is this one of the cluster's host port mappings (so a refusal means "nothing behind it")? */
export function isMappedPort(ports: HostPorts, address: string, port: number): boolean {
  return isLoopback(address) && Object.values(ports).includes(port);
}

/** A request that got no answer (or was never sent) → result with the kind of failure and its likely cause. */
export function failureResult(
  failure: Failure,
  where: { address?: string; port?: number; label: string },
  expected: Message,
  command: string,
  ctx: Pick<CheckContext, 'cluster'>,
): CheckResult {
  const mappedPort =
    where.address !== undefined &&
    where.port !== undefined &&
    isMappedPort(ctx.cluster.ports, where.address, where.port);
  return {
    verdict: failureVerdict(failure),
    observed: observedFailure(failure, where.label),
    expected,
    command,
    cause: failureCause(failure, { mappedPort }),
  };
}

export function missResult(
  miss: Miss,
  outcome: Extract<ExchangeOutcome, { kind: 'done' }>,
  expected: Message,
  ctx: CheckContext,
  where: string,
): CheckResult {
  const { address, port } = outcome.plan.endpoint;
  return failureResult(miss.failure, { address, port, label: where }, expected, outcome.command, ctx);
}

/** The exchange never produced attempts: the name is outside the lab, or no vantage point can run it. */
export function notDoneResult(
  outcome: Exclude<ExchangeOutcome, { kind: 'done' }>,
  url: string,
  expected: Message,
  ctx: CheckContext,
): CheckResult {
  if (outcome.kind === 'unavailable') {
    const observed: Text = { ko: '요청을 보낼 곳이 없습니다', en: 'no vantage point can send this request' };
    return { verdict: 'broken', observed, expected, command: outcome.command, cause: outcome.cause };
  }
  return failureResult(outcome.failure, { label: url }, expected, outcome.command, ctx);
}
