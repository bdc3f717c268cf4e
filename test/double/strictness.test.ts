import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterDouble, freeHostPorts } from '../support/cluster-double/index.js';
import { seededRandom } from '../support/cluster-double/workloads.js';
import type { HostPorts } from '../../src/cluster/types.js';
import { eventually, field, request, scratch } from './clients.js';
import { service, whoamiDeployment } from './manifests.js';

/** Where kind is strict, the double is too: the known mistakes of the labs depend on it (issue 14). */
let double: ClusterDouble;
let ports: HostPorts;
let files: Awaited<ReturnType<typeof scratch>>;

beforeAll(async () => {
  ports = await freeHostPorts();
  double = await ClusterDouble.start({ ports });
  files = await scratch();
  const apps = [whoamiDeployment('jordy', 3), service('jordy-svc', 'jordy', 'ClusterIP')].join('---\n');
  await double.kubectl(['apply', '-f', await files.write('apps.yaml', apps)]);
  await double.kubectl(['rollout', 'status', 'deployment/jordy']);
});

afterAll(async () => {
  await double?.stop();
  await files?.dispose();
});

describe('strict field validation', () => {
  it('refuses unknown fields with the API server words, each named by its path, in document order', async () => {
    const file = await files.write(
      'typo.yaml',
      whoamiDeployment('typo', 1, { nodeSelector: { 'expose-labs/node': 'a' } })
        .replace('nodeSelector:', 'nodeselector:')
        .replace('containerPort: 8080', 'containerPort: 8080\n              hostport: 1'),
    );
    const result = await double.kubectl(['apply', '-f', file]);
    expect(result.stderr).toBe(
      `Error from server (BadRequest): error when creating "${file}": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.template.spec.nodeselector", unknown field "spec.template.spec.containers[0].ports[0].hostport"\n`,
    );
    expect((await double.kubectl(['get', 'deployment', 'typo'])).stderr).toMatch(/NotFound/);
  });

  it("names a v1 Ingress's old backend fields, as decoding fails before validation", async () => {
    const file = await files.write(
      'old.yaml',
      'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: old\nspec:\n  rules:\n    - host: a.com\n      http:\n        paths:\n          - path: /\n            backend:\n              serviceName: jordy-svc\n              servicePort: 80\n',
    );
    expect((await double.kubectl(['apply', '-f', file])).stderr).toBe(
      `Error from server (BadRequest): error when creating "${file}": Ingress in version "v1" cannot be handled as a Ingress: strict decoding error: unknown field "spec.rules[0].http.paths[0].backend.serviceName", unknown field "spec.rules[0].http.paths[0].backend.servicePort"\n`,
    );
  });

  it('keeps map keys (labels, selectors) as they are: they are not fields', async () => {
    const file = await files.write(
      'labels.yaml',
      service('labelled', 'jordy', 'ClusterIP').replace('app: jordy', 'any-key/x: y'),
    );
    expect((await double.kubectl(['apply', '-f', file])).exitCode).toBe(0);
  });
});

describe('Service validation wording', () => {
  it('calls the same nodePort twice in one Service a Duplicate value, and allocates nothing', async () => {
    const file = await files.write(
      'dup.yaml',
      service('dup', 'jordy', 'NodePort', { nodePort: 30123 }) +
        '    - name: alt\n      port: 8080\n      targetPort: 8080\n      nodePort: 30123\n',
    );
    expect((await double.kubectl(['apply', '-f', file])).stderr).toBe(
      'The Service "dup" is invalid: spec.ports[1].nodePort: Duplicate value: 30123\n',
    );
    const again = await files.write('one.yaml', service('one', 'jordy', 'NodePort', { nodePort: 30123 }));
    expect((await double.kubectl(['apply', '-f', again])).exitCode).toBe(0);
  });
});

