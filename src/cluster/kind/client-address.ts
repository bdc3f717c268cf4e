import { UserError } from '../../core/errors.js';
import { sleep } from '../../core/poll.js';
import type { Exec } from '../../platform/command.js';
import type { EngineProfile } from '../engine-profile.js';
import type { Fetch } from '../verified-download.js';
import { WHOAMI_IMAGE } from '../versions.js';
import { toolCommand } from '../../platform/invocation.js';

/** Label of the throwaway container, so a run killed half-way leaves something `docker ps` can name. */
export const CLIENT_PROBE_LABEL = 'expose-labs.role=client-address-probe';

const ATTEMPTS = 20;

/** `127.0.0.1:49153` (or `[::]:49153`, then the IPv4 line) from `docker port`. */
function hostPort(stdout: string): number | undefined {
  const line = stdout.split('\n').find((l) => l.startsWith('127.0.0.1:'));
  const port = Number(line?.slice('127.0.0.1:'.length));
  return Number.isInteger(port) && port > 0 ? port : undefined;
}

/** whoami's `RemoteAddr: 172.18.0.1:51234` line (app.go@v1.11.0), without the port. */
export function remoteAddress(body: string): string | undefined {
  const value = /^RemoteAddr: (.+)$/m.exec(body)?.[1]?.trim();
  if (!value) return undefined;
  const colon = value.lastIndexOf(':');
  return (colon > 0 ? value.slice(0, colon) : value).replace(/^\[|\]$/g, '');
}

/** `network`: the node network the probe ran on, so the command to try is the one that failed. */
function probeFailed(network: string, why: string): UserError {
  return new UserError(
    {
      ko: `포트 매핑을 지난 연결의 출발지 주소를 재지 못했습니다: ${why}`,
      en: `Could not measure the source address a connection has after a port mapping: ${why}`,
    },
    {
      ko: `docker run --rm --network ${network} -p 127.0.0.1::80 ${WHOAMI_IMAGE} 가 되는지 보세요. ${toolCommand()} doctor 가 Docker를 점검합니다.`,
      en: `See whether docker run --rm --network ${network} -p 127.0.0.1::80 ${WHOAMI_IMAGE} works. ${toolCommand()} doctor checks Docker.`,
    },
  );
}

/**
 * The address a pod sees for a client on this machine that comes in through a 127.0.0.1 port mapping, before
 * any SNAT: measured, not assumed. A throwaway whoami container on the node network, behind a 127.0.0.1 port
 * mapping as the nodes are, is asked once; the RemoteAddr it reports is what the engine's port forwarding hands
 * to a container on that network (docker-proxy's gateway address on Linux; whatever Docker Desktop, colima,
 * OrbStack or rootless Docker's port driver uses elsewhere). With externalTrafficPolicy Local kube-proxy only
 * DNATs, so a pod behind a node's mapping sees the same address.
 */
export async function measureClientAddress(
  exec: Exec,
  fetch: Fetch,
  profile: Pick<EngineProfile, 'network'>,
  signal?: AbortSignal,
): Promise<string> {
  const started = await exec(
    {
      file: 'docker',
      args: [
        'run',
        '-d',
        '--rm',
        '--network',
        profile.network,
        '-p',
        '127.0.0.1::80',
        '--label',
        CLIENT_PROBE_LABEL,
        WHOAMI_IMAGE,
      ],
    },
    { signal },
  );
  const id = started.stdout.trim();
  if (started.failed || !id)
    throw probeFailed(profile.network, started.stderr.trim() || 'docker run printed no container id');
  try {
    const mapped = await exec({ file: 'docker', args: ['port', id, '80/tcp'] }, { signal });
    const port = hostPort(mapped.stdout);
    if (mapped.failed || !port)
      throw probeFailed(profile.network, `docker port ${id} 80/tcp: ${mapped.stdout.trim() || mapped.stderr.trim()}`);
    let last = '';
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/`, { signal });
        const address = remoteAddress(await response.text());
        if (address) return address;
        last = 'no RemoteAddr line in the answer';
      } catch (error) {
        if (signal?.aborted) throw error;
        last = error instanceof Error ? error.message : String(error);
      }
      await sleep(250, signal);
    }
    throw probeFailed(profile.network, last);
  } finally {
    await exec({ file: 'docker', args: ['rm', '-f', id] });
  }
}
