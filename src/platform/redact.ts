/**
 * `--verbose` output ends up in bug reports: keep private keys out of it (the TLS lab's Secret holds one, and
 * `kubectl get secret -o json` prints it base64-encoded).
 */
const PEM_KEY = /-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]*?-----END \1PRIVATE KEY-----/g;
const SECRET_KEY_FIELD = /("tls\.key"\s*:\s*")[^"]*(")/g;

export function redactSecrets(text: string): string {
  return text.replace(PEM_KEY, '<private key redacted>').replace(SECRET_KEY_FIELD, '$1<redacted>$2');
}
