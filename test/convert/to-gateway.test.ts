import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { gatewayApiIssues } from '../../scripts/gateway-schema.js';
import { UserError } from '../../src/core/errors.js';
import { convertToGateway, GENERATOR_ANNOTATION, nameFromHost } from '../../src/ingress/to-gateway.js';

const root = join(import.meta.dirname, '..', '..');
const read = (...parts: string[]) => readFileSync(join(root, 'fixtures', ...parts), 'utf8');
const options = { gatewayClassName: 'cloud-provider-kind', generator: 'expose-labs-test' };

function convert(source: string, extra: Partial<typeof options> = {}) {
  const result = convertToGateway(source, { ...options, ...extra });
  // What is printed is what the objects are.
  const printed = parseAllDocuments(result.yaml).map((d) => d.toJS());
  expect(printed).toEqual(result.objects);
  // Every object applies as it is: valid against the Gateway API v1.5.0 CRD schema cloud-provider-kind installs.
  for (const object of result.objects) {
    expect(gatewayApiIssues(String(object.kind), object), JSON.stringify(object)).toEqual([]);
    expect((object.metadata as any).annotations).toEqual({ [GENERATOR_ANNOTATION]: 'expose-labs-test' });
  }
  return result;
}

const names = (objects: Record<string, unknown>[]) =>
  objects.map((o) => `${String(o.kind)}/${(o.metadata as any).name}`);
const notes = (r: ReturnType<typeof convert>) => r.notes.map((n) => `${n.ingress}: ${n.text.en}`);

describe('nameFromHost (ingress2gateway utils.go @ v1.1.0)', () => {
  it('replaces every run of non-alphanumerics with -, drops leading ones, keeps case', () => {
    expect(nameFromHost('jordy.niniz.com')).toBe('jordy-niniz-com');
    expect(nameFromHost('*.niniz.com')).toBe('niniz-com');
    expect(nameFromHost('Foo..Bar')).toBe('Foo-Bar');
    expect(nameFromHost('')).toBe('all-hosts');
    expect(nameFromHost('*')).toBe('all-hosts');
  });
});

describe("convert --to gateway on the post's four Ingress blocks", () => {
  it('Example 1 (two hosts): one Gateway, a listener and an HTTPRoute per host', () => {
    const r = convert(read('ingress', 'post', 'basic-niniz-ing.yaml'));
    expect(names(r.objects)).toEqual([
      'Gateway/cloud-provider-kind',
      'HTTPRoute/basic-niniz-ing-jordy-niniz-com',
      'HTTPRoute/basic-niniz-ing-scappy-niniz-com',
    ]);
    const [gateway, jordy] = r.objects as any[];
    expect(gateway.spec).toEqual({
      gatewayClassName: 'cloud-provider-kind',
      listeners: [
        { name: 'jordy-niniz-com-http', port: 80, protocol: 'HTTP', hostname: 'jordy.niniz.com' },
        { name: 'scappy-niniz-com-http', port: 80, protocol: 'HTTP', hostname: 'scappy.niniz.com' },
      ],
    });
    expect(jordy.spec).toEqual({
      parentRefs: [{ name: 'cloud-provider-kind' }],
      hostnames: ['jordy.niniz.com'],
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: '/' } }],
          backendRefs: [{ name: 'jordy-node-port-svc', port: 80 }],
        },
      ],
    });
    // The legacy step's notes come along, then the Gateway's.
    expect(notes(r)[0]).toBe('basic-niniz-ing: apiVersion: extensions/v1beta1 → networking.k8s.io/v1');
    expect(notes(r)).toContain(
      'basic-niniz-ing: no Ingress class, so the Gateway is named after the GatewayClass, cloud-provider-kind.',
    );
    expect(notes(r).some((n) => n.includes('--class'))).toBe(false);
  });

  it('Example 2 (two paths): one route, a PathPrefix rule per path', () => {
    const r = convert(read('ingress', 'post', 'basic-niniz-ing-multi-path.yaml'));
    const route = r.objects[1] as any;
    expect(route.metadata.name).toBe('basic-niniz-ing-multi-path-niniz-com');
    expect(route.spec.rules.map((x: any) => [x.matches[0].path.value, x.backendRefs[0].name])).toEqual([
      ['/jordy', 'jordy-node-port-svc'],
      ['/scappy', 'scappy-node-port-svc'],
    ]);
  });

  it('the TLS example: an HTTPS listener <host>-https with the Secret, mode Terminate', () => {
    const r = convert(read('ingress', 'post', 'basic-niniz-ing-multi-path-tls.yaml'));
    expect((r.objects[0] as any).spec.listeners).toEqual([
      { name: 'niniz-com-http', port: 80, protocol: 'HTTP', hostname: 'niniz.com' },
      {
        name: 'niniz-com-https',
        port: 443,
        protocol: 'HTTPS',
        hostname: 'niniz.com',
        tls: { mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: 'niniz-secret' }] },
      },
    ]);
  });

  it('the first example (jordy-ing, sample.jordy.com)', () => {
    const r = convert(read('ingress', 'post', 'jordy-ing.yaml'));
    expect(names(r.objects)).toEqual(['Gateway/cloud-provider-kind', 'HTTPRoute/jordy-ing-sample-jordy-com']);
  });

  it('a v1 Ingress with a class: the Gateway is named after the class, the GatewayClass comes from the option', () => {
    const r = convert(read('ingress', 'basic-niniz-ing.yaml'), { gatewayClassName: 'my-class' });
    const gateway = r.objects[0] as any;
    expect([gateway.metadata.name, gateway.spec.gatewayClassName]).toEqual(['contour', 'my-class']);
    expect((r.objects[1] as any).spec.parentRefs).toEqual([{ name: 'contour' }]);
    expect(notes(r)).toEqual([
      'basic-niniz-ing: Ingress class contour → Gateway contour (named after the class, as ingress2gateway does), gatewayClassName: my-class (--gateway-class)',
    ]);
  });
});

