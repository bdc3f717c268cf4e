import { InterruptedError } from '../../../../src/core/errors.js';
import type { Api } from '../api.js';
import { KubectlError, notFound, notImplemented } from '../kubectl-errors.js';
import type { KubeObject } from '../objects.js';
import { typeName } from '../resources.js';
import type { ObjectStore, StoreEvent } from '../store.js';
import { parseArgs } from './args.js';
import { namespaceOf, target, type KubectlCall, type KubectlOutput } from './context.js';
import { parseFieldSelector } from './field-selector.js';
import { parseSelector } from './selector.js';

/**
 * `kubectl get TYPE [NAME] [-n NS] [-l SEL] [--field-selector F] --watch -o name`, as pkg/cmd/get/get.go watch()
 * (kubectl v0.36.1) does it: a named object that does not exist is a NotFound error at once; otherwise the current
 * objects are printed, then one line per change, until interrupted or the server goes away (then it exits 0: the
 * error of a closed watch is not returned).
 */
export async function watchObjects(
  api: Api,
  store: ObjectStore,
  args: readonly string[],
  onLine: (line: string) => void,
  options: { signal: AbortSignal; serverGone: Promise<void> },
): Promise<KubectlOutput> {
  try {
    const call: KubectlCall = { api, args, invocation: parseArgs(args) };
    const { words, watch, output, selector, fieldSelector } = call.invocation;
    if (words[0] !== 'get' || !watch) throw notImplemented(args, 'only get --watch streams');
    if (output !== 'name') throw notImplemented(args, 'watch output other than -o name');
    const { resource, names } = target(call, words.slice(1));
    if (names.length > 1) throw notImplemented(args, 'several names');
    if (resource.kind === 'Endpoints') throw notImplemented(args, 'watching Endpoints');
    const namespace = resource.namespaced ? namespaceOf(call) : '';
    const name = names[0];
    const labels = selector !== undefined ? parseSelector(selector) : () => true;
    const fields = fieldSelector !== undefined ? parseFieldSelector(args, fieldSelector) : () => true;
    const matches = (o: KubeObject) =>
      o.kind === resource.kind &&
      (o.metadata.namespace ?? '') === namespace &&
      (name === undefined || o.metadata.name === name) &&
      labels(o.metadata.labels ?? {}) &&
      fields(o);
    const print = (o: KubeObject) => onLine(`${typeName(resource)}/${o.metadata.name}`);

    if (name !== undefined && !api.get(resource, namespace, name)) throw notFound(resource, name);
    if (options.signal.aborted) throw new InterruptedError();
    return await new Promise<KubectlOutput>((resolve, reject) => {
      const stop = store.subscribe((event: StoreEvent) => {
        if (matches(event.object)) print(event.object);
      });
      const end = (result: KubectlOutput | undefined) => {
        stop();
        options.signal.removeEventListener('abort', onAbort);
        if (result) resolve(result);
        else reject(new InterruptedError());
      };
      const onAbort = () => end(undefined);
      options.signal.addEventListener('abort', onAbort, { once: true });
      void options.serverGone.then(() => end({ stdout: '', stderr: '', exitCode: 0 }));
      for (const object of api.list(resource, namespace)) if (matches(object)) print(object);
    });
  } catch (error) {
    if (error instanceof KubectlError) return { stdout: '', stderr: `${error.text}\n`, exitCode: 1 };
    throw error;
  }
}
