import { UserError } from '../../core/errors.js';
import type { Exec } from '../../platform/command.js';
import { execJson, ipv4Gateway, subnets, type DockerNetwork } from '../docker.js';
import type { EngineProfile } from '../engine-profile.js';
import type { Reachability } from '../types.js';
import type { Fetch } from '../verified-download.js';
import { measureClientAddress } from './client-address.js';

/**
 * How checks reach a kind cluster from this machine.
 *
 * - hostReachesNodeNetwork: from the engine profile (a rootful engine on this Linux host only).
 * - hostClientAddress: the gateway of the node network, what docker-proxy hands a container on Linux; only a
 *   first guess: `measureClientAddress` asks a throwaway container what really arrives (lab 06 needs it exact).
 * - networkProbe: a throwaway container on the node network, from the node image (it contains curl).
 * - labNetworks: the subnets of the node network, where node and LoadBalancer addresses live.
 */
export async function kindReachability(
  exec: Exec,
  options: { profile: EngineProfile; probeImage: string; fetch: Fetch; signal?: AbortSignal },
): Promise<Reachability> {
  const { profile } = options;
  const networks = await execJson<DockerNetwork[]>(
    exec,
    'docker',
    ['network', 'inspect', profile.network],
    options.signal,
  );
  const gateway = ipv4Gateway(networks);
  if (!gateway) {
    throw new UserError(
      {
        ko: `Docker 네트워크 ${profile.network}에 IPv4 주소 대역이 없습니다.`,
        en: `The Docker network ${profile.network} has no IPv4 subnet.`,
      },
      {
        ko: `docker network inspect ${profile.network} 로 확인하세요.`,
        en: `Look at docker network inspect ${profile.network}.`,
      },
    );
  }
  let measured: Promise<string> | undefined;
  return {
    hostReachesNodeNetwork: profile.hostReachesNodeNetwork,
    hostClientAddress: gateway,
    measureClientAddress: () => {
      measured ??= measureClientAddress(exec, options.fetch, profile).catch((error: unknown) => {
        measured = undefined;
        throw error;
      });
      return measured;
    },
    networkProbe: { network: profile.network, image: options.probeImage },
    labNetworks: subnets(networks),
  };
}
