import { UserError } from '../../core/errors.js';
import { poll } from '../../core/poll.js';
import { ensureManifest, manifestPath, cachedManifestOk } from '../manifests.js';
import type { Cluster } from '../types.js';
import type { Reporter } from '../../core/reporter.js';
import { CONTOUR_NAMESPACE } from '../versions.js';
import { CONTROLLER_NAME } from './controller.js';
import type { KindSettings } from './settings.js';
import { toolCommand } from '../../platform/invocation.js';
import { withParticle } from '../../core/korean.js';

function addonNotReady(what: string, seconds: number, look: string): UserError {
  return new UserError(
    {
      ko: `${withParticle(what, '이/가')} ${seconds}초 안에 준비되지 않았습니다.`,
      en: `${what} was not ready within ${seconds} s.`,
    },
    {
      ko: `무엇이 막혔는지 보세요: ${look}\n만든 클러스터는 남겨 두었습니다. 같은 명령을 다시 실행하면 이어서 기다립니다. 자주 나오는 원인은 ${toolCommand()} doctor 가 알려 줍니다.`,
      en: `See what is stuck: ${look}\nThe cluster is kept: running the same command again resumes the wait. ${toolCommand()} doctor names the usual causes.`,
    },
  );
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
      `docker logs ${CONTROLLER_NAME}`,
    );
  }
  return last;
}
