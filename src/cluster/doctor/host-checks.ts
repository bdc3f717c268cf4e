import type { Text } from '../../core/i18n.js';
import { isDockerDesktop, type DockerInfo } from '../docker.js';
import type { EngineProfile } from '../engine-profile.js';
import { PORT_FLAGS, PORT_KEYS, suggestedPort } from '../host-ports.js';
import { KIND_CLUSTER_LABEL } from '../kind/settings.js';
import { ENGINE_NAMES } from './docker-checks.js';
import { GIB, type DoctorCheck, type DoctorOptions, type DoctorProbes } from './types.js';
import { toolCommand } from '../../platform/invocation.js';
import { withParticle } from '../../core/korean.js';

/** Host ports the lab cluster itself already publishes: taken by us is not a problem. */
async function portsOfOwnCluster(probes: DoctorProbes, clusterName: string): Promise<Set<number>> {
  const result = await probes.exec({
    file: 'docker',
    args: ['ps', '--filter', `label=${KIND_CLUSTER_LABEL}=${clusterName}`, '--format', '{{.Ports}}'],
  });
  if (result.failed) return new Set();
  return new Set([...result.stdout.matchAll(/:(\d+)->/g)].map((m) => Number(m[1])));
}

/** Docker Desktop's privileged helper, which binds host ports below 1024 for it as root (inferred, not observed). */
export const DOCKER_DESKTOP_HELPER = '/Library/PrivilegedHelperTools/com.docker.vmnetd';

/**
 * Free, but this user may not bind it. Whether the engine can depends on who binds host ports for it:
 * - Linux, rootful: dockerd, as root: fine.
 * - Linux, rootless: RootlessKit, as this user: below 1024 only with its capability or a lowered
 *   net.ipv4.ip_unprivileged_port_start (Docker's rootless guide).
 * - macOS: a user may bind ports below 1024 on the wildcard address only, never on 127.0.0.1 (the denial is
 *   what this probe just met); colima's forwarder runs as this user; Docker Desktop binds them through its
 *   privileged helper when installed; for OrbStack it is not known here. kind would then fail only at
 *   `kind create`, so this stops the run before anything is made.
 */
function deniedPort(
  probes: DoctorProbes,
  profile: EngineProfile | undefined,
  base: Pick<DoctorCheck, 'id' | 'title'>,
): DoctorCheck {
  const other = `${toolCommand()} start --http-port ${suggestedPort(80)} --https-port ${suggestedPort(443)}`;
  if (probes.platform === 'darwin') {
    const desktop = profile?.engine === 'docker-desktop';
    if (desktop && probes.exists(DOCKER_DESKTOP_HELPER)) {
      return {
        ...base,
        status: 'ok',
        detail: {
          ko: 'Docker Desktop의 권한 도우미가 root로 엽니다.',
          en: 'Docker Desktop’s privileged helper binds it as root.',
        },
      };
    }
    return {
      ...base,
      status: 'fail',
      detail: {
        ko: `macOS는 1024 아래 포트를 사용자에게 모든 주소(0.0.0.0)로만 허락하고 127.0.0.1로는 허락하지 않습니다. ${desktop ? 'Docker Desktop의 권한 도우미가 없어' : profile?.engine === 'colima' ? 'colima는 포트를 이 사용자 권한으로 열어' : '이 엔진이 root로 여는지 알 수 없어'} kind create 가 이 포트에서 실패합니다.`,
        en: `macOS lets a user bind ports below 1024 on all addresses (0.0.0.0) only, never on 127.0.0.1. ${desktop ? 'Docker Desktop’s privileged helper is not installed, so' : profile?.engine === 'colima' ? 'colima forwards ports as this user, so' : 'It is not known whether this engine binds it as root, so'} kind create would fail on this port.`,
      },
      fix: {
        text: desktop
          ? {
              ko: '1024 이상의 포트를 쓰거나, Docker Desktop의 Settings → Advanced 에서 권한이 필요한 포트 매핑을 허락하세요.',
              en: 'Use ports from 1024 up, or allow privileged port mapping in Docker Desktop’s Settings → Advanced.',
            }
          : { ko: '1024 이상의 포트를 쓰세요.', en: 'Use ports from 1024 up.' },
        commands: [other],
      },
    };
  }
  if (probes.platform === 'linux' && profile?.rootless) {
    return {
      ...base,
      status: 'warn',
      detail: {
        ko: 'rootless Docker는 호스트 포트를 이 사용자 권한으로 엽니다. 1024 아래는 RootlessKit에 권한을 주었을 때만 열립니다.',
        en: 'Rootless Docker binds host ports as this user: below 1024 only once RootlessKit was given the right to.',
      },
      fix: {
        text: {
          ko: '이미 setcap 했다면 그대로 두세요. 아니면 다음 중 하나를 하거나 1024 이상의 포트를 쓰세요 (setcap 뒤에는 dockerd를 다시 시작).',
          en: 'If you already ran setcap, nothing to do. Otherwise do one of these (restart dockerd after setcap), or use ports from 1024 up.',
        },
        commands: [
          'sudo setcap cap_net_bind_service=ep $(which rootlesskit)',
          'sudo sysctl net.ipv4.ip_unprivileged_port_start=80',
          other,
        ],
      },
    };
  }
  return {
    ...base,
    status: 'ok',
    detail: {
      ko: '이 사용자 권한으로는 열 수 없지만 비어 있습니다 (Docker가 root로 엽니다).',
      en: 'free; this user may not bind it, Docker binds it as root.',
    },
  };
}

