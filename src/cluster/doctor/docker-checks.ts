import { ToolMissingError } from '../../core/errors.js';
import type { Text } from '../../core/i18n.js';
import { DOCKER_INFO_ARGS, parseDockerInfo, type DockerInfo } from '../docker.js';
import { engineProfile, type EngineProfile } from '../engine-profile.js';
import type { DoctorCheck, DoctorProbes } from './types.js';
import { withParticle } from '../../core/korean.js';

const INSTALL_DOCKER = {
  ko: 'Docker를 설치하세요 (Linux는 Docker Engine, macOS·Windows는 Docker Desktop): https://docs.docker.com/get-docker/',
  en: 'Install Docker (Docker Engine on Linux, Docker Desktop on macOS and Windows): https://docs.docker.com/get-docker/',
};

export interface DockerFindings {
  checks: DoctorCheck[];
  /** Present when a running engine answered `docker info`. */
  info?: DockerInfo;
  profile?: EngineProfile;
}

/** Docker client, a running engine, what kind of engine (Docker Desktop, rootless), cgroup v2. */
export async function dockerChecks(probes: DoctorProbes): Promise<DockerFindings> {
  const title = { ko: 'Docker 클라이언트', en: 'Docker client' };
  let version: string;
  try {
    const result = await probes.exec({ file: 'docker', args: ['version', '--format', '{{.Client.Version}}'] });
    version = result.stdout.trim().split('\n')[0] ?? '';
  } catch (error) {
    if (!(error instanceof ToolMissingError)) throw error;
    return {
      checks: [
        {
          id: 'docker-client',
          status: 'fail',
          title,
          detail: { ko: 'docker 명령이 없습니다.', en: 'The docker command is not installed.' },
          fix: { text: INSTALL_DOCKER, commands: [] },
        },
        ...['docker-engine', 'docker-kind', 'cgroup', 'image-store'].map((id) => skipped(id)),
      ],
    };
  }
  const checks: DoctorCheck[] = [
    { id: 'docker-client', status: 'ok', title, detail: { ko: `docker ${version}`, en: `docker ${version}` } },
  ];
  const result = await probes.exec({ file: 'docker', args: [...DOCKER_INFO_ARGS] });
  const info = parseDockerInfo(result.stdout);
  const problem = [result.failed ? result.stderr : '', ...(info?.ServerErrors ?? [])].join('\n').trim();
  if (result.failed || !info || (info.ServerErrors?.length ?? 0) > 0) {
    checks.push(engineDown(probes, problem), skipped('docker-kind'), skipped('cgroup'), skipped('image-store'));
    return { checks };
  }
  const profile = engineProfile(info, { platform: probes.platform, env: probes.env });
  checks.push(
    {
      id: 'docker-engine',
      status: 'ok',
      title: { ko: 'Docker 엔진', en: 'Docker engine' },
      detail: {
        ko: `실행 중: ${info.ServerVersion ?? '?'} (${info.OperatingSystem ?? '?'})`,
        en: `running: ${info.ServerVersion ?? '?'} (${info.OperatingSystem ?? '?'})`,
      },
    },
    await engineKind(probes, profile),
    cgroup(info),
    imageStore(profile),
  );
  return { checks, info, profile };
}

function skipped(id: string): DoctorCheck {
  const titles: Record<string, DoctorCheck['title']> = {
    'docker-engine': { ko: 'Docker 엔진', en: 'Docker engine' },
    'docker-kind': { ko: 'Docker 엔진 종류', en: 'Kind of Docker engine' },
    cgroup: { ko: 'cgroup v2', en: 'cgroup v2' },
    'image-store': { ko: '이미지 저장소', en: 'Image store' },
  };
  return {
    id,
    status: 'skip',
    title: titles[id] ?? { ko: id, en: id },
    detail: { ko: 'Docker 엔진이 없어 확인하지 못했습니다.', en: 'Not checked: no Docker engine answered.' },
  };
}

function engineDown(probes: DoctorProbes, problem: string): DoctorCheck {
  const title = { ko: 'Docker 엔진', en: 'Docker engine' };
  if (/permission denied/i.test(problem)) {
    return {
      id: 'docker-engine',
      status: 'fail',
      title,
      detail: {
        ko: `이 사용자는 Docker 소켓에 접근할 수 없습니다: ${problem}`,
        en: `This user may not use the Docker socket: ${problem}`,
      },
      fix: {
        text: {
          ko: '사용자를 docker 그룹에 넣고 로그아웃 후 다시 로그인하세요 (expose-labs 자체를 sudo로 실행하지는 마세요).',
          en: 'Add yourself to the docker group, then log out and back in (do not run expose-labs itself with sudo).',
        },
        commands: ['sudo usermod -aG docker $USER'],
      },
    };
  }
  const linux = probes.platform === 'linux';
  return {
    id: 'docker-engine',
    status: 'fail',
    title,
    detail: {
      ko: `Docker 엔진이 응답하지 않습니다: ${problem || '?'}`,
      en: `The Docker engine does not answer: ${problem || '?'}`,
    },
    fix: linux
      ? {
          text: {
            ko: 'Docker 엔진을 시작하세요 (Docker Desktop이면 앱을 여세요).',
            en: 'Start the Docker engine (or open the Docker Desktop app).',
          },
          commands: ['sudo systemctl start docker'],
        }
      : probes.platform === 'darwin'
        ? {
            // With no engine answering, nothing tells which of the Mac's engines this one is: all three are named.
            text: {
              ko: 'Docker 엔진을 켜고 응답할 때까지 기다리세요: Docker Desktop 이나 OrbStack 이면 앱을 열고, colima 면 colima start 를 실행하세요.',
              en: 'Start the Docker engine and wait until it answers: open the Docker Desktop or OrbStack app, or with colima run colima start.',
            },
            commands: [],
          }
        : {
            text: {
              ko: 'Docker Desktop 앱을 열고 엔진이 켜질 때까지 기다리세요.',
              en: 'Open the Docker Desktop app and wait until its engine runs.',
            },
            commands: [],
          },
  };
}

