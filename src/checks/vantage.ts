import type { CheckContext } from './types.js';
import { inNetworks, isLoopback } from './address.js';
import type { NetworkProbe } from './network-vantage.js';
import type { Message } from '../core/i18n.js';
import { toolCommand } from '../platform/invocation.js';

export type VantageChoice =
  { kind: 'host' } | { kind: 'network'; probe: NetworkProbe } | { kind: 'unavailable'; cause: Message };

/**
 * Where this attempt's traffic leaves from. `auto` stays on the host for this machine's loopback addresses (the
 * port mappings) and whenever the host reaches the node network; otherwise a container on the kind network.
 */
export async function chooseVantage(ctx: CheckContext, address: string): Promise<VantageChoice> {
  if (ctx.vantage === 'host') return { kind: 'host' };
  const reach = await ctx.cluster.reachability();
  // A loopback address inside the lab's own networks is a node or load balancer address, not this machine's
  // (the cluster double's nodes live on 127.X.Y.0/24).
  const hostLoopback = isLoopback(address) && !inNetworks(address, reach.labNetworks ?? []);
  if (ctx.vantage === 'auto' && hostLoopback) return { kind: 'host' };
  if (ctx.vantage === 'auto' && reach.hostReachesNodeNetwork) return { kind: 'host' };
  if (hostLoopback) {
    return {
      kind: 'unavailable',
      cause: {
        ko: `kind 네트워크의 컨테이너에서는 이 컴퓨터의 ${address}에 닿을 수 없습니다. 이 검사는 from: host 여야 합니다.`,
        en: `A container on the kind network cannot reach ${address} on this machine: this check must use from: host.`,
      },
    };
  }
  if (!reach.networkProbe) {
    return {
      kind: 'unavailable',
      cause: {
        ko: `이 컴퓨터에서는 노드 네트워크에 닿지 않고, kind 네트워크에서 curl 컨테이너를 띄울 방법도 없습니다. \`${toolCommand()} doctor\`를 실행해 보세요.`,
        en: `This machine cannot reach the node network, and there is no way to start a curl container on the kind network. Run \`${toolCommand()} doctor\`.`,
      },
    };
  }
  return { kind: 'network', probe: reach.networkProbe };
}
