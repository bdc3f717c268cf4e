import type { Api } from '../api.js';
import { KubectlError, noMatch, notImplemented } from '../kubectl-errors.js';
import { classifyManifest, resourceNamed, type Resource } from '../resources.js';
import type { Invocation } from './args.js';
import type { ManifestDoc } from './manifests.js';

/** One kubectl call being interpreted. */
export interface KubectlCall {
  api: Api;
  args: readonly string[];
  invocation: Invocation;
  input?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** What kubectl printed; a non-empty `errors` list means exit code 1 (each error goes to stderr). */
export interface KubectlOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export function output(stdout: string[], errors: KubectlError[], warnings: string[] = []): KubectlOutput {
  return {
    stdout: stdout.map((l) => (l.endsWith('\n') ? l : `${l}\n`)).join(''),
    stderr: [...warnings, ...errors.map((e) => e.text)].map((l) => `${l}\n`).join(''),
    exitCode: errors.length > 0 ? 1 : 0,
  };
}

export function namespaceOf(call: KubectlCall): string {
  return call.invocation.namespace ?? 'default';
}

/** The resource, name and namespace of a manifest object, or kubectl's error for it. */
export function locate(call: KubectlCall, doc: ManifestDoc): { resource: Resource; name: string; namespace: string } {
  const { apiVersion, kind, metadata } = doc.object;
  const missing = [apiVersion ? '' : 'apiVersion not set', kind ? '' : 'kind not set'].filter(Boolean);
  if (missing.length) {
    throw new KubectlError(
      `error: error validating "${doc.source}": error validating data: [${missing.join(', ')}]; if you choose to ignore these errors, turn validation off with --validate=false`,
    );
  }
  const name = String(metadata?.name ?? '');
  const fromObject: string | undefined = metadata?.namespace;
  const kindOf = classifyManifest(String(apiVersion), String(kind));
  if (kindOf.type === 'no-match') throw noMatch(name, fromObject ?? '', doc.source, String(kind), String(apiVersion));
  if (kindOf.type === 'not-modelled') throw notImplemented(call.args, `${kind} of ${apiVersion} in ${doc.source}`);
  if (!name) throw new KubectlError(`error: resource name may not be empty (in ${doc.source})`);
  const flag = call.invocation.namespace;
  if (fromObject && flag && fromObject !== flag) {
    throw new KubectlError(
      `error: the namespace from the provided object "${fromObject}" does not match the namespace "${flag}". You must pass '--namespace=${fromObject}' to perform this operation.`,
    );
  }
  return { resource: kindOf.resource, name, namespace: fromObject ?? flag ?? 'default' };
}

/** `svc x`, `svc/x`, `svc x y`: the resource and names of a command's target words. */
export function target(call: KubectlCall, words: readonly string[]): { resource: Resource; names: string[] } {
  const [first, ...rest] = words;
  if (!first) throw new KubectlError('error: You must specify the type of resource to get.');
  if (first.includes(',')) throw notImplemented(call.args, 'several resource types at once');
  const slash = first.indexOf('/');
  const word = slash >= 0 ? first.slice(0, slash) : first;
  const resource = resourceNamed(word);
  if (!resource) throw notImplemented(call.args, `resource type ${word}`);
  const names = slash >= 0 ? [first.slice(slash + 1), ...rest] : rest;
  return { resource, names };
}
