import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { UserError } from '../../src/core/errors.js';
import { convertIngressYaml, LEGACY_MARKER, type ConversionResult } from '../../src/ingress/convert.js';

const root = join(import.meta.dirname, '..', '..');
const fixture = (path: string) => readFileSync(join(root, 'fixtures', path), 'utf8');
const objectOf = (result: ConversionResult) => parse(result.yaml);
const notesEn = (result: ConversionResult) => result.notes.map((n) => `${n.ingress}: ${n.text.en}`);

function serviceBackend(name: string, number: number) {
  return { service: { name, port: { number } } };
}

function errorOf(run: () => unknown): UserError {
  try {
    run();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

describe("the post's four Ingress shapes", () => {
  it('single host (jordy-ing): every field moved to its v1 place', () => {
    const result = convertIngressYaml(fixture('ingress/post/jordy-ing.yaml'), { ingressClassName: 'contour' });
    const ingress = objectOf(result);
    expect(ingress.apiVersion).toBe('networking.k8s.io/v1');
    expect(ingress.kind).toBe('Ingress');
    expect(ingress.metadata).toEqual({ name: 'jordy-ing' });
    expect(ingress.spec.ingressClassName).toBe('contour');
    expect(ingress.spec.rules).toHaveLength(1);
    expect(ingress.spec.rules[0].host).toBe('sample.jordy.com');
    expect(ingress.spec.rules[0].http.paths).toEqual([
      { path: '/', pathType: 'Prefix', backend: serviceBackend('jordy-node-port-svc', 80) },
    ]);
    expect(Object.keys(ingress.spec).sort()).toEqual(['ingressClassName', 'rules']);
    expect(result).toMatchObject({ converted: 1, alreadyV1: 0 });
  });

  it("single host: the lab's v1 manifest is the same Ingress under the name the post's output shows", () => {
    const converted = objectOf(
      convertIngressYaml(fixture('ingress/post/jordy-ing.yaml'), { ingressClassName: 'contour' }),
    );
    const lab = parse(fixture('ingress/basic-jordy-ing.yaml'));
    converted.metadata.name = 'basic-jordy-ing';
    converted.spec.rules[0].host = 'basic.jordy.com';
    expect(converted).toEqual(lab);
  });

  it('multi host (basic-niniz-ing): each host keeps its own Service', () => {
    const ingress = objectOf(
      convertIngressYaml(fixture('ingress/post/basic-niniz-ing.yaml'), { ingressClassName: 'contour' }),
    );
    expect(ingress.spec.rules.map((r: { host: string }) => r.host)).toEqual(['jordy.niniz.com', 'scappy.niniz.com']);
    expect(ingress.spec.rules[0].http.paths).toEqual([
      { path: '/', pathType: 'Prefix', backend: serviceBackend('jordy-node-port-svc', 80) },
    ]);
    expect(ingress.spec.rules[1].http.paths).toEqual([
      { path: '/', pathType: 'Prefix', backend: serviceBackend('scappy-node-port-svc', 80) },
    ]);
    expect(ingress).toEqual(parse(fixture('ingress/basic-niniz-ing.yaml')));
  });

  it('multi path (basic-niniz-ing-multi-path): each path keeps its own Service, as Prefix', () => {
    const ingress = objectOf(
      convertIngressYaml(fixture('ingress/post/basic-niniz-ing-multi-path.yaml'), { ingressClassName: 'contour' }),
    );
    expect(ingress.spec.rules).toHaveLength(1);
    expect(ingress.spec.rules[0].host).toBe('niniz.com');
    expect(ingress.spec.rules[0].http.paths).toEqual([
      { path: '/jordy', pathType: 'Prefix', backend: serviceBackend('jordy-node-port-svc', 80) },
      { path: '/scappy', pathType: 'Prefix', backend: serviceBackend('scappy-node-port-svc', 80) },
    ]);
    expect(ingress).toEqual(parse(fixture('ingress/basic-niniz-ing-multi-path.yaml')));
  });

  it('TLS (the kubectl edit result): spec.tls is carried over as it is', () => {
    const ingress = objectOf(
      convertIngressYaml(fixture('ingress/post/basic-niniz-ing-multi-path-tls.yaml'), { ingressClassName: 'contour' }),
    );
    expect(ingress.spec.tls).toEqual([{ hosts: ['niniz.com'], secretName: 'niniz-secret' }]);
    expect(
      ingress.spec.rules[0].http.paths.map((p: { path: string; pathType: string }) => [p.path, p.pathType]),
    ).toEqual([
      ['/jordy', 'Prefix'],
      ['/scappy', 'Prefix'],
    ]);
    expect(ingress).toEqual(parse(fixture('ingress/basic-niniz-ing-multi-path-tls.yaml')));
  });

  it.each(['jordy-ing', 'basic-niniz-ing', 'basic-niniz-ing-multi-path', 'basic-niniz-ing-multi-path-tls'])(
    '%s converted passes the Kubernetes v1 Ingress schema',
    (name) => {
      const ingress = objectOf(convertIngressYaml(fixture(`ingress/post/${name}.yaml`)));
      expect(() => new Ingress(ingress).validate()).not.toThrow();
    },
  );

  it('names one line per change: apiVersion, then pathType and backend per path, then the class', () => {
    const result = convertIngressYaml(fixture('ingress/post/basic-niniz-ing-multi-path.yaml'), {
      ingressClassName: 'contour',
    });
    const lines = notesEn(result);
    expect(lines).toHaveLength(6);
    expect(lines[0]).toBe('basic-niniz-ing-multi-path: apiVersion: extensions/v1beta1 → networking.k8s.io/v1');
    expect(lines[1]).toMatch(/niniz\.com\/jordy .*pathType: Prefix added .*ImplementationSpecific/);
    expect(lines[2]).toMatch(/niniz\.com\/jordy .*serviceName\/servicePort → service\.name\/service\.port\.number$/);
    expect(lines[3]).toMatch(/niniz\.com\/scappy .*pathType: Prefix added/);
    expect(lines[5]).toBe('basic-niniz-ing-multi-path: spec.ingressClassName: contour (--class)');
    for (const n of result.notes) expect(n.text.ko.length).toBeGreaterThan(0);
  });
});

describe('comments and layout', () => {
  it('keeps comments, their places, and the flush sequence style of the post', () => {
    const source = [
      '# what this is',
      'apiVersion: extensions/v1beta1 # old',
      'kind: Ingress',
      'metadata:',
      '  name: commented',
      'spec:',
      '  rules:',
      '  - host: niniz.com # the host',
      '    http:',
      '      paths:',
      '      - path: /jordy # the path',
      '        backend:',
      '          # which Service',
      '          serviceName: jordy-node-port-svc # the Service',
      '          servicePort: 80 # its port',
      '',
    ].join('\n');
    const out = convertIngressYaml(source, { ingressClassName: 'contour' }).yaml;
    expect(out).toBe(
      [
        '# what this is',
        'apiVersion: networking.k8s.io/v1 # old',
        'kind: Ingress',
        'metadata:',
        '  name: commented',
        'spec:',
        '  ingressClassName: contour',
        '  rules:',
        '  - host: niniz.com # the host',
        '    http:',
        '      paths:',
        '      - path: /jordy # the path',
        '        pathType: Prefix',
        '        backend:',
        '          # which Service',
        '          service:',
        '            name: jordy-node-port-svc # the Service',
        '            port:',
        '              number: 80 # its port',
        '',
      ].join('\n'),
    );
  });

  it("keeps the fixture's own comments but drops the legacy marker, which would no longer be true", () => {
    const source = fixture('ingress/post/basic-niniz-ing-multi-path-tls.yaml');
    expect(source.startsWith(LEGACY_MARKER)).toBe(true);
    const out = convertIngressYaml(source).yaml;
    expect(out).not.toContain(LEGACY_MARKER);
    expect(out).toContain("# The post's Example 2 Ingress after adding spec.tls with kubectl edit.");
    expect(out).toContain(
      '  # TLS: niniz.com 에는 niniz-secret 의 인증서를 씁니다 / TLS: serve niniz.com with the certificate in niniz-secret\n  tls:',
    );
  });

  it('keeps indented sequences indented', () => {
    const source =
      'apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: x\nspec:\n  rules:\n    - host: a.example\n      http:\n        paths:\n          - path: /\n            backend: { serviceName: a, servicePort: 80 }\n';
    expect(convertIngressYaml(source).yaml).toContain('  rules:\n    - host: a.example\n');
  });

  it('writes yaml-1.1 booleans-to-be as quoted strings so Kubernetes does not read a boolean', () => {
    const source =
      'apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: x\n  annotations:\n    example.com/flag: yes\nspec:\n  backend: { serviceName: a, servicePort: 80 }\n';
    const out = convertIngressYaml(source).yaml;
    expect(out).toMatch(/example\.com\/flag: "yes"/);
  });
});

describe('idempotence', () => {
  it.each(['basic-jordy-ing', 'basic-niniz-ing', 'basic-niniz-ing-multi-path', 'basic-niniz-ing-multi-path-tls'])(
    'a v1 Ingress (%s) comes out byte for byte, with a note saying so',
    (name) => {
      const source = fixture(`ingress/${name}.yaml`);
      const result = convertIngressYaml(source, { ingressClassName: 'contour' });
      expect(result.yaml).toBe(source);
      expect(result).toMatchObject({ converted: 0, alreadyV1: 1 });
      expect(notesEn(result)).toEqual([`${parse(source).metadata.name}: already networking.k8s.io/v1: left as it is.`]);
    },
  );

  it('converting the output again changes nothing', () => {
    const once = convertIngressYaml(fixture('ingress/post/basic-niniz-ing.yaml'), { ingressClassName: 'contour' }).yaml;
    expect(convertIngressYaml(once, { ingressClassName: 'contour' }).yaml).toBe(once);
  });
});

describe('files with several documents', () => {
  const service =
    '# the Service\napiVersion: v1\nkind: Service\nmetadata: {name: jordy-node-port-svc}\nspec: {ports: [{port: 80}]}\n';
  const legacy =
    '---\napiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: one\nspec:\n  rules:\n  - host: a.example\n    http:\n      paths:\n      - path: /\n        backend:\n          serviceName: jordy-node-port-svc\n          servicePort: 80\n';
  const configMap =
    '---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}   # odd spacing kept\ndata: {enabled: "yes"}\n';

  it('converts the Ingresses and passes every other document through byte for byte', () => {
    const result = convertIngressYaml(service + legacy + configMap);
    expect(result.yaml.startsWith(service)).toBe(true);
    expect(result.yaml.endsWith(configMap)).toBe(true);
    const docs = parseAllDocuments(result.yaml) as { toJS(): any }[];
    expect(docs.map((d) => d.toJS().kind)).toEqual(['Service', 'Ingress', 'ConfigMap']);
    expect(docs[1]!.toJS().spec.rules[0].http.paths[0]).toEqual({
      path: '/',
      pathType: 'Prefix',
      backend: serviceBackend('jordy-node-port-svc', 80),
    });
    expect(result.converted).toBe(1);
  });

  it('converts the Ingress items of a kind: List, as kubectl get -o yaml writes them', () => {
    const list = [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '- apiVersion: networking.k8s.io/v1beta1',
      '  kind: Ingress',
      '  metadata: {name: listed}',
      '  spec:',
      '    ingressClassName: contour',
      '    rules:',
      '    - host: a.example',
      '      http:',
      '        paths:',
      '        - path: /x',
      '          pathType: Exact',
      '          backend: {serviceName: a, servicePort: http}',
      '- apiVersion: v1',
      '  kind: Service',
      '  metadata: {name: a}',
      '',
    ].join('\n');
    const result = convertIngressYaml(list);
    const items = parse(result.yaml).items;
    expect(items[0].apiVersion).toBe('networking.k8s.io/v1');
    expect(items[0].spec.rules[0].http.paths[0]).toEqual({
      path: '/x',
      pathType: 'Exact',
      backend: { service: { name: 'a', port: { name: 'http' } } },
    });
    expect(items[0].spec.ingressClassName).toBe('contour');
    expect(items[1]).toEqual({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'a' } });
    expect(notesEn(result).some((l) => l.includes('pathType'))).toBe(false);
  });
});

describe('the other legacy fields', () => {
  const withBackend = (extra: string) =>
    `apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: x\n${extra}spec:\n  backend:\n    serviceName: fallback\n    servicePort: "8080"\n`;

  it('spec.backend → spec.defaultBackend, a port in quotes still a number', () => {
    const ingress = parse(convertIngressYaml(withBackend('')).yaml);
    expect(ingress.spec).toEqual({ defaultBackend: serviceBackend('fallback', 8080) });
  });

  it('a named servicePort becomes service.port.name', () => {
    const source = withBackend('').replace('"8080"', 'http');
    expect(parse(convertIngressYaml(source).yaml).spec.defaultBackend).toEqual({
      service: { name: 'fallback', port: { name: 'http' } },
    });
  });

  it('the ingress.class annotation becomes spec.ingressClassName and is removed', () => {
    const result = convertIngressYaml(withBackend('  annotations:\n    kubernetes.io/ingress.class: contour\n'));
    const ingress = parse(result.yaml);
    expect(ingress.metadata).toEqual({ name: 'x' });
    expect(ingress.spec.ingressClassName).toBe('contour');
    expect(notesEn(result)).toContain('x: spec.ingressClassName: contour (kubernetes.io/ingress.class)');
  });

  it('--class wins over the annotation, other annotations stay', () => {
    const source = withBackend('  annotations:\n    kubernetes.io/ingress.class: nginx\n    keep.example/me: "1"\n');
    const ingress = parse(convertIngressYaml(source, { ingressClassName: 'contour' }).yaml);
    expect(ingress.metadata.annotations).toEqual({ 'keep.example/me': '1' });
    expect(ingress.spec.ingressClassName).toBe('contour');
  });

  it('without a class anywhere, says which controllers will take it', () => {
    const result = convertIngressYaml(withBackend(''));
    expect(parse(result.yaml).spec.ingressClassName).toBeUndefined();
    expect(notesEn(result).at(-1)).toMatch(/no ingressClassName.*--class contour/);
  });

  it('a path left out becomes "/" with Prefix, as it took every path', () => {
    const source =
      'apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: x}\nspec:\n  rules:\n  - http:\n      paths:\n      - backend: {serviceName: a, servicePort: 80}\n';
    const result = convertIngressYaml(source);
    expect(parse(result.yaml).spec.rules[0].http.paths[0]).toEqual({
      path: '/',
      pathType: 'Prefix',
      backend: serviceBackend('a', 80),
    });
    expect(notesEn(result).some((l) => l.includes('no path, so "/" was added'))).toBe(true);
  });

  it('drops status and says so: the controller writes it, a manifest to apply does not carry it', () => {
    const source = withBackend('') + 'status:\n  loadBalancer:\n    ingress:\n    - ip: 34.0.0.1\n';
    const result = convertIngressYaml(source);
    expect(parse(result.yaml).status).toBeUndefined();
    expect(result.notes.map((n) => n.text.en)).toContain(
      'status removed: the controller writes it; a manifest to apply does not carry it.',
    );
  });
});

describe('input it refuses, with a message instead of a stack trace', () => {
  it('YAML that does not parse: names the line and column', () => {
    const error = errorOf(() =>
      convertIngressYaml('kind: Ingress\nmetadata:\n  name: [x\n', { sourceName: 'bad.yaml' }),
    );
    expect(error.text).toMatchObject({ en: expect.stringMatching(/^bad\.yaml:\d+:\d+ is not valid YAML/) });
    expect(error.hint).toBeDefined();
  });

  it('a file without an Ingress', () => {
    const error = errorOf(() =>
      convertIngressYaml('apiVersion: v1\nkind: Service\nmetadata: {name: a}\n', { sourceName: 'svc.yaml' }),
    );
    expect(error.text).toEqual({ ko: 'svc.yaml 에 Ingress가 없습니다.', en: 'svc.yaml holds no Ingress.' });
  });

  it('an empty file', () => {
    expect(errorOf(() => convertIngressYaml('')).text).toMatchObject({ en: '<input> holds no Ingress.' });
  });

  it('an Ingress of an apiVersion it does not know', () => {
    const error = errorOf(() =>
      convertIngressYaml('apiVersion: example.com/v9\nkind: Ingress\nmetadata: {name: odd}\n'),
    );
    expect(error.text).toMatchObject({ en: 'Ingress odd has apiVersion "example.com/v9", which cannot be converted.' });
  });

  it('a backend with a serviceName but no servicePort', () => {
    const source =
      'apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: half}\nspec:\n  backend: {serviceName: a}\n';
    expect(errorOf(() => convertIngressYaml(source)).text).toMatchObject({
      en: expect.stringContaining('needs both serviceName and servicePort'),
    });
  });
});
