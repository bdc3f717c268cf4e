import { KubectlError, notFound, notImplemented } from '../kubectl-errors.js';
import type { KubeObject } from '../objects.js';
import { typeName } from '../resources.js';
import { namespaceOf, output, target, type KubectlCall, type KubectlOutput } from './context.js';
import { asList, printJson, printTable, printYaml } from './printers.js';
import { parseSelector } from './selector.js';
import { parseFieldSelector } from './field-selector.js';

const ENDPOINTS_WARNING = 'Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice';

/** `kubectl get KIND [NAME] [-l SEL] [-o json|yaml|wide|name]`. */
export function getObjects(call: KubectlCall): KubectlOutput {
  const { resource, names } = target(call, call.invocation.words.slice(1));
  // A real `get --watch` runs until interrupted; only Cluster.watch, which streams, can serve it.
  if (call.invocation.watch) throw notImplemented(call.args, '--watch outside Cluster.watch');
  const format = call.invocation.output;
  if (format !== undefined && !['json', 'yaml', 'wide', 'name'].includes(format))
    throw notImplemented(call.args, `-o ${format}`);
  if (names.length > 1) throw notImplemented(call.args, 'several names');
  const warnings = resource.kind === 'Endpoints' ? [ENDPOINTS_WARNING] : [];
  const namespace = namespaceOf(call);
  const selector = call.invocation.selector;
  const name = names[0];
  if (name !== undefined && call.invocation.fieldSelector !== undefined)
    throw notImplemented(call.args, 'a name and --field-selector');
  if (name !== undefined && selector !== undefined) {
    return output([], [new KubectlError('error: name cannot be provided when a selector is specified')], warnings);
  }

  let objects: KubeObject[];
  if (name !== undefined) {
    const found = call.api.get(resource, namespace, name);
    if (!found) return output([], [notFound(resource, name)], warnings);
    objects = [found];
  } else {
    const test = selector !== undefined ? parseSelector(selector) : () => true;
    const field = call.invocation.fieldSelector;
    const fields = field !== undefined ? parseFieldSelector(call.args, field) : () => true;
    objects = call.api.list(resource, namespace).filter((o) => test(o.metadata.labels ?? {}) && fields(o));
  }

  const single = name !== undefined ? objects[0] : undefined;
  switch (format) {
    case 'json':
      return output([printJson(single ?? asList(objects))], [], warnings);
    case 'yaml':
      return output([printYaml(single ?? asList(objects))], [], warnings);
    case 'name':
      return output(
        objects.map((o) => `${typeName(resource)}/${o.metadata.name}`),
        [],
        warnings,
      );
    default:
      if (objects.length === 0) {
        const where = resource.namespaced ? ` in ${namespace} namespace.` : '';
        return output([], [], [...warnings, `No resources found${where}`]);
      }
      return output([printTable(resource, objects, format === 'wide')], [], warnings);
  }
}
