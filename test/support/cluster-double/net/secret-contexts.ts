import tls, { type SecureContext } from 'node:tls';
import type { KubeObject } from '../objects.js';

/**
 * The TLS contexts Envoy serves from Secrets, made from the keys tls.crt and tls.key and kept per Secret until its
 * resourceVersion changes. A Secret whose keys do not make a context (missing, not PEM, a key that does not match
 * the certificate) gives undefined, remembered the same way.
 */
export class SecretContexts {
  private readonly cache = new Map<string, { version: string; context: SecureContext | undefined }>();

  of(secret: KubeObject): SecureContext | undefined {
    const key = `${secret.metadata.namespace}/${secret.metadata.name}`;
    const cached = this.cache.get(key);
    if (cached?.version === secret.metadata.resourceVersion) return cached.context;
    const data = (secret.data ?? {}) as Record<string, string>;
    let context: SecureContext | undefined;
    try {
      context = tls.createSecureContext({
        cert: Buffer.from(data['tls.crt'] ?? '', 'base64'),
        key: Buffer.from(data['tls.key'] ?? '', 'base64'),
      });
    } catch {
      context = undefined;
    }
    this.cache.set(key, { version: secret.metadata.resourceVersion, context });
    return context;
  }
}