export const ENGINE_NAMES: Record<EngineProfile['engine'], string> = {
  'docker-engine': 'Docker Engine',
  'docker-desktop': 'Docker Desktop',
  colima: 'colima',
  orbstack: 'OrbStack',
};

const ROOTLESS_CONTROLLERS = ['cpu', 'cpuset', 'io', 'memory', 'pids'];

/** kind on rootless Docker needs these cgroup controllers delegated to the user (kind's rootless guide). */
async function rootlessKind(probes: DoctorProbes, title: Text): Promise<DoctorCheck> {
  const file =
    probes.uid === undefined
      ? undefined
      : `/sys/fs/cgroup/user.slice/user-${probes.uid}.slice/user@${probes.uid}.service/cgroup.controllers`;
  const text = file ? await probes.readText(file) : undefined;
  const have = new Set((text ?? '').trim().split(/\s+/));
  const lacking = ROOTLESS_CONTROLLERS.filter((c) => !have.has(c));
  const common = {
    ko: 'rootless Docker: 노드와 LoadBalancer 주소는 Docker의 네임스페이스 안에 있어 이 컴퓨터에서 바로 닿지 않습니다. 실습은 127.0.0.1 포트 매핑과 kind 네트워크의 임시 컨테이너로 확인하고, 포트 매핑을 지난 클라이언트 주소는 실제로 재서 씁니다.',
    en: 'Rootless Docker: node and LoadBalancer addresses live in Docker’s own namespace and do not answer from this machine. The labs use 127.0.0.1 port mappings and a throwaway container on the kind network, and measure the client address a port mapping hands on.',
  };
  if (text !== undefined && lacking.length === 0) {
    return { id: 'docker-kind', status: 'info', title, detail: common };
  }
  return {
    id: 'docker-kind',
    status: text === undefined ? 'warn' : 'fail',
    title,
    detail: {
      ko: `${common.ko} kind는 cgroup 컨트롤러 ${ROOTLESS_CONTROLLERS.join(' ')}가 이 사용자에게 위임되어야 합니다${text === undefined ? ` (${withParticle(file ?? '?', '을/를')} 읽지 못했습니다)` : `: ${lacking.join(' ')} 없음`}.`,
      en: `${common.en} kind needs the cgroup controllers ${ROOTLESS_CONTROLLERS.join(' ')} delegated to this user${text === undefined ? ` (could not read ${file ?? '?'})` : `: ${lacking.join(' ')} missing`}.`,
    },
    fix: {
      text: {
        ko: 'systemd가 위임하도록 설정하고 다시 로그인하세요: https://kind.sigs.k8s.io/docs/user/rootless/',
        en: 'Have systemd delegate them, then log in again: https://kind.sigs.k8s.io/docs/user/rootless/',
      },
      commands: [
        'sudo mkdir -p /etc/systemd/system/user@.service.d',
        `printf '[Service]\\nDelegate=yes\\n' | sudo tee /etc/systemd/system/user@.service.d/delegate.conf`,
        'sudo systemctl daemon-reload',
      ],
    },
  };
}

