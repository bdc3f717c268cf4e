import { UserError } from '../../core/errors.js';
import type { Exec } from '../../platform/command.js';
import {
  DOCKER_INFO_ARGS,
  execJson,
  ipv4Gateway,
  isDockerDesktop,
  subnets,
  type DockerInfo,
  type DockerNetwork,
} from '../docker.js';
import type { Reachability } from '../types.js';

export const KIND_NETWORK = 'kind';

/**
 * How checks reach a kind cluster from this machine.
 *
 * - hostReachesNodeNetwork: only on Linux with the engine on the host. Docker Desktop (any OS) keeps the `kind`
 *   network inside its VM, so node and LoadBalancer addresses do not answer from the host.
 * - hostClientAddress: the gateway of the `kind` network. A connection to a 127.0.0.1 port mapping is handed to
 *   the node container by Docker's proxy (or NAT) from the bridge's gateway address, so with
 *   externalTrafficPolicy Local that is the client address a pod sees. This comes from Docker's and kind's
 *   sources and docs; it has not been observed on a cluster from this project.
 * - networkProbe: a throwaway container on the `kind` network, from the node image (it contains curl).
 * - labNetworks: the subnets of the `kind` network, where node and LoadBalancer addresses live.
 */
export async function kindReachability(
  exec: Exec,
  options: { platform: NodeJS.Platform; probeImage: string; signal?: AbortSignal },
): Promise<Reachability> {
  const info = await execJson<DockerInfo>(exec, 'docker', DOCKER_INFO_ARGS, options.signal);
  const networks = await execJson<DockerNetwork[]>(
    exec,
    'docker',
    ['network', 'inspect', KIND_NETWORK],
    options.signal,
  );
  const gateway = ipv4Gateway(networks);
  if (!gateway) {
    throw new UserError(
      { ko: 'Docker 네트워크 kind에 IPv4 주소 대역이 없습니다.', en: 'The Docker network kind has no IPv4 subnet.' },
      { ko: 'docker network inspect kind 로 확인하세요.', en: 'Look at docker network inspect kind.' },
    );
  }
  return {
    hostReachesNodeNetwork: options.platform === 'linux' && !isDockerDesktop(info),
    hostClientAddress: gateway,
    networkProbe: { network: KIND_NETWORK, image: options.probeImage },
    labNetworks: subnets(networks),
  };
}