/** Every configured host port free on 127.0.0.1 (or already the lab cluster's own), and all different. */
export async function portChecks(
  probes: DoctorProbes,
  options: DoctorOptions,
  engineUp: boolean,
  profile?: EngineProfile,
): Promise<DoctorCheck[]> {
  const ours = engineUp ? await portsOfOwnCluster(probes, options.clusterName) : new Set<number>();
  const counts = new Map<number, number>();
  for (const key of PORT_KEYS) counts.set(options.ports[key], (counts.get(options.ports[key]) ?? 0) + 1);
  const checks: DoctorCheck[] = [];
  for (const key of PORT_KEYS) {
    const port = options.ports[key];
    const flag = PORT_FLAGS[key];
    const title = { ko: `호스트 포트 ${port} (${flag})`, en: `Host port ${port} (${flag})` };
    const id = `port-${flag.slice(2, -5)}`;
    if ((counts.get(port) ?? 0) > 1) {
      checks.push({
        id,
        status: 'fail',
        title,
        detail: { ko: '다른 포트 플래그와 같은 번호입니다.', en: 'Another port flag has the same number.' },
        fix: { text: { ko: '포트마다 다른 번호를 주세요.', en: 'Give each port its own number.' }, commands: [] },
      });
      continue;
    }
    const state = await probes.probePort(port);
    if (state === 'taken' && ours.has(port)) {
      checks.push({
        id,
        status: 'ok',
        title,
        detail: {
          ko: `클러스터 ${withParticle(options.clusterName, '이/가')} 쓰는 중`,
          en: `in use by the cluster ${options.clusterName}`,
        },
      });
    } else if (state === 'taken') {
      const find =
        probes.platform === 'win32' ? `netstat -ano | findstr :${port}` : `sudo lsof -nP -iTCP:${port} -sTCP:LISTEN`;
      checks.push({
        id,
        status: 'fail',
        title,
        detail: { ko: '127.0.0.1에서 이미 다른 프로그램이 쓰고 있습니다.', en: 'Already in use on 127.0.0.1.' },
        fix: {
          text: {
            ko: `무엇이 쓰는지 보고 끄거나, 다른 포트를 고르세요 (start, test, verify 등에 같은 플래그를 주세요).`,
            en: `See what uses it and stop it, or pick another port (give the same flag to start, test, verify, …).`,
          },
          commands: [find, `${toolCommand()} start ${flag} ${suggestedPort(port)}`],
        },
      });
    } else if (state === 'denied') {
      checks.push(deniedPort(probes, profile, { id, title }));
    } else {
      const detail =
        state === 'free'
          ? { ko: '비어 있음', en: 'free' }
          : {
              ko: '이 사용자 권한으로는 확인할 수 없습니다 (Docker가 root로 엽니다).',
              en: 'cannot be tested as this user (Docker opens it as root).',
            };
      checks.push({ id, status: 'ok', title, detail });
    }
  }
  return checks;
}

