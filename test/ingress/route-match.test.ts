import { describe, expect, it } from 'vitest';
import { matchIngress, type IngressSpec } from '../../src/ingress/route-match.js';

/** Contour v1.33.6 (internal/dag/ingress_processor.go, internal/sorter/sorter.go): what Envoy routes a request to. */
const to = (name: string) => ({ service: { name, port: { number: 80 } } });
const path = (p: string, pathType: string, name: string) => ({ path: p, pathType, backend: to(name) });
const service = (spec: IngressSpec, host: string, p: string) => matchIngress(spec, host, p)?.backend.service;

describe('matchIngress (Contour → Envoy routes)', () => {
  const spec: IngressSpec = {
    defaultBackend: to('fallback'),
    rules: [
      { host: 'niniz.com', http: { paths: [path('/jordy', 'Prefix', 'jordy')] } },
      { host: '*.niniz.com', http: { paths: [path('/', 'Prefix', 'wild')] } },
      { http: { paths: [path('/any', 'Prefix', 'any')] } },
    ],
  };

  it('picks the virtual host first: a path its host lacks is 404, not the `*` rules or the defaultBackend', () => {
    expect(service(spec, 'niniz.com', '/jordy/hello')).toBe('jordy');
    expect(matchIngress(spec, 'niniz.com', '/any')).toBeUndefined();
    expect(matchIngress(spec, 'niniz.com', '/')).toBeUndefined();
    expect(service(spec, 'NINIZ.com', '/jordy')).toBe('jordy');
  });

  it('a wildcard covers one label; other hosts get the rules without a host, then the defaultBackend', () => {
    expect(service(spec, 'scappy.niniz.com', '/x')).toBe('wild');
    expect(service(spec, 'a.b.niniz.com', '/any')).toBe('any');
    expect(matchIngress(spec, 'other.com', '/x')).toMatchObject({ path: '*', pathType: 'defaultBackend' });
    const own: IngressSpec = {
      defaultBackend: to('fallback'),
      rules: [{ http: { paths: [path('/', 'Prefix', 'root')] } }],
    };
    expect(service(own, 'other.com', '/x')).toBe('root');
  });

  it('Exact first, then regular expressions, then the longest prefix; Prefix by path element', () => {
    const paths: IngressSpec = {
      rules: [
        {
          host: 'niniz.com',
          http: {
            paths: [
              path('/x/', 'Prefix', 'prefix'),
              path('/x', 'Exact', 'exact'),
              path('/abc/def', 'Prefix', 'long'),
              path('/ab.*', 'ImplementationSpecific', 'regex'),
              path('/jordy', 'ImplementationSpecific', 'string'),
            ],
          },
        },
      ],
    };
    expect(service(paths, 'niniz.com', '/x')).toBe('exact');
    expect(service(paths, 'niniz.com', '/x/y')).toBe('prefix');
    expect(matchIngress(paths, 'niniz.com', '/xy')).toBeUndefined();
    expect(service(paths, 'niniz.com', '/abc/def/g')).toBe('regex');
    expect(service(paths, 'niniz.com', '/jordyx')).toBe('string');
    expect(matchIngress(paths, 'niniz.com', '/xab')).toBeUndefined();
  });
});
