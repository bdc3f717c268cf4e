import { ToolMissingError } from '../../core/errors.js';
import { CONTROLLER_NAME, otherControllers } from '../kind/controller.js';
import { CCM_CLUSTER_LABEL } from '../kind/settings.js';
import type { DoctorCheck, DoctorProbes } from './types.js';
import { toolCommand } from '../../platform/invocation.js';

const TITLE = { ko: '다른 cloud-provider-kind', en: 'Other cloud-provider-kind' };

/** PIDs of processes named cloud-provider-kind on this machine (pgrep / tasklist); undefined when no tool tells. */
async function processIds(probes: DoctorProbes): Promise<string[] | undefined> {
  try {
    if (probes.platform === 'win32') {
      const result = await probes.exec({
        file: 'tasklist',
        args: ['/FI', 'IMAGENAME eq cloud-provider-kind.exe', '/NH', '/FO', 'CSV'],
      });
      // "cloud-provider-kind.exe","4312","Console","1","21,300 K"
      return [...result.stdout.matchAll(/^"cloud-provider-kind\.exe","(\d+)"/gm)].map((m) => m[1]!);
    }
    const result = await probes.exec({ file: 'pgrep', args: ['-x', 'cloud-provider-kind'] });
    return result.stdout.split('\n').filter((line) => /^\d+$/.test(line.trim()));
  } catch (error) {
    if (error instanceof ToolMissingError) return undefined;
    throw error;
  }
}

/**
 * cloud-provider-kind serves every kind cluster and has no leader election (pkg/controller/controller.go@v0.11.1):
 * a second one, in a container or run by hand on the host (`sudo cloud-provider-kind`, as its README shows),
 * fights this tool's. A container of the controller image other than the shared one blocks; so does a host
 * process, found by name. On a Linux host the shared controller's own process is in the host's table too: the
 * PIDs of controller containers are set aside. Engines in a VM do not show their containers' processes here.
 */
export async function controllerCheck(probes: DoctorProbes, engineUp: boolean): Promise<DoctorCheck> {
  if (!engineUp) {
    return {
      id: 'cloud-provider-kind',
      status: 'skip',
      title: TITLE,
      detail: { ko: 'Docker 엔진이 없어 확인하지 못했습니다.', en: 'Not checked: no Docker engine answered.' },
    };
  }
  const others = await otherControllers(probes.exec);
  const foreign = others.filter((o) => !o.ours);
  const pids = await processIds(probes);
  const hostPids: string[] = [];
  if (pids && pids.length > 0) {
    const inspected = await probes.exec({
      file: 'docker',
      args: ['inspect', '--format', '{{.State.Pid}}', CONTROLLER_NAME, ...others.map((o) => o.name)],
    });
    const inContainers = new Set(inspected.stdout.split('\n').map((line) => line.trim()));
    for (const pid of pids.filter((p) => !inContainers.has(p))) {
      // A container's process whose PID Docker reports in another namespace (rootless): its cgroup says so.
      const cgroup = probes.platform === 'linux' ? await probes.readText(`/proc/${pid}/cgroup`) : undefined;
      if (!/docker|containerd|libpod/.test(cgroup ?? '')) hostPids.push(pid);
    }
  }
  if (foreign.length === 0 && hostPids.length === 0) {
    return {
      id: 'cloud-provider-kind',
      status: pids === undefined ? 'skip' : 'ok',
      title: TITLE,
      detail:
        pids === undefined
          ? {
              ko: '다른 컨테이너는 없습니다. 호스트의 프로세스는 확인하지 못했습니다 (pgrep 없음).',
              en: 'No other container; host processes not checked (no pgrep).',
            }
          : { ko: '없음', en: 'none' },
    };
  }
  const found = [
    ...foreign.map((o) => `${o.name} (${o.image})`),
    ...hostPids.map((pid) => (probes.platform === 'win32' ? `cloud-provider-kind.exe PID ${pid}` : `PID ${pid}`)),
  ].join(', ');
  const stop = [
    ...(foreign.length > 0 ? [`docker rm -f ${foreign.map((o) => o.name).join(' ')}`] : []),
    ...(hostPids.length > 0
      ? [
          probes.platform === 'win32'
            ? `taskkill /F /PID ${hostPids.join(' /PID ')}`
            : `sudo kill ${hostPids.join(' ')}`,
        ]
      : []),
  ];
  return {
    id: 'cloud-provider-kind',
    status: 'fail',
    title: TITLE,
    detail: {
      ko: `다른 cloud-provider-kind가 돌고 있습니다: ${found}. 이 컴퓨터의 모든 kind 클러스터를 돌보므로, 이 도구의 것과 함께 돌면 서로 로드 밸런서 컨테이너를 만들고 지웁니다.`,
      en: `Another cloud-provider-kind runs: ${found}. It serves every kind cluster on this machine, so beside this tool’s it would create and delete the same load balancer containers.`,
    },
    fix: {
      text: {
        ko: `그것을 멈추세요. expose-labs가 하나(${CONTROLLER_NAME})를 띄우고, 이 컴퓨터의 kind 클러스터가 모두 함께 씁니다.`,
        en: `Stop it. expose-labs runs one (${CONTROLLER_NAME}), shared by every kind cluster on this machine.`,
      },
      commands: stop,
    },
  };
}

/**
 * The truth about exposure: kind's mappings listen on 127.0.0.1 only, but cloud-provider-kind starts each load
 * balancer's Envoy with `--publish=10000/TCP --publish-all` (pkg/loadbalancer/server.go@v0.11.1 and @v0.10.0):
 * Envoy's admin port, which asks no password, gets a random host port on every interface.
 */
export async function exposureCheck(probes: DoctorProbes, engineUp: boolean): Promise<DoctorCheck> {
  const title = { ko: '다른 컴퓨터에서 닿는 포트', en: 'Ports other machines can reach' };
  const listed = engineUp
    ? await probes.exec({
        file: 'docker',
        args: ['ps', '--filter', `label=${CCM_CLUSTER_LABEL}`, '--format', '{{.Names}} {{.Ports}}'],
      })
    : undefined;
  const open = (listed && !listed.failed ? listed.stdout : '')
    .split('\n')
    .filter((line) => /(0\.0\.0\.0|\[::\]|:::):\d+->/.test(line))
    .map((line) => line.trim());
  const now = open.length > 0 ? `\n${open.map((l) => `  ${l}`).join('\n')}` : '';
  return {
    id: 'lan-exposure',
    // Worth a line in `start` only once something is published.
    status: open.length > 0 ? 'info' : 'ok',
    title,
    detail: {
      ko: `kind의 포트 매핑은 127.0.0.1에서만 열립니다. 하지만 cloud-provider-kind는 LoadBalancer마다 Envoy 컨테이너를 --publish-all 로 띄워, 암호 없는 Envoy 관리 포트(10000)가 모든 네트워크 주소의 무작위 호스트 포트에 열립니다. 같은 Wi-Fi의 다른 컴퓨터가 닿을 수 있습니다. 막으려면 호스트 방화벽으로 들어오는 연결을 막고, 실습이 끝나면 ${toolCommand()} down 을 실행하세요.${now}`,
      en: `kind’s port mappings listen on 127.0.0.1 only. But cloud-provider-kind starts an Envoy container per LoadBalancer with --publish-all, so Envoy’s admin port (10000), which asks no password, is published on a random host port on every address: other machines on the same Wi-Fi can reach it. To prevent that, block incoming connections with the host firewall, and run ${toolCommand()} down when the workshop is over.${now}`,
    },
  };
}
