/**
 * The kind of failure a check saw, read from its English "observed" text. The texts come from src/checks
 * (failureLabel in explain.ts, the status line in http.ts); test/room/failure-kind.test.ts feeds it those very
 * texts, so a change there that this no longer understands fails a test.
 */
const KINDS: [RegExp, string][] = [
  [/connection refused/, 'refused'],
  [/\(dropped\)|no (TLS )?answer/, 'dropped'],
  [/closed without an answer/, 'reset'],
  [/certificate not trusted/, 'tls-untrusted'],
  [/TLS handshake failed/, 'tls'],
  [/does not resolve/, 'dns'],
  [/outside the lab/, 'not-lab'],
  [/no route/, 'unreachable'],
  [/not an HTTP answer/, 'protocol'],
  [/\bstatus (\d{3})\b/, 'http-$1'],
];

export function failureKind(observedEn: string): string | undefined {
  for (const [pattern, kind] of KINDS) {
    const match = pattern.exec(observedEn);
    if (match) return kind.replace('$1', match[1] ?? '');
  }
  return undefined;
}

const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b/g;
const IPV6 = /\[?\b(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}\b\]?(?::\d+)?/gi;

/** What a check saw, without the addresses in it: a room learns no address beyond its own connection's. */
export function maskAddresses(text: string): string {
  return text.replace(IPV4, '<addr>').replace(IPV6, '<addr>');
}
