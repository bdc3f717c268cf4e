import type { CommandResult } from '../platform/command.js';
import type { Cluster } from './types.js';

/**
 * Gateway API as the lab uses it: the CRDs cloud-provider-kind installs (Gateway API v1.5.0, standard channel) and
 * its GatewayClass `cloud-provider-kind` (controllerName kind.sigs.k8s.io/gateway-controller, accepted by the
 * controller at start: pkg/gateway/controller.go @ v0.11.1). Without the CRDs kubectl answers "the server doesn't
 * have a resource type" (kubernetes/cli-runtime pkg/resource/builder.go @ v0.36.1, for a NoKindMatchError only: any
 * other failure, a refused connection or a Forbidden, is passed on as it is); without the class the lab's Gateway
 * would never be programmed.
 */
export const GATEWAY_CLASS = 'cloud-provider-kind';
export const GATEWAY_CONTROLLER = 'kind.sigs.k8s.io/gateway-controller';

export type GatewayApiState =
  | { kind: 'ready' }
  | { kind: 'no-crds'; detail: string }
  | { kind: 'no-class' }
  | { kind: 'not-accepted'; controller: string }
  /** kubectl failed for another reason: nothing is known about Gateway API. */
  | { kind: 'unknown'; detail: string };

interface GatewayClassJson {
  spec?: { controllerName?: string };
  status?: { conditions?: { type?: string; status?: string }[] };
}

/** `kubectl` runs kubectl with the lab's context (a Cluster's, or doctor's). */
export async function gatewayApiState(kubectl: (args: string[]) => Promise<CommandResult>): Promise<GatewayApiState> {
  const result = await kubectl(['get', 'gatewayclass', GATEWAY_CLASS, '-o', 'json']);
  if (result.failed) {
    const stderr = result.stderr.trim();
    const detail = stderr.split('\n')[0] ?? '';
    if (/\(NotFound\)/.test(stderr)) return { kind: 'no-class' };
    if (/the server doesn't have a resource type/.test(stderr)) return { kind: 'no-crds', detail };
    return { kind: 'unknown', detail };
  }
  let gc: GatewayClassJson;
  try {
    gc = JSON.parse(result.stdout) as GatewayClassJson;
  } catch {
    return { kind: 'no-class' };
  }
  const accepted = gc.status?.conditions?.some((c) => c.type === 'Accepted' && c.status === 'True') ?? false;
  const controller = gc.spec?.controllerName ?? '';
  return accepted && controller === GATEWAY_CONTROLLER ? { kind: 'ready' } : { kind: 'not-accepted', controller };
}

export async function hasGatewayApi(cluster: Cluster): Promise<boolean> {
  return (await gatewayApiState((args) => cluster.kubectl(args))).kind === 'ready';
}
