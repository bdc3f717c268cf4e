import { ToolMissingError } from '../../core/errors.js';
import { DOCKER_INFO_ARGS, isDockerDesktop, parseDockerInfo, type DockerInfo } from '../docker.js';
import type { DoctorCheck, DoctorProbes } from './types.js';

const INSTALL_DOCKER = {
  ko: 'Docker를 설치하세요 (Linux는 Docker Engine, macOS·Windows는 Docker Desktop): https://docs.docker.com/get-docker/',
  en: 'Install Docker (Docker Engine on Linux, Docker Desktop on macOS and Windows): https://docs.docker.com/get-docker/',
};

export interface DockerFindings {
  checks: DoctorCheck[];
  /** Present when a running engine answered `docker info`. */
  info?: DockerInfo;
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
        ...['docker-engine', 'docker-kind', 'cgroup'].map((id) => skipped(id)),
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
    checks.push(engineDown(probes, problem), skipped('docker-kind'), skipped('cgroup'));
    return { checks };
  }
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
    engineKind(probes, info),
    cgroup(info),
  );
  return { checks, info };
}

function skipped(id: string): DoctorCheck {
  const titles: Record<string, DoctorCheck['title']> = {
    'docker-engine': { ko: 'Docker 엔진', en: 'Docker engine' },
    'docker-kind': { ko: 'Docker 엔진 종류', en: 'Kind of Docker engine' },
    cgroup: { ko: 'cgroup v2', en: 'cgroup v2' },
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
      : {
          text: {
            ko: 'Docker Desktop 앱을 열고 엔진이 켜질 때까지 기다리세요.',
            en: 'Open the Docker Desktop app and wait until its engine runs.',
          },
          commands: [],
        },
  };
}

/** Docker Desktop keeps the kind network inside a VM: tell the learner what that changes. Rootless needs extra setup. */
function engineKind(probes: DoctorProbes, info: DockerInfo): DoctorCheck {
  const title = { ko: 'Docker 엔진 종류', en: 'Kind of Docker engine' };
  if ((info.SecurityOptions ?? []).some((o) => o.includes('name=rootless'))) {
    return {
      id: 'docker-kind',
      status: 'warn',
      title,
      detail: {
        ko: 'rootless Docker입니다. kind는 추가 설정이 있어야 동작합니다.',
        en: 'Rootless Docker: kind needs extra setup to run on it.',
      },
      fix: {
        text: {
          ko: 'https://kind.sigs.k8s.io/docs/user/rootless/ 를 따라 설정하세요.',
          en: 'Follow https://kind.sigs.k8s.io/docs/user/rootless/.',
        },
        commands: [],
      },
    };
  }
  if (isDockerDesktop(info) || probes.platform !== 'linux') {
    return {
      id: 'docker-kind',
      status: 'info',
      title,
      detail: {
        ko: 'Docker Desktop: 노드와 LoadBalancer 주소는 Docker의 VM 안에 있어 이 컴퓨터에서 바로 닿지 않습니다. 실습은 127.0.0.1 포트 매핑으로 클러스터에 닿고, LoadBalancer 주소는 kind 네트워크의 임시 컨테이너에서 확인합니다.',
        en: 'Docker Desktop: node and LoadBalancer addresses live inside Docker’s VM and do not answer from this machine. The labs reach the cluster through 127.0.0.1 port mappings and check LoadBalancer addresses from a throwaway container on the kind network.',
      },
    };
  }
  return {
    id: 'docker-kind',
    status: 'ok',
    title,
    detail: {
      ko: '이 컴퓨터에서 도는 엔진: 노드와 LoadBalancer 주소에 바로 닿습니다.',
      en: 'Engine on this machine: node and LoadBalancer addresses answer directly.',
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
