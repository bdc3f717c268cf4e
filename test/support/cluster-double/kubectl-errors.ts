import { formatCommand } from '../../../src/platform/command.js';
import { qualifiedPlural, type Resource } from './resources.js';

/** A failure kubectl prints on stderr (exit 1), worded as today's kubectl words it. */
export class KubectlError extends Error {
  override readonly name = 'KubectlError';
  constructor(readonly text: string) {
    super(text);
  }
}

/** A call outside the subset the double understands: it fails loudly rather than guessing. */
export function notImplemented(args: readonly string[], detail?: string): KubectlError {
  const line = formatCommand({ file: 'kubectl', args });
  return new KubectlError(`the cluster double does not implement: ${line}${detail ? ` (${detail})` : ''}`);
}

export function notFound(resource: Resource, name: string): KubectlError {
  return new KubectlError(`Error from server (NotFound): ${qualifiedPlural(resource)} "${name}" not found`);
}

/** `apply -f`/`delete -f`: the server's error with the file it came from. */
export function notFoundIn(
  verb: 'creating' | 'deleting' | 'patching',
  file: string,
  resource: Resource,
  name: string,
): KubectlError {
  return new KubectlError(
    `Error from server (NotFound): error when ${verb} "${file}": ${qualifiedPlural(resource)} "${name}" not found`,
  );
}

export function namespaceNotFound(verb: 'creating', file: string, namespace: string): KubectlError {
  return new KubectlError(
    `Error from server (NotFound): error when ${verb} "${file}": namespaces "${namespace}" not found`,
  );
}

export function alreadyExists(file: string | undefined, resource: Resource, name: string): KubectlError {
  const what = `${qualifiedPlural(resource)} "${name}" already exists`;
  return new KubectlError(
    file
      ? `Error from server (AlreadyExists): error when creating "${file}": ${what}`
      : `Error from server (AlreadyExists): ${what}`,
  );
}

/** kubectl's rendering of an Invalid status: one cause on the same line, several as a bullet list. */
export function invalid(kind: string, name: string, causes: readonly string[]): KubectlError {
  const head = `The ${kind} "${name}" is invalid: `;
  if (causes.length === 1) return new KubectlError(head + causes[0]);
  return new KubectlError(`${head}\n${causes.map((c) => `* ${c}`).join('\n')}`);
}

/** What kubectl says for an apiVersion/kind the server does not serve (e.g. the post's extensions/v1beta1 Ingress). */
export function noMatch(name: string, namespace: string, file: string, kind: string, apiVersion: string): KubectlError {
  return new KubectlError(
    `error: resource mapping not found for name: "${name}" namespace: "${namespace}" from "${file}": ` +
      `no matches for kind "${kind}" in version "${apiVersion}"\nensure CRDs are installed first`,
  );
}