/** kind's known issues page, "Pod Errors Due to too many open files" (site/content/docs/user/known-issues.md@v0.32.0). */
const INOTIFY = [
  {
    id: 'inotify-watches',
    key: 'fs.inotify.max_user_watches',
    file: '/proc/sys/fs/inotify/max_user_watches',
    min: 524288,
  },
  {
    id: 'inotify-instances',
    key: 'fs.inotify.max_user_instances',
    file: '/proc/sys/fs/inotify/max_user_instances',
    min: 512,
  },
] as const;

/** Three nodes on one kernel run out of inotify instances and watches with distribution defaults ("too many open files"). */
export async function inotifyChecks(probes: DoctorProbes, info: DockerInfo | undefined): Promise<DoctorCheck[]> {
  return Promise.all(
    INOTIFY.map(async ({ id, key, file, min }): Promise<DoctorCheck> => {
      const title = { ko: `inotify 한도 ${key}`, en: `inotify limit ${key}` };
      if (probes.platform !== 'linux' || isDockerDesktop(info)) {
        return {
          id,
          status: 'skip',
          title,
          detail: { ko: 'Linux 호스트의 엔진에서만 확인합니다.', en: 'Checked only for an engine on a Linux host.' },
        };
      }
      const text = await probes.readText(file);
      const value = Number(text?.trim());
      if (text === undefined || !Number.isFinite(value)) {
        return {
          id,
          status: 'skip',
          title,
          detail: { ko: `${withParticle(file, '을/를')} 읽지 못했습니다.`, en: `Could not read ${file}.` },
        };
      }
      if (value >= min) return { id, status: 'ok', title, detail: { ko: String(value), en: String(value) } };
      return {
        id,
        status: 'warn',
        title,
        detail: {
          ko: `${value}: 노드 3개짜리 클러스터에는 ${min} 이상이 필요합니다 (부족하면 파드가 "too many open files"로 죽습니다).`,
          en: `${value}: a three-node cluster needs at least ${min} (below it, pods die with "too many open files").`,
        },
        fix: {
          text: {
            ko: `지금 올리고, 재부팅 후에도 남도록 /etc/sysctl.d/99-kind.conf 에 "${key}=${min}" 줄을 넣으세요.`,
            en: `Raise it now, and add the line "${key}=${min}" to /etc/sysctl.d/99-kind.conf to keep it after a reboot.`,
          },
          commands: [`sudo sysctl ${key}=${min}`],
        },
      };
    }),
  );
}

/** Where a learner can see the VM's disk instead (`docker system df`: what images, containers and volumes use). */
const VM_DISK: Partial<Record<EngineProfile['engine'], Text>> = {
  'docker-desktop': {
    ko: 'VM 디스크의 크기는 Docker Desktop의 Settings → Resources에 있습니다.',
    en: "Docker Desktop's Settings → Resources holds the VM's disk size.",
  },
  colima: {
    ko: 'VM 디스크의 크기는 colima start --disk 로 정하고 colima list 가 보여 줍니다.',
    en: 'colima start --disk sets the VM’s disk size; colima list shows it.',
  },
};

/** Memory the engine can give the three nodes (Docker Desktop: its VM's, not the machine's). */
export function memoryCheck(probes: DoctorProbes, info: DockerInfo | undefined): DoctorCheck {
  const bytes = info?.MemTotal ?? probes.totalMemory();
  const gib = (bytes / GIB).toFixed(1);
  const title = { ko: '메모리', en: 'Memory' };
  const detail = {
    ko: `${gib} GiB${info?.MemTotal ? ' (Docker 엔진)' : ''}`,
    en: `${gib} GiB${info?.MemTotal ? ' (Docker engine)' : ''}`,
  };
  if (bytes >= 4 * GIB) return { id: 'memory', status: 'ok', title, detail };
  const fix = {
    text: {
      ko: 'Docker Desktop이면 Settings → Resources → Memory를 4 GiB 이상으로 올리고, 아니면 다른 프로그램을 닫으세요.',
      en: 'On Docker Desktop raise Settings → Resources → Memory to 4 GiB or more; otherwise close other programs.',
    },
    commands: [],
  };
  const status = bytes < 2 * GIB ? 'fail' : 'warn';
  return {
    id: 'memory',
    status,
    title,
    detail: {
      ko: `${detail.ko}: 노드 3개와 애드온에는 4 GiB 이상을 권합니다${status === 'fail' ? '. 2 GiB 미만에서는 클러스터가 뜨지 않습니다' : ''}.`,
      en: `${detail.en}: 4 GiB or more is advised for three nodes and the add-ons${status === 'fail' ? '; below 2 GiB the cluster does not come up' : ''}.`,
    },
    fix,
  };
}

