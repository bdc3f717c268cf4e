import { UserError } from '../../core/errors.js';
import { poll } from '../../core/poll.js';
import { run } from '../../platform/exec.js';
import type { Exec } from '../../platform/command.js';
import { ensureManifest, manifestPath, cachedManifestOk } from '../manifests.js';
import type { Cluster } from '../types.js';
import type { Reporter } from '../../core/reporter.js';
import { CLOUD_PROVIDER_KIND_IMAGE, CONTOUR_NAMESPACE } from '../versions.js';
import { KIND_NETWORK } from './reachability.js';
import { MANAGED_LABEL, ccmContainerName, type KindSettings } from './settings.js';
import { toolCommand } from '../../platform/invocation.js';

/** `docker inspect` of the cloud-provider-kind container: "<status> <image>", or undefined when it does not exist. */
async function ccmState(
  exec: Exec,
  name: string,
  signal: AbortSignal,
): Promise<{ status: string; image: string } | undefined> {
  const result = await exec(
    { file: 'docker', args: ['inspect', '--format', '{{.State.Status}} {{.Config.Image}}', name] },
    { signal },
  );
  const [status = '', image = ''] = result.stdout.trim().split(/\s+/);
  return result.failed || !status ? undefined : { status, image };
}

/** The command that starts cloud-provider-kind; printed as is for the learner. */
export function ccmRunArgs(cluster: string): string[] {
  return [
    'run',
    '-d',
    '--name',
    ccmContainerName(cluster),
    '--label',
    `${MANAGED_LABEL}=${cluster}`,
    '--network',
    KIND_NETWORK,
    '--restart',
    'unless-stopped',
    '-v',
    '/var/run/docker.sock:/var/run/docker.sock',
    CLOUD_PROVIDER_KIND_IMAGE,
    // Leave Ingress to Contour: its default IngressClass would otherwise claim Ingresses that name no class.
    '--enable-default-ingress=false',
  ];
}

function addonNotReady(what: string, seconds: number, look: string): UserError {
  return new UserError(
    {
      ko: `${what}이(가) ${seconds}초 안에 준비되지 않았습니다.`,
      en: `${what} was not ready within ${seconds} s.`,
    },
    {
      ko: `무엇이 막혔는지 보세요: ${look}\n같은 명령을 다시 실행하면 이어서 기다립니다. 자주 나오는 원인은 ${toolCommand()} doctor 가 알려 줍니다.`,
      en: `See what is stuck: ${look}\nRunning the same command again resumes the wait. ${toolCommand()} doctor names the usual causes.`,
    },
  );
}

/**
 * cloud-provider-kind as a named, labelled container on the `kind` network, waited on until it runs.
 * An existing container with the pinned image is kept. Returns whether this call started it.
 */
export async function ensureCloudProviderKind(
  settings: KindSettings,
  cluster: string,
  dryRun: boolean,
  signal: AbortSignal,
): Promise<boolean> {
  const { exec } = settings;
  const name = ccmContainerName(cluster);
  const before = await ccmState(exec, name, signal);
  if (before?.status === 'running' && before.image === CLOUD_PROVIDER_KIND_IMAGE) return false;
  if (before) await run(exec, { file: 'docker', args: ['rm', '-f', name] }, signal);
  await run(exec, { file: 'docker', args: ccmRunArgs(cluster) }, signal);
  if (dryRun) return true;
  const last = await poll(() => ccmState(exec, name, signal), {
    done: (state) => state?.status === 'running',
    stop: (state) => state?.status === 'exited' || state?.status === 'dead',
    deadlineMs: settings.waits.ccmMs,
    signal,
  });
  if (last?.status !== 'running') {
    throw addonNotReady('cloud-provider-kind', Math.ceil(settings.waits.ccmMs / 1000), `docker logs ${name}`);
  }
  return true;
}

/**
 * Contour from its pinned URL: downloaded to the cache and checked against the pinned sha256 before it is
 * applied, then waited on (the contour Deployment, the envoy DaemonSet).
 */
export async function installContour(
  settings: KindSettings,
  cluster: Cluster,
  reporter: Reporter,
  dryRun: boolean,
  signal: AbortSignal,
): Promise<void> {
  const pin = settings.contour;
  let file = manifestPath(settings.cacheDir, pin);
  if (dryRun) {
    if (!(await cachedManifestOk(settings.cacheDir, pin))) {
      reporter.note({
        ko: `# 내려받기: ${pin.url}\n#   → ${file} (sha256 ${pin.sha256} 확인 후에만 적용)`,
        en: `# download: ${pin.url}\n#   → ${file} (applied only if its sha256 is ${pin.sha256})`,
      });
    }
  } else {
    file = await ensureManifest(pin, { cacheDir: settings.cacheDir, fetch: settings.fetch, signal });
  }
  const apply = await cluster.kubectl(['apply', '-f', file], { signal });
  if (apply.failed) {
    throw new UserError(
      {
        ko: `Contour 매니페스트를 적용하지 못했습니다:\n${apply.stderr.trim()}`,
        en: `Applying the Contour manifest failed:\n${apply.stderr.trim()}`,
      },
      {
        ko: `다시 실행해 보세요: ${cluster.kubectlLine(['apply', '-f', file])}`,
        en: `Try again: ${cluster.kubectlLine(['apply', '-f', file])}`,
      },
    );
  }
  const seconds = settings.waits.contourSeconds;
  for (const workload of ['deployment/contour', 'daemonset/envoy']) {
    const args = ['-n', CONTOUR_NAMESPACE, 'rollout', 'status', workload, `--timeout=${seconds}s`];
    const result = await cluster.kubectl(args, { signal, timeoutMs: (seconds + 30) * 1000 });
    if (result.failed) {
      throw addonNotReady(
        `Contour (${workload})`,
        seconds,
        cluster.kubectlLine(['-n', CONTOUR_NAMESPACE, 'get', 'pods', '-o', 'wide']),
      );
    }
  }
}

interface ServiceStatus {
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

/** The address cloud-provider-kind gave a LoadBalancer Service, if any yet. */
export function loadBalancerAddress(serviceJson: string): string | undefined {
  try {
    const ingress = (JSON.parse(serviceJson) as ServiceStatus).status?.loadBalancer?.ingress?.[0];
    return ingress?.ip || ingress?.hostname || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Proof that cloud-provider-kind serves this cluster: Contour's envoy Service (type LoadBalancer) gets an
 * external address.
 */
export async function waitForLoadBalancer(
  settings: KindSettings,
  cluster: Cluster,
  dryRun: boolean,
  signal: AbortSignal,
): Promise<string | undefined> {
  const args = ['-n', CONTOUR_NAMESPACE, 'get', 'service', 'envoy', '-o', 'json'];
  if (dryRun) {
    await cluster.kubectl(args, { signal });
    return undefined;
  }
  const last = await poll(
    async () => {
      const result = await cluster.kubectl(args, { signal });
      return result.failed ? undefined : loadBalancerAddress(result.stdout);
    },
    { done: (address) => address !== undefined, deadlineMs: settings.waits.lbAddressMs, signal },
  );
  if (!last) {
    throw addonNotReady(
      'cloud-provider-kind (envoy Service EXTERNAL-IP)',
      Math.ceil(settings.waits.lbAddressMs / 1000),
      `docker logs ${ccmContainerName(cluster.name)}`,
    );
  }
  return last;
}
