import { KubectlError, notFound, notFoundIn, notImplemented } from '../kubectl-errors.js';
import { typeName, type Resource } from '../resources.js';
import { locate, namespaceOf, output, target, type KubectlCall, type KubectlOutput } from './context.js';
import { readManifests } from './manifests.js';

const DELETABLE = new Set<Resource['kind']>([
  'Service',
  'Deployment',
  'Ingress',
  'Secret',
  'Pod',
  'Gateway',
  'HTTPRoute',
]);

function deletedLine(resource: Resource, name: string, namespace: string): string {
  const what = `${typeName(resource)} "${name}" deleted`;
  return resource.namespaced ? `${what} from ${namespace} namespace` : what;
}

/** `kubectl delete -f F` and `kubectl delete KIND NAME…`, with `--ignore-not-found`. */
export async function deleteObjects(call: KubectlCall): Promise<KubectlOutput> {
  const lines: string[] = [];
  const errors: KubectlError[] = [];
  const attempt = (run: () => void) => {
    try {
      run();
    } catch (error) {
      if (!(error instanceof KubectlError)) throw error;
      errors.push(error);
    }
  };
  const { files, ignoreNotFound } = call.invocation;
  const words = call.invocation.words.slice(1);
  if (files.length > 0) {
    if (words.length > 0) throw notImplemented(call.args, 'both -f and names');
    let docs;
    try {
      docs = await readManifests(files, call.input);
    } catch (error) {
      if (error instanceof KubectlError) return output([], [error]);
      throw error;
    }
    for (const doc of docs) {
      attempt(() => {
        const { resource, name, namespace } = locate(call, doc);
        if (!call.api.remove(resource, namespace, name)) {
          if (!ignoreNotFound) throw notFoundIn('deleting', doc.source, resource, name);
          return;
        }
        lines.push(deletedLine(resource, name, namespace));
      });
    }
  } else {
    const { resource, names } = target(call, words);
    if (!DELETABLE.has(resource.kind)) throw notImplemented(call.args, `deleting ${resource.plural}`);
    if (names.length === 0)
      return output([], [new KubectlError('error: resource(s) were provided, but no name was specified')]);
    const namespace = namespaceOf(call);
    for (const name of names) {
      attempt(() => {
        if (!call.api.remove(resource, namespace, name)) {
          if (!ignoreNotFound) throw notFound(resource, name);
          return;
        }
        lines.push(deletedLine(resource, name, namespace));
      });
    }
  }
  await call.api.settle();
  return output(lines, errors);
}