const REAL_WORLD = `# A shop: two hosts with their own certificates, a wildcard, a named port, a default backend, nginx annotations.
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  ports:
  - name: http
    port: 8080
    targetPort: 80
  selector: { app: web }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
  annotations:
    kubernetes.io/ingress.class: nginx
    nginx.ingress.kubernetes.io/rewrite-target: /
    nginx.ingress.kubernetes.io/ssl-redirect: "true"
spec:
  defaultBackend:
    service: { name: fallback, port: { number: 80 } }
  tls:
  - hosts: [shop.example.com]
    secretName: shop-tls
  - hosts: [api.example.com, "*.example.com"]
    secretName: api-tls
  rules:
  - host: shop.example.com
    http:
      paths:
      - { path: /, pathType: Prefix, backend: { service: { name: web, port: { name: http } } } }
      - { path: /cart, pathType: Exact, backend: { service: { name: cart, port: { number: 80 } } } }
      - { path: /cart, pathType: Exact, backend: { service: { name: cart-canary, port: { number: 80 } } } }
  - host: api.example.com
    http:
      paths:
      - { path: "/v[0-9]+/", pathType: ImplementationSpecific, backend: { service: { name: api, port: { number: 9000 } } } }
      - { path: /docs, pathType: ImplementationSpecific, backend: { service: { name: docs, port: { number: 80 } } } }
  - host: "*.example.com"
    http:
      paths:
      - { path: /, pathType: Prefix, backend: { service: { name: tenants, port: { number: 80 } } } }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: blog
  namespace: shop
spec:
  ingressClassName: nginx
  rules:
  - host: shop.example.com
    http:
      paths:
      - { path: /blog, pathType: Prefix, backend: { service: { name: blog, port: { number: 80 } } } }
`;

describe('convert --to gateway on real-world Ingresses', () => {
  const r = convert(REAL_WORLD);
  const byName = (name: string) => r.objects.find((o) => (o.metadata as any).name === name) as any;

  it('one Gateway per namespace and class; routes per host, the first Ingress of a host names its route', () => {
    expect(names(r.objects)).toEqual([
      'Gateway/nginx',
      'HTTPRoute/shop-example-com',
      'HTTPRoute/shop-api-example-com',
      'HTTPRoute/shop-shop-example-com',
      'HTTPRoute/shop-default-backend',
    ]);
    expect(byName('nginx').metadata.namespace).toBe('shop');
    // blog's rule for shop.example.com joined shop's route for that host (same namespace, class and host).
    expect(byName('shop-shop-example-com').spec.rules.map((x: any) => x.matches[0].path)).toEqual([
      { type: 'PathPrefix', value: '/' },
      { type: 'Exact', value: '/cart' },
      { type: 'PathPrefix', value: '/blog' },
    ]);
  });

  it('a host gets the certificates whose TLS hosts cover it (the wildcard covers shop too), no others', () => {
    const listeners = byName('nginx').spec.listeners as any[];
    expect(listeners.map((l) => [l.name, l.hostname, l.tls?.certificateRefs.map((c: any) => c.name)])).toEqual([
      ['example-com-http', '*.example.com', undefined],
      ['example-com-https', '*.example.com', ['api-tls']],
      ['api-example-com-http', 'api.example.com', undefined],
      ['api-example-com-https', 'api.example.com', ['api-tls']],
      ['shop-example-com-http', 'shop.example.com', undefined],
      ['shop-example-com-https', 'shop.example.com', ['shop-tls', 'api-tls']],
    ]);
    expect(notes(r)).toContain(
      'shop: listener shop-example-com-https: 2 certificates; cloud-provider-kind hands them all to Envoy, which presents the one whose names fit the SNI (else the first).',
    );
  });

  it('example.com and *.example.com: the names ingress2gateway would give clash, so the wildcard is renamed', () => {
    const clash = convert(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: both }
spec:
  rules:
  - host: example.com
    http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: a, port: { number: 80 } } } }] }
  - host: "*.example.com"
    http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: b, port: { number: 80 } } } }] }
