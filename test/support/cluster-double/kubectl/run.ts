import type { Api } from '../api.js';
import { KubectlError, notImplemented } from '../kubectl-errors.js';
import { applyFiles } from './apply.js';
import { parseArgs } from './args.js';
import type { KubectlCall, KubectlOutput } from './context.js';
import { deleteObjects } from './delete.js';
import { getObjects } from './get.js';
import { patchObject } from './patch.js';
import { rolloutStatus } from './rollout.js';
import { createGenericSecret, createTlsSecret } from './secret.js';

function dispatch(call: KubectlCall): Promise<KubectlOutput> | KubectlOutput {
  const [verb, second, third] = call.invocation.words;
  switch (verb) {
    case 'apply':
      return applyFiles(call, 'apply');
    case 'create':
      if (second === 'secret' && third === 'tls') return createTlsSecret(call);
      if (second === 'secret' && third === 'generic') return createGenericSecret(call);
      if (second !== undefined) throw notImplemented(call.args);
      return applyFiles(call, 'create');
    case 'delete':
      return deleteObjects(call);
    case 'get':
      return getObjects(call);
    case 'rollout':
      if (second !== 'status') throw notImplemented(call.args);
      return rolloutStatus(call);
    case 'patch':
      return patchObject(call);
    default:
      throw notImplemented(call.args);
  }
}

/** Interpret one kubectl command line against the double's API; anything outside the subset fails loudly. */
export async function runKubectl(
  api: Api,
  args: readonly string[],
  options: { input?: string; signal?: AbortSignal; timeoutMs?: number },
): Promise<KubectlOutput> {
  try {
    const call: KubectlCall = { api, args, invocation: parseArgs(args), ...options };
    return await dispatch(call);
  } catch (error) {
    if (error instanceof KubectlError) return { stdout: '', stderr: `${error.text}\n`, exitCode: 1 };
    throw error;
  }
}
