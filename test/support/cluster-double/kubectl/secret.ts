import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { KubectlError, notImplemented } from '../kubectl-errors.js';
import { resourceOfKind } from '../resources.js';
import { NAMESPACES } from '../store.js';
import { namespaceOf, output, type KubectlCall, type KubectlOutput } from './context.js';

async function read(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch {
    throw new KubectlError(`error: open ${file}: no such file or directory`);
  }
}

/** Like Go's tls.X509KeyPair, which kubectl runs before it sends the secret. */
function checkKeyPair(cert: Buffer, key: Buffer): void {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(cert);
  } catch {
    throw new KubectlError('error: failed to load key pair tls: failed to find any PEM data in certificate input');
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    throw new KubectlError('error: failed to load key pair tls: failed to find any PEM data in key input');
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new KubectlError('error: failed to load key pair tls: private key does not match public key');
  }
}

/**
 * What both forms do once they have their NAME: read the files (`contents`, which may refuse them), then ask the
 * API server, whose refusals kubectl prints as `failed to create secret …`.
 */
async function createSecret(
  call: KubectlCall,
  name: string,
  contents: () => Promise<{ type: string; data: Record<string, string> }>,
): Promise<KubectlOutput> {
  const namespace = namespaceOf(call);
  try {
    const { type, data } = await contents();
    if (!NAMESPACES.includes(namespace))
      throw new KubectlError(`error: failed to create secret namespaces "${namespace}" not found`);
    const secrets = resourceOfKind('Secret');
    if (call.api.get(secrets, namespace, name))
      throw new KubectlError(`error: failed to create secret secrets "${name}" already exists`);
    call.api.create(secrets, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace, uid: '', resourceVersion: '', creationTimestamp: '' },
      type,
      data,
    });
  } catch (error) {
    if (error instanceof KubectlError) return output([], [error]);
    throw error;
  }
  await call.api.settle();
  return output([`secret/${name} created`], []);
}

/** `kubectl create secret tls NAME --cert=F --key=F`. */
export async function createTlsSecret(call: KubectlCall): Promise<KubectlOutput> {
  const names = call.invocation.words.slice(3);
  if (names.length !== 1)
    return output([], [new KubectlError(`error: exactly one NAME is required, got ${names.length}`)]);
  const { cert, key } = call.invocation;
  if (!cert || !key)
    return output([], [new KubectlError('error: --cert and --key are both required for a tls secret')]);
  return createSecret(call, names[0]!, async () => {
    const [certBytes, keyBytes] = [await read(cert), await read(key)];
    checkKeyPair(certBytes, keyBytes);
    return {
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': certBytes.toString('base64'), 'tls.key': keyBytes.toString('base64') },
    };
  });
}

/**
 * `kubectl create secret generic NAME --from-file=[key=]path …`: an Opaque Secret, one data key per file (the key
 * is the file's base name unless given). Nothing checks that the files make a TLS pair: that is the mistake a
 * learner makes with it instead of `create secret tls`. Failures are worded as for the tls form above.
 */
export async function createGenericSecret(call: KubectlCall): Promise<KubectlOutput> {
  const names = call.invocation.words.slice(3);
  if (names.length !== 1)
    return output([], [new KubectlError(`error: exactly one NAME is required, got ${names.length}`)]);
  if (call.invocation.fromFiles.length === 0) throw notImplemented(call.args, 'only --from-file is modelled');
  return createSecret(call, names[0]!, async () => {
    const data: Record<string, string> = {};
    for (const source of call.invocation.fromFiles) {
      const eq = source.indexOf('=');
      const [key, file] = eq > 0 ? [source.slice(0, eq), source.slice(eq + 1)] : [basename(source), source];
      data[key] = (await read(file)).toString('base64');
    }
    return { type: 'Opaque', data };
  });
}