`);
    expect((clash.objects[0] as any).spec.listeners.map((l: any) => [l.name, l.hostname])).toEqual([
      ['wildcard-example-com-http', '*.example.com'],
      ['example-com-http', 'example.com'],
    ]);
    // ingress2gateway's RouteName would call both routes both-example-com.
    expect(names(clash.objects)).toEqual([
      'Gateway/cloud-provider-kind',
      'HTTPRoute/both-wildcard-example-com',
      'HTTPRoute/both-example-com',
    ]);
  });

  it('a named port becomes the Service’s number; paths with the same type and value share one rule', () => {
    const rules = byName('shop-shop-example-com').spec.rules;
    expect(rules[0].backendRefs).toEqual([{ name: 'web', port: 8080 }]);
    expect(rules[1].backendRefs).toEqual([
      { name: 'cart', port: 80 },
      { name: 'cart-canary', port: 80 },
    ]);
  });

  it('defaultBackend → a catch-all route with no hostnames and no matches', () => {
    expect(byName('shop-default-backend').spec).toEqual({
      parentRefs: [{ name: 'nginx' }],
      rules: [{ backendRefs: [{ name: 'fallback', port: 80 }] }],
    });
  });

  it('ImplementationSpecific: a regex-looking path → RegularExpression, another → PathPrefix, both noted', () => {
    expect(byName('shop-api-example-com').spec.rules.map((x: any) => x.matches[0].path)).toEqual([
      { type: 'RegularExpression', value: '/v[0-9]+/' },
      { type: 'PathPrefix', value: '/docs' },
    ]);
  });

  it('lists what it cannot translate, per object and field, in both languages', () => {
    const en = notes(r);
    expect(en).toContain(
      'shop: metadata.annotations["nginx.ingress.kubernetes.io/rewrite-target"]: not carried over. Annotations mean what one controller makes of them and have no Gateway API equivalent (rebuild them as filters or the implementation\'s policies).',
    );
    expect(en.filter((n) => n.includes('metadata.annotations'))).toHaveLength(2);
    expect(
      en.some((n) =>
        n.startsWith('shop: spec.rules[1].http.paths[1] (/docs): ImplementationSpecific became PathPrefix'),
      ),
    ).toBe(true);
    expect(
      en.some((n) =>
        n.startsWith('shop: spec.rules[2].host *.example.com: an Ingress wildcard covers exactly one label'),
      ),
    ).toBe(true);
    for (const n of r.notes) {
      expect(n.text.ko).toMatch(/[가-힣]/);
      expect(n.text.ko).not.toBe(n.text.en);
    }
  });
});

describe('convert --to gateway: inputs it refuses, in one line each', () => {
  const refused = (source: string) => {
    try {
      convertToGateway(source, options);
    } catch (error) {
      if (error instanceof UserError) return error.text;
      throw error;
    }
    throw new Error('expected a UserError');
  };

  it('a named port whose Service is not in the input', () => {
    const text = refused(
      'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: a}\nspec:\n  defaultBackend: {service: {name: web, port: {name: http}}}\n',
    );
    expect(typeof text === 'string' ? text : text.en).toBe(
      'a, spec.defaultBackend.service.port: cannot find port with name http in service web.',
    );
  });

  it('no Ingress at all, or YAML that does not parse', () => {
    const none = refused('apiVersion: v1\nkind: Service\nmetadata: {name: a}\n');
    expect(typeof none === 'string' ? none : none.en).toBe('<input> holds no Ingress.');
    const broken = refused('kind: Ingress\n  bad: [\n');
    expect(typeof broken === 'string' ? broken : broken.en).toMatch(/^<input> is not valid YAML: /);
  });
});