describe('kube-proxy sessionAffinity: ClientIP', () => {
  it('sends one client address to one pod, and defaults the timeout to 10800 s', async () => {
    const file = await files.write(
      'sticky.yaml',
      service('sticky', 'jordy', 'NodePort').replace('  selector:', '  sessionAffinity: ClientIP\n  selector:'),
    );
    await double.kubectl(['apply', '-f', file]);
    const svc = JSON.parse((await double.kubectl(['get', 'svc', 'sticky', '-o', 'json'])).stdout);
    expect(svc.spec.sessionAffinityConfig).toEqual({ clientIP: { timeoutSeconds: 10800 } });
    const node = JSON.parse((await double.kubectl(['get', 'node', 'expose-labs-worker', '-o', 'json'])).stdout);
    const ip = node.status.addresses[0].address as string;
    const pods = new Set<string>();
    for (let i = 0; i < 6; i++)
      pods.add(field((await request({ host: ip, port: svc.spec.ports[0].nodePort })).body, 'Hostname')!);
    expect(pods.size).toBe(1);
  });
});

describe("Contour's ImplementationSpecific path", () => {
  it('is a plain string prefix: /jordy matches /jordyx, unlike Prefix', async () => {
    const ing = (name: string, host: string, type: string) =>
      `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ${name}\nspec:\n  ingressClassName: contour\n  rules:\n    - host: ${host}\n      http:\n        paths:\n          - path: /jordy\n            pathType: ${type}\n            backend:\n              service:\n                name: jordy-svc\n                port:\n                  number: 80\n`;
    await double.kubectl(['apply', '-f', await files.write('is.yaml', ing('is', 'is.com', 'ImplementationSpecific'))]);
    await double.kubectl(['apply', '-f', await files.write('px.yaml', ing('px', 'px.com', 'Prefix'))]);
    const get = (host: string, path: string) =>
      request({ host: '127.0.0.1', port: ports.http, path, headers: { Host: host } });
    await eventually(async () => ((await get('is.com', '/jordy')).status === 200 ? true : undefined));
    expect((await get('is.com', '/jordyx')).status).toBe(200);
    expect((await get('px.com', '/jordyx')).status).toBe(404);
    expect((await get('px.com', '/jordy/x')).status).toBe(200);
  });
});

describe('kubectl create secret generic', () => {
  it('makes an Opaque Secret, one key per --from-file', async () => {
    const crt = await files.write('c.pem', 'CERT');
    const result = await double.kubectl([
      'create',
      'secret',
      'generic',
      'gen',
      `--from-file=tls.crt=${crt}`,
      `--from-file=${crt}`,
    ]);
    expect(result.stdout).toBe('secret/gen created\n');
    const secret = JSON.parse((await double.kubectl(['get', 'secret', 'gen', '-o', 'json'])).stdout);
    expect(secret.type).toBe('Opaque');
    expect(Object.keys(secret.data).sort()).toEqual(['c.pem', 'tls.crt']);
    expect((await double.kubectl(['create', 'secret', 'generic', 'gen', `--from-file=${crt}`])).stderr).toBe(
      'error: failed to create secret secrets "gen" already exists\n',
    );
  });
});

describe('the scheduler', () => {
  it('favours no node between equally loaded ones, and repeats itself for a seed', () => {
    const pick = seededRandom(7);
    const counts = [0, 0];
    for (let i = 0; i < 1000; i++) counts[Math.floor(pick() * 2)]!++;
    expect(counts[0]).toBeGreaterThan(400);
    expect(counts[1]).toBeGreaterThan(400);
    const [a, b] = [seededRandom(3), seededRandom(3)];
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });

  it('puts unpinned single pods on both workers', async () => {
    const nodes = new Set<string>();
    for (let i = 0; i < 8; i++) {
      await double.kubectl(['apply', '-f', await files.write(`solo${i}.yaml`, whoamiDeployment(`solo${i}`, 1))]);
      const pods = JSON.parse((await double.kubectl(['get', 'pods', '-l', `app=solo${i}`, '-o', 'json'])).stdout);
      nodes.add(pods.items[0].spec.nodeName as string);
    }
    expect([...nodes].sort()).toEqual(['expose-labs-worker', 'expose-labs-worker2']);
  });
});