/**
 * Free disk where the images go: Docker's data root (`docker info`'s DockerRootDir), measured only where it is
 * on this machine's file system, a Linux engine here (rootful /var/lib/docker, rootless ~/.local/share/docker).
 * Docker Desktop, colima and OrbStack keep it inside their VM, whose disk is not this machine's: not measured.
 */
export async function diskCheck(
  probes: DoctorProbes,
  info: DockerInfo | undefined,
  profile: EngineProfile | undefined,
): Promise<DoctorCheck> {
  const title = { ko: '디스크 여유 공간', en: 'Free disk space' };
  const skip = (detail: DoctorCheck['detail']): DoctorCheck => ({ id: 'disk', status: 'skip', title, detail });
  const root = info?.DockerRootDir;
  if (!info || !profile || !root) {
    return skip({
      ko: 'Docker 엔진이 데이터 폴더(DockerRootDir)를 알려 주지 않아 확인하지 못했습니다.',
      en: 'Not checked: no Docker engine answered with its data root (DockerRootDir).',
    });
  }
  if (probes.platform !== 'linux' || profile.engine !== 'docker-engine') {
    const name = profile.engine === 'docker-engine' ? 'Docker' : ENGINE_NAMES[profile.engine];
    const more = VM_DISK[profile.engine];
    return skip({
      ko: `Docker의 데이터 폴더 ${withParticle(root, '은/는')} ${name}의 VM 안에 있어 이 컴퓨터의 여유 공간이 곧 그 공간은 아닙니다. 그래서 재지 않았습니다. 노드 이미지와 앱 이미지에 10 GiB 이상을 권합니다. 이미 쓰는 공간은 docker system df 가 보여 줍니다.${more ? ` ${more.ko}` : ''}`,
      en: `Docker's data root ${root} is inside ${name}'s VM, so this machine's free space is not its free space: not measured. 10 GiB or more is advised for the node and app images; docker system df shows what is used already.${more ? ` ${more.en}` : ''}`,
    });
  }
  if (!probes.exists(root)) {
    return skip({
      ko: `Docker의 데이터 폴더 ${withParticle(root, '이/가')} 이 컴퓨터에 없습니다 (엔진이 다른 곳에서 도는 것 같습니다). 재지 않았습니다.`,
      en: `Docker's data root ${root} is not on this machine (the engine seems to run elsewhere): not measured.`,
    });
  }
  const free = await probes.freeDisk(root);
  if (free === undefined)
    return skip({ ko: `${root}의 여유 공간을 알 수 없습니다.`, en: `Free space of ${root} is unknown.` });
  const gib = (free / GIB).toFixed(1);
  const detail = { ko: `${root}: ${gib} GiB`, en: `${root}: ${gib} GiB` };
  if (free >= 10 * GIB) return { id: 'disk', status: 'ok', title, detail };
  const status = free < 3 * GIB ? 'fail' : 'warn';
  return {
    id: 'disk',
    status,
    title,
    detail: {
      ko: `${detail.ko}: 노드 이미지와 앱 이미지에 10 GiB 이상을 권합니다.`,
      en: `${detail.en}: 10 GiB or more is advised for the node and app images.`,
    },
    fix: {
      text: {
        ko: 'Docker가 쓰는 공간을 확인하고, 안 쓰는 이미지를 지우세요 (지울 목록을 먼저 확인하세요).',
        en: 'See what Docker uses, and remove unused images (read the list before you confirm).',
      },
      commands: ['docker system df', 'docker image prune'],
    },
  };
}
