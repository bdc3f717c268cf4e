import type { RefusedSpec } from './specs.js';
import { formatCommand } from '../platform/command.js';
import type { Text } from '../core/i18n.js';
import { joinHostPort, splitHostPort } from './address.js';
import { nameContext } from './exchange.js';
import { failureLabel } from './explain.js';
import { ProbeFailure, type Failure } from './failure.js';
import { probeConnect } from './http-client.js';
import { exchangeFromNetwork, NetworkVantageError } from './network-vantage.js';
import { failureResult } from './results.js';
import { connectReceipt, type Receipt } from './receipt.js';
import { resolveName } from './resolve-name.js';
import { planRequest } from './target.js';
import { NODE_PORTS, type HostPorts } from '../cluster/types.js';
import type { CheckContext, CheckDefinition, CheckResult } from './types.js';
import { chooseVantage } from './vantage.js';
import { addressDependencies } from './dependencies.js';
import { refusedLines } from './lines.js';

const EXPECTED: Text = { ko: '즉시 연결 거부', en: 'connection refused at once' };

function curlEquivalent(
  address: string,
  port: number,
  timeoutMs: number,
  network?: { network: string; image: string },
): string {
  const args = ['-sS', '--connect-timeout', String(timeoutMs / 1000), `http://${joinHostPort(address, port)}/`];
  if (!network) return formatCommand({ file: 'curl', args });
  return formatCommand({
    file: 'docker',
    args: ['run', '--rm', '--network', network.network, '--entrypoint', 'curl', network.image, ...args],
  });
}

/**
 * Windows answers a connect to a closed port only after its SYN retries, about 2 s even on loopback, where
 * Linux and macOS refuse at once: there the host's budget is at least 5 s, so a slow refusal is not taken for a
 * drop.
 */
export function refusalBudget(timeoutMs: number, platform: NodeJS.Platform = process.platform): number {
  return platform === 'win32' ? Math.max(timeoutMs, 5000) : timeoutMs;
}

type ConnectOutcome =
  { kind: 'accepted' } | { kind: 'failed'; failure: Failure } | { kind: 'unavailable'; cause: Text | string };

async function tryConnect(
  ctx: CheckContext,
  address: string,
  port: number,
): Promise<{ outcome: ConnectOutcome; network?: { network: string; image: string } }> {
  const vantage = await chooseVantage(ctx, address);
  if (vantage.kind === 'unavailable') return { outcome: { kind: 'unavailable', cause: vantage.cause } };
  const deadline = { timeoutMs: refusalBudget(ctx.timeoutMs), signal: ctx.signal };
  if (vantage.kind === 'host') {
    try {
      await probeConnect(address, port, deadline);
      return { outcome: { kind: 'accepted' } };
    } catch (error) {
      if (error instanceof ProbeFailure) return { outcome: { kind: 'failed', failure: error.failure } };
      throw error;
    }
  }
  const planned = await planRequest({ url: `http://${joinHostPort(address, port)}/` }, nameContext(ctx));
  if (!planned.ok) return { outcome: { kind: 'failed', failure: planned.failure }, network: vantage.probe };
  try {
    const [attempt] = await exchangeFromNetwork(
      planned.plan,
      { count: 1, keepAlive: false, stopOnFailure: true, ...deadline },
      vantage.probe,
      ctx.exec,
    );
    if (!attempt || attempt.ok || attempt.failure.phase !== 'connect')
      return { outcome: { kind: 'accepted' }, network: vantage.probe };
    return { outcome: { kind: 'failed', failure: attempt.failure }, network: vantage.probe };
  } catch (error) {
    if (!(error instanceof NetworkVantageError)) throw error;
    return {
      outcome: {
        kind: 'unavailable',
        cause: {
          ko: `curl 컨테이너 실행 실패: ${error.message}`,
          en: `The curl container did not run: ${error.message}`,
        },
      },
      network: vantage.probe,
    };
  }
}

/** The host ports of the lab cluster's kind config (fixtures/kind/cluster.yaml) that lead to `nodePort`. */
function mappedHostPorts(ports: HostPorts, nodePort: number): number[] {
  if (nodePort === NODE_PORTS.nodePortLab) return [ports.nodePort];
  if (nodePort === NODE_PORTS.trafficPolicyLab) return [ports.workerA, ports.workerB];
  return [];
}

