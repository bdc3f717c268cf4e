import { parse } from 'yaml';
import { KubectlError, notFound, notImplemented } from '../kubectl-errors.js';
import { clone, isObject, mergePatch, type KubeObject } from '../objects.js';
import { typeName, type Resource } from '../resources.js';
import { namespaceOf, output, target, type KubectlCall, type KubectlOutput } from './context.js';

const PATCHABLE = new Set<Resource['kind']>(['Service', 'Deployment', 'Ingress', 'Secret']);

function hasList(value: unknown): boolean {
  if (Array.isArray(value)) return true;
  return isObject(value) && Object.values(value).some(hasList);
}

/**
 * `kubectl patch KIND NAME -p PATCH [--type=merge]`. A merge patch is RFC 7386; the default strategic patch is
 * the same as long as it holds no list (lists merge by key there, which the double does not model: it refuses).
 */
export async function patchObject(call: KubectlCall): Promise<KubectlOutput> {
  const { resource, names } = target(call, call.invocation.words.slice(1));
  if (!PATCHABLE.has(resource.kind) || names.length !== 1)
    throw notImplemented(call.args, 'patching one service, deployment, ingress or secret');
  const name = names[0]!;
  const text = call.invocation.patch;
  if (text === undefined) {
    return output(
      [],
      [new KubectlError('error: must specify --patch or --patch-file containing the contents of the patch')],
    );
  }
  const type = call.invocation.patchType ?? 'strategic';
  if (type !== 'merge' && type !== 'strategic') throw notImplemented(call.args, `--type=${type}`);
  let patch: unknown;
  try {
    patch = parse(text);
  } catch (error) {
    return output(
      [],
      [new KubectlError(`error: unable to parse "${text}": ${(error as Error).message.split('\n')[0]}`)],
    );
  }
  if (type === 'strategic' && hasList(patch))
    throw notImplemented(call.args, 'a strategic merge patch with lists; use --type=merge');
  const namespace = namespaceOf(call);
  const live = call.api.get(resource, namespace, name);
  if (!live) return output([], [notFound(resource, name)]);
  const patched = mergePatch(live, patch) as KubeObject;
  patched.metadata = {
    ...patched.metadata,
    uid: live.metadata.uid,
    name,
    namespace: live.metadata.namespace,
    creationTimestamp: live.metadata.creationTimestamp,
  };
  patched.status = clone(live.status);
  let changed: boolean;
  try {
    changed = call.api.update(resource, patched, live);
  } catch (error) {
    if (error instanceof KubectlError) return output([], [error]);
    throw error;
  }
  await call.api.settle();
  return output([`${typeName(resource)}/${name} patched${changed ? '' : ' (no change)'}`], []);
}
