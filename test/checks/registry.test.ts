import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/registry.js';
import { CHECK_SPECS } from '../../src/checks/specs.js';

/** One valid spec per check, with placeholders as labs write them. */
const VALID: Record<string, unknown> = {
  http: { url: 'http://127.0.0.1:{{ports.nodePort}}/', status: 200, pod: 'jordy' },
  tls: {
    address: '127.0.0.1:{{ports.https}}',
    servername: 'niniz.com',
    certFile: '{{workspace}}/niniz.cert',
    sanContains: ['niniz.com'],
    notExpired: true,
  },
  refused: { address: '127.0.0.1:{{service.jordy-lb-svc.nodePort}}' },
  dropped: { url: 'http://127.0.0.1:{{ports.workerB}}/', timeoutMs: 500 },
  spread: { url: 'http://{{service.jordy-lb-svc.externalIP}}/', requests: 10, atLeast: 2, pod: 'jordy' },
  sticky: { url: 'http://{{service.jordy-lb-svc.externalIP}}/', requests: 5 },
  'source-ip': { url: 'http://127.0.0.1:{{ports.workerA}}/', expect: 'kept' },
  k8s: { kind: 'service', name: 'jordy-node-port-svc', match: { spec: { type: 'NodePort' } } },
};

describe('check registry', () => {
  it('has exactly the eight kinds of the brief, keyed by name', () => {
    expect([...CHECKS.keys()].sort()).toEqual([
      'dropped',
      'http',
      'k8s',
      'refused',
      'source-ip',
      'spread',
      'sticky',
      'tls',
    ]);
    for (const [key, def] of CHECKS) expect(def.name).toBe(key);
    // Every check has its schema in specs.ts under the same name, and specs.ts has no schema without a check.
    expect([...CHECK_SPECS.keys()].sort()).toEqual([...CHECKS.keys()].sort());
    expect([...CHECKS.values()].filter((d) => !d.network).map((d) => d.name)).toEqual(['k8s']);
  });

  it('each schema accepts a templated spec and describes it with placeholders kept', () => {
    for (const [name, spec] of Object.entries(VALID)) {
      const def = CHECKS.get(name)!;
      const parsed = CHECK_SPECS.get(def.name)!.parse(spec);
      expect(def.describe(parsed)).toMatch(name === 'k8s' ? /^kubectl --context {{context}} get / : /curl /);
    }
    expect(CHECKS.get('tls')!.describe(CHECK_SPECS.get('tls')!.parse(VALID.tls))).toBe(
      "curl -sS -k -v -o /dev/null --resolve 'niniz.com:{{ports.https}}:127.0.0.1' 'https://niniz.com:{{ports.https}}/'",
    );
    expect(CHECKS.get('refused')!.describe(CHECK_SPECS.get('refused')!.parse(VALID.refused))).toBe(
      "curl -sS --connect-timeout 3 'http://127.0.0.1:{{service.jordy-lb-svc.nodePort}}/'",
    );
    expect(CHECKS.get('spread')!.describe(CHECK_SPECS.get('spread')!.parse(VALID.spread))).toBe(
      "for i in $(seq 1 10); do curl -sS 'http://{{service.jordy-lb-svc.externalIP}}/' | grep Hostname; done",
    );
  });

  it('each schema is strict: an unknown field is refused', () => {
    for (const [name, spec] of Object.entries(VALID)) {
      expect(CHECK_SPECS.get(name)!.safeParse({ ...(spec as object), bogus: 1 }).success, name).toBe(false);
    }
  });

  it('refuses malformed specs with a message that says what is wrong', () => {
    const err = (name: string, spec: unknown) => {
      const r = CHECK_SPECS.get(name)!.safeParse(spec);
      return r.success ? '' : r.error.issues.map((i) => i.message).join('; ');
    };
    expect(err('http', { url: 'niniz.com/jordy' })).toMatch(/http:\/\/ or https:\/\//);
    expect(err('http', { url: 'http://x/', host: 'a b\r\nX-Evil: 1' })).toMatch(/host name/);
    expect(err('http', { url: 'http://x/', bodyMatches: '(' })).toMatch(/regular expression/);
    expect(err('tls', { address: '127.0.0.1', servername: 'niniz.com' })).toMatch(/host:port/);
    expect(err('tls', { address: '127.0.0.1:443', servername: 'niniz.com', fingerprint256: 'AB:CD' })).toMatch(
      /SHA-256/,
    );
    expect(err('spread', { url: 'http://x/', requests: 3, atLeast: 5 })).toMatch(/atLeast/);
    expect(err('source-ip', { url: 'http://x/', expect: 'same' })).not.toBe('');
  });
});