/** A mapping that answers for `nodePort` makes "refused from 127.0.0.1" false, whatever 127.0.0.1:<nodePort> does. */
async function mappedWayIn(spec: RefusedSpec, ctx: CheckContext): Promise<CheckResult | undefined> {
  const nodePort = Number(spec.nodePort);
  if (spec.nodePort === undefined || !Number.isInteger(nodePort)) return undefined;
  for (const hostPort of mappedHostPorts(ctx.cluster.ports, nodePort)) {
    const { outcome } = await tryConnect({ ...ctx, vantage: 'host' }, '127.0.0.1', hostPort);
    if (outcome.kind !== 'accepted') continue;
    return {
      verdict: 'wrong',
      observed: {
        ko: `127.0.0.1:${hostPort} 가 kind 매핑으로 nodePort ${nodePort} 에 이어져 연결이 받아들여짐`,
        en: `127.0.0.1:${hostPort} is mapped by kind to nodePort ${nodePort}, and it accepted the connection`,
      },
      expected: EXPECTED,
      command: curlEquivalent('127.0.0.1', hostPort, ctx.timeoutMs),
      cause: {
        ko: `nodePort ${nodePort} 는 클러스터를 만들 때 매핑해 둔 포트입니다: 매핑되지 않은 nodePort 를 고르세요.`,
        en: `nodePort ${nodePort} is one the cluster was created with a mapping for: choose a nodePort nobody mapped.`,
      },
    };
  }
  return undefined;
}

export const refusedCheck: CheckDefinition<RefusedSpec> = {
  name: 'refused',
  network: true,
  dependsOn: addressDependencies,
  ...refusedLines,
  async run(spec, ctx): Promise<CheckResult> {
    const parts = splitHostPort(spec.address);
    if (!parts)
      return {
        verdict: 'broken',
        observed: `not host:port: ${spec.address}`,
        expected: EXPECTED,
        command: spec.address,
      };
    const resolution = await resolveName(parts.host, nameContext(ctx));
    const firstCommand = curlEquivalent(parts.host, parts.port, ctx.timeoutMs);
    if (!resolution.ok) return failureResult(resolution.failure, { label: spec.address }, EXPECTED, firstCommand, ctx);
    const mapped = await mappedWayIn(spec, ctx);
    if (mapped) return mapped;
    const { address } = resolution;
    const label = joinHostPort(address, parts.port);
    const { outcome, network } = await tryConnect(ctx, address, parts.port);
    const command = curlEquivalent(address, parts.port, ctx.timeoutMs, network);
    if (outcome.kind === 'unavailable') {
      return {
        verdict: 'broken',
        observed: { ko: '연결을 시도할 곳이 없음', en: 'no vantage point to try from' },
        expected: EXPECTED,
        command,
        cause: outcome.cause,
      };
    }
    const receipt: Receipt = connectReceipt(
      ctx.cluster,
      { address, port: parts.port },
      network ? 'network' : 'host',
      outcome.kind === 'failed' ? outcome.failure : undefined,
    );
    return { ...judgeConnect(outcome, label, command, { address, port: parts.port }, ctx), receipt };
  },
};

function judgeConnect(
  outcome: Exclude<ConnectOutcome, { kind: 'unavailable' }>,
  label: string,
  command: string,
  where: { address: string; port: number },
  ctx: CheckContext,
): CheckResult {
  if (outcome.kind === 'accepted') {
    return {
      verdict: 'wrong',
      observed: { ko: `${label}: 연결이 받아들여짐`, en: `${label}: the connection was accepted` },
      expected: EXPECTED,
      command,
      cause: {
        ko: '이 포트에서 무언가가 연결을 받고 있습니다: 이 포트가 노드로 이어져 있거나, 이 컴퓨터의 다른 프로그램이 쓰고 있습니다.',
        en: 'Something accepts connections on this port: it is mapped into the cluster, or another program on this machine uses it.',
      },
    };
  }
  const { failure } = outcome;
  if (failure.kind === 'refused') {
    return {
      verdict: 'pass',
      observed: { ko: `${label}: 연결 거부`, en: `${label}: connection refused` },
      expected: EXPECTED,
      command,
    };
  }
  if (failure.kind === 'dropped' || failure.kind === 'unreachable') {
    const labelText = failureLabel(failure);
    return {
      verdict: 'wrong',
      observed: { ko: `${label}: ${labelText.ko}`, en: `${label}: ${labelText.en}` },
      expected: EXPECTED,
      command,
      cause: {
        ko: '거부가 아니라 응답이 없습니다: 패킷이 버려지고 있습니다 (방화벽, 또는 Pod가 없는 노드의 externalTrafficPolicy: Local).',
        en: 'Not a refusal but silence: the packets are dropped (a firewall, or externalTrafficPolicy: Local on a node without a pod).',
      },
    };
  }
  return failureResult(failure, { ...where, label }, EXPECTED, command, ctx);
}
