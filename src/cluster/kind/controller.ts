import { UserError } from '../../core/errors.js';
import { poll } from '../../core/poll.js';
import { run } from '../../platform/exec.js';
import type { Exec } from '../../platform/command.js';
import type { EngineProfile } from '../engine-profile.js';
import { CLOUD_PROVIDER_KIND_REPOSITORY } from '../versions.js';
import { MANAGED_LABEL, type KindSettings } from './settings.js';

/**
 * One cloud-provider-kind per machine. It serves every kind cluster it finds: it lists them every 30 s and
 * starts a cloud controller for each, with no leader election ("TODO: implement leader election",
 * pkg/controller/controller.go@v0.11.1). Two controllers create and delete the same `kindccm-…` containers, so
 * this tool runs exactly one, under a fixed name, shared by every cluster it makes (and by `npm run test:kind`).
 */
export const CONTROLLER_NAME = 'expose-labs-cloud-provider-kind';
/** Docker label of the shared controller (its name could be taken by hand; the label says this tool made it). */
export const CONTROLLER_LABEL = 'expose-labs.role=cloud-provider-kind';

/** The command that starts the shared controller; printed as is for the learner. */
export function controllerRunArgs(profile: EngineProfile): string[] {
  return [
    'run',
    '-d',
    '--name',
    CONTROLLER_NAME,
    '--label',
    CONTROLLER_LABEL,
    '--network',
    profile.network,
    '--restart',
    'unless-stopped',
    '-v',
    `${profile.socket}:/var/run/docker.sock`,
    // Its load balancers join this network too (pkg/loadbalancer/server.go@v0.11.1 reads the same variable).
    ...(profile.network === 'kind' ? [] : ['-e', `KIND_EXPERIMENTAL_DOCKER_NETWORK=${profile.network}`]),
    profile.controllerImage,
    // Said explicitly, though it is the default (cmd/app.go@v0.11.1 and @v0.10.0): the Gateway API CRDs it installs.
    '--gateway-channel=standard',
    // Leave Ingress to Contour: as the default IngressClass it would also claim Ingresses that name no class
    // (isIngressForUs and handleIngressClass, pkg/ingress/controller.go@v0.11.1 and @v0.10.0).
    '--enable-default-ingress=false',
  ];
}

interface ContainerState {
  status: string;
  image: string;
}

/** `docker inspect` of the shared controller, or undefined when it does not exist. */
export async function controllerState(exec: Exec, signal?: AbortSignal): Promise<ContainerState | undefined> {
  const result = await exec(
    { file: 'docker', args: ['inspect', '--format', '{{.State.Status}} {{.Config.Image}}', CONTROLLER_NAME] },
    { signal },
  );
  const [status = '', image = ''] = result.stdout.trim().split(/\s+/);
  return result.failed || !status ? undefined : { status, image };
}

export interface OtherController {
  name: string;
  image: string;
  /** Started by an earlier expose-labs (one controller per cluster, labelled with the cluster's name). */
  ours: boolean;
}

/** Running containers of the controller image (any tag) other than the shared one. */
export async function otherControllers(exec: Exec, signal?: AbortSignal): Promise<OtherController[]> {
  const result = await exec(
    { file: 'docker', args: ['ps', '--format', '{{.Names}}\t{{.Image}}\t{{.Labels}}'] },
    { signal },
  );
  if (result.failed) return [];
  return result.stdout
    .split('\n')
    .map((line) => line.split('\t'))
    .filter(([name, image]) => name && name !== CONTROLLER_NAME && image?.startsWith(CLOUD_PROVIDER_KIND_REPOSITORY))
    .map(([name, image, labels]) => ({
      name: name!,
      image: image!,
      ours: (labels ?? '').split(',').some((l) => l.startsWith(`${MANAGED_LABEL}=`)),
    }));
}

export function otherControllerError(others: OtherController[]): UserError {
  const names = others.map((o) => `${o.name} (${o.image})`).join(', ');
  return new UserError(
    {
      ko: `다른 cloud-provider-kind가 이미 돌고 있습니다: ${names}. 둘이 함께 돌면 이 컴퓨터의 모든 kind 클러스터에서 같은 로드 밸런서 컨테이너를 서로 만들고 지웁니다.`,
      en: `Another cloud-provider-kind is running: ${names}. Two of them fight over the load balancer containers of every kind cluster on this machine.`,
    },
    {
      ko: `멈추세요: docker rm -f ${others.map((o) => o.name).join(' ')}\nexpose-labs가 하나(${CONTROLLER_NAME})를 띄워 모든 kind 클러스터가 함께 씁니다.`,
      en: `Stop it: docker rm -f ${others.map((o) => o.name).join(' ')}\nexpose-labs then runs one (${CONTROLLER_NAME}) that every kind cluster shares.`,
    },
  );
}

/**
 * The shared controller, running the image this engine needs, waited on until it runs. A running one with that
 * image is kept; controllers an earlier expose-labs started per cluster are replaced; anyone else's stops the
 * run with its fix. Returns whether this call started it.
 */
export async function ensureController(
  settings: KindSettings,
  profile: EngineProfile,
  dryRun: boolean,
  signal: AbortSignal,
): Promise<boolean> {
  const { exec } = settings;
  const others = await otherControllers(exec, signal);
  const foreign = others.filter((o) => !o.ours);
  if (foreign.length > 0) throw otherControllerError(foreign);
  const legacy = others.map((o) => o.name);
  if (legacy.length > 0) await run(exec, { file: 'docker', args: ['rm', '-f', ...legacy] }, signal);
  const before = await controllerState(exec, signal);
  if (before?.status === 'running' && before.image === profile.controllerImage) return false;
  if (before) await run(exec, { file: 'docker', args: ['rm', '-f', CONTROLLER_NAME] }, signal);
  await run(exec, { file: 'docker', args: controllerRunArgs(profile) }, signal);
  if (dryRun) return true;
  const last = await poll(() => controllerState(exec, signal), {
    done: (state) => state?.status === 'running',
    stop: (state) => state?.status === 'exited' || state?.status === 'dead',
    deadlineMs: settings.waits.ccmMs,
    signal,
  });
  if (last?.status !== 'running') {
    throw new UserError(
      {
        ko: `cloud-provider-kind가 ${Math.ceil(settings.waits.ccmMs / 1000)}초 안에 시작하지 않았습니다.`,
        en: `cloud-provider-kind did not start within ${Math.ceil(settings.waits.ccmMs / 1000)} s.`,
      },
      {
        ko: `로그를 보세요: docker logs ${CONTROLLER_NAME}\n클러스터는 남아 있으니 같은 명령을 다시 실행하면 이어서 합니다.`,
        en: `Read its log: docker logs ${CONTROLLER_NAME}\nThe cluster is kept: running the same command again resumes.`,
      },
    );
  }
  return true;
}