/** Which engine runs, and what that changes for the labs. */
async function engineKind(probes: DoctorProbes, profile: EngineProfile): Promise<DoctorCheck> {
  const title = { ko: 'Docker 엔진 종류', en: 'Kind of Docker engine' };
  if (profile.rootless) return rootlessKind(probes, title);
  const name = ENGINE_NAMES[profile.engine];
  const wsl2: Text | undefined = profile.wsl2Kernel
    ? {
        ko: ` 엔진이 WSL2 커널에서 돕니다. 이때 cloud-provider-kind v0.11.x는 LoadBalancer 포트마다 호스트의 같은 번호 포트(0.0.0.0:<포트>)를 잡아 kind의 127.0.0.1:80/443 매핑, 그리고 같은 포트의 다른 LoadBalancer와 부딪칩니다 (upstream issue #458). 그래서 여기서는 호스트 포트를 무작위로 고르는 v0.10.0을 씁니다. 잃는 것: Gateway API CRD가 v1.5.0이 아니라 v1.4.0입니다.`,
        en: ` The engine runs on a WSL2 kernel. There cloud-provider-kind v0.11.x publishes each LoadBalancer port on the same host port (0.0.0.0:<port>), which collides with kind’s 127.0.0.1:80/443 mapping and with any other LoadBalancer on that port (upstream issue #458). So here the tool runs v0.10.0, which picks random host ports. What you lose: Gateway API CRDs v1.4.0 instead of v1.5.0.`,
      }
    : undefined;
  if (profile.engine === 'orbstack') {
    // OrbStack's docs say it routes container addresses to macOS; not relied on: the labs check them the VM way.
    return {
      id: 'docker-kind',
      status: 'info',
      title,
      detail: {
        ko: `${name}: 노드와 LoadBalancer 주소는 엔진의 VM 안에 있습니다 (OrbStack은 그 주소를 macOS로 이어 준다고 하지만 여기서는 기대지 않습니다). 실습은 127.0.0.1 포트 매핑으로 클러스터에 닿고, LoadBalancer 주소는 kind 네트워크의 임시 컨테이너에서 확인합니다.`,
        en: `${name}: node and LoadBalancer addresses live inside the engine’s VM (OrbStack says it routes them to macOS; this tool does not rely on it). The labs reach the cluster through 127.0.0.1 port mappings and check LoadBalancer addresses from a throwaway container on the kind network.`,
      },
    };
  }
  if (!profile.hostReachesNodeNetwork) {
    return {
      id: 'docker-kind',
      status: 'info',
      title,
      detail: {
        ko: `${name}: 노드와 LoadBalancer 주소는 엔진의 VM 안에 있어 이 컴퓨터에서 바로 닿지 않습니다. 실습은 127.0.0.1 포트 매핑으로 클러스터에 닿고, LoadBalancer 주소는 kind 네트워크의 임시 컨테이너에서 확인합니다.${wsl2?.ko ?? ''}`,
        en: `${name}: node and LoadBalancer addresses live inside the engine’s VM and do not answer from this machine. The labs reach the cluster through 127.0.0.1 port mappings and check LoadBalancer addresses from a throwaway container on the kind network.${wsl2?.en ?? ''}`,
      },
    };
  }
  return {
    id: 'docker-kind',
    status: wsl2 ? 'info' : 'ok',
    title,
    detail: {
      ko: `${name}, 이 컴퓨터에서 도는 엔진: 노드와 LoadBalancer 주소에 바로 닿습니다.${wsl2?.ko ?? ''}`,
      en: `${name} on this machine: node and LoadBalancer addresses answer directly.${wsl2?.en ?? ''}`,
    },
  };
}

/** Docker's containerd image store changes how images get into the nodes (and into a pack). */
function imageStore(profile: EngineProfile): DoctorCheck {
  const title = { ko: '이미지 저장소', en: 'Image store' };
  if (!profile.containerdStore) {
    return {
      id: 'image-store',
      status: 'ok',
      title,
      detail: { ko: '기존 방식 (graph driver)', en: 'classic (graph driver)' },
    };
  }
  return {
    id: 'image-store',
    status: 'info',
    title,
    detail: {
      ko: `containerd 이미지 저장소: kind load docker-image 는 여기서 "content digest … not found"로 실패합니다 (kind #3795). 이 도구는 docker save --platform ${profile.platform ?? '?'} 와 kind load image-archive 로 넣습니다.`,
      en: `containerd image store: kind load docker-image fails here with "content digest … not found" (kind #3795). This tool loads images with docker save --platform ${profile.platform ?? '?'} and kind load image-archive instead.`,
    },
  };
}

function cgroup(info: DockerInfo): DoctorCheck {
  const title = { ko: 'cgroup v2', en: 'cgroup v2' };
  if (info.CgroupVersion === '2')
    return { id: 'cgroup', status: 'ok', title, detail: { ko: 'cgroup v2', en: 'cgroup v2' } };
  if (info.CgroupVersion === '1') {
    return {
      id: 'cgroup',
      status: 'fail',
      title,
      detail: {
        ko: 'Docker가 cgroup v1을 씁니다. 노드 이미지의 Kubernetes 1.36은 cgroup v1에서 시작하지 않습니다.',
        en: 'Docker uses cgroup v1. Kubernetes 1.36 in the node image does not start on cgroup v1.',
      },
      fix: {
        text: {
          ko: 'cgroup v2로 부팅하세요 (커널 인자 systemd.unified_cgroup_hierarchy=1; 요즘 배포판은 기본값), Docker Desktop이면 최신판으로 올리세요.',
          en: 'Boot with cgroup v2 (kernel argument systemd.unified_cgroup_hierarchy=1; the default on current distributions), or update Docker Desktop.',
        },
        commands: [],
      },
    };
  }
  return {
    id: 'cgroup',
    status: 'skip',
    title,
    detail: { ko: 'Docker가 cgroup 버전을 알려 주지 않습니다.', en: 'Docker does not report its cgroup version.' },
  };
}
