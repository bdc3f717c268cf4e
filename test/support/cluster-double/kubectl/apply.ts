import { alreadyExists, KubectlError, namespaceNotFound, notImplemented } from '../kubectl-errors.js';
import { clone, goJson, threeWayApply, type KubeObject } from '../objects.js';
import { typeName } from '../resources.js';
import { NAMESPACES } from '../store.js';
import { unmodelledPodFields } from '../workloads.js';
import { locate, output, type KubectlCall, type KubectlOutput } from './context.js';
import { readManifests, type ManifestDoc } from './manifests.js';
import { strictDecodingMessage, unknownFields } from '../strict-fields.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** What the object looks like as kubectl sends it: the file's object with its namespace filled in. */
function asSent(doc: ManifestDoc, namespace: string, name: string): KubeObject {
  const object = clone(doc.object) as KubeObject;
  object.metadata = { ...object.metadata, name, namespace };
  return object;
}

function withLastApplied(object: KubeObject): KubeObject {
  const annotations = { ...(object.metadata.annotations ?? {}) };
  delete annotations[LAST_APPLIED];
  const recorded = { ...object, metadata: { ...object.metadata, annotations } };
  return {
    ...object,
    metadata: { ...object.metadata, annotations: { ...annotations, [LAST_APPLIED]: goJson(recorded, 0) + '\n' } },
  };
}

function applyOne(call: KubectlCall, doc: ManifestDoc, mode: 'apply' | 'create', unknown: string[]): string {
  const { resource, name, namespace } = locate(call, doc);
  if (unknown.length > 0) {
    if (call.api.get(resource, namespace, name))
      throw notImplemented(call.args, `unknown field(s) ${unknown.join(', ')} in an update of ${doc.source}`);
    throw new KubectlError(
      `Error from server (BadRequest): error when creating "${doc.source}": ${strictDecodingMessage(doc.object, unknown)}`,
    );
  }
  if (!NAMESPACES.includes(namespace)) throw namespaceNotFound('creating', doc.source, namespace);
  if (resource.kind === 'Deployment') {
    const fields = unmodelledPodFields(doc.object.spec?.template?.spec);
    if (fields.length) throw notImplemented(call.args, `pod field ${fields.join(', ')} in ${doc.source}`);
  }
  const sent = asSent(doc, namespace, name);
  const live = call.api.get(resource, namespace, name);
  const line = `${typeName(resource)}/${name}`;
  if (mode === 'create') {
    if (live) throw alreadyExists(doc.source, resource, name);
    call.api.create(resource, sent);
    return `${line} created`;
  }
  const desired = withLastApplied(sent);
  if (!live) {
    call.api.create(resource, desired);
    return `${line} created`;
  }
  const recorded = live.metadata.annotations?.[LAST_APPLIED];
  const previous: unknown = recorded ? JSON.parse(recorded) : undefined;
  const merged = threeWayApply(live, previous, desired) as KubeObject;
  return call.api.update(resource, merged, live) ? `${line} configured` : `${line} unchanged`;
}

/** `kubectl apply -f F` and `kubectl create -f F`: each object in turn; failures reported after the others went in. */
export async function applyFiles(call: KubectlCall, mode: 'apply' | 'create'): Promise<KubectlOutput> {
  if (call.invocation.files.length === 0) {
    return output([], [new KubectlError(`error: must specify one of -f and -k`)]);
  }
  let docs: ManifestDoc[];
  try {
    docs = await readManifests(call.invocation.files, call.input);
  } catch (error) {
    if (error instanceof KubectlError) return output([], [error]);
    throw error;
  }
  if (docs.length === 0) return output([], [new KubectlError(`error: no objects passed to ${mode}`)]);
  const lines: string[] = [];
  const errors: KubectlError[] = [];
  for (const doc of docs) {
    try {
      lines.push(applyOne(call, doc, mode, await unknownFields(doc.object)));
    } catch (error) {
      if (!(error instanceof KubectlError)) throw error;
      errors.push(error);
    }
  }
  await call.api.settle();
  return output(lines, errors);
}
