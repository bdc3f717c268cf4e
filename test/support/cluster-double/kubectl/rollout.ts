import { setTimeout as sleep } from 'node:timers/promises';
import { KubectlError, notFound, notImplemented } from '../kubectl-errors.js';
import type { KubeObject } from '../objects.js';
import { parseDuration } from './args.js';
import { namespaceOf, output, target, type KubectlCall, type KubectlOutput } from './context.js';

/** kubectl's DeploymentStatusViewer: the line it prints for a deployment's state, and whether the rollout is done. */
function rolloutState(deploy: KubeObject): { line: string; done: boolean } {
  const name = deploy.metadata.name;
  const status = deploy.status ?? {};
  const generation = deploy.metadata.generation ?? 1;
  if (generation > (status.observedGeneration ?? 0))
    return { line: 'Waiting for deployment spec update to be observed...', done: false };
  const replicas = Number(deploy.spec?.replicas ?? 1);
  const updated = Number(status.updatedReplicas ?? 0);
  const total = Number(status.replicas ?? 0);
  const available = Number(status.availableReplicas ?? 0);
  const waiting = `Waiting for deployment "${name}" rollout to finish: `;
  if (updated < replicas)
    return { line: `${waiting}${updated} out of ${replicas} new replicas have been updated...`, done: false };
  if (total > updated)
    return { line: `${waiting}${total - updated} old replicas are pending termination...`, done: false };
  if (available < updated)
    return { line: `${waiting}${available} of ${updated} updated replicas are available...`, done: false };
  return { line: `deployment "${name}" successfully rolled out`, done: true };
}

/** `kubectl rollout status deployment/NAME [--timeout=D]`: waits, printing each new state. */
export async function rolloutStatus(call: KubectlCall): Promise<KubectlOutput> {
  const { resource, names } = target(call, call.invocation.words.slice(2));
  if (resource.kind !== 'Deployment' || names.length !== 1)
    throw notImplemented(call.args, 'rollout status of one deployment');
  const timeoutText = call.invocation.timeout;
  const flagMs = timeoutText === undefined ? undefined : parseDuration(timeoutText);
  if (timeoutText !== undefined && flagMs === undefined) {
    return output(
      [],
      [
        new KubectlError(
          `error: invalid argument "${timeoutText}" for "--timeout" flag: time: invalid duration "${timeoutText}"`,
        ),
      ],
    );
  }
  const limitMs = flagMs || undefined;
  const deadline = limitMs === undefined ? Infinity : Date.now() + limitMs;
  const lines: string[] = [];
  for (;;) {
    // Cancelled by the caller, or the call's own time limit ran out: the reason says which.
    if (call.signal?.aborted) throw call.signal.reason;
    const deploy = call.api.get(resource, namespaceOf(call), names[0]!);
    if (!deploy) return output(lines, [notFound(resource, names[0]!)]);
    const state = rolloutState(deploy);
    if (lines[lines.length - 1] !== state.line) lines.push(state.line);
    if (state.done) return output(lines, []);
    if (Date.now() >= deadline) return output(lines, [new KubectlError('error: timed out waiting for the condition')]);
    await sleep(50);
  }
}
