import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterDouble, freeHostPorts } from '../support/cluster-double/index.js';
import type { HostPorts } from '../../src/cluster/types.js';
import { selfSigned } from './certs.js';
import { eventually, field, handshake, httpsRequest, probe, request, scratch } from './clients.js';
import { service, whoamiDeployment } from './manifests.js';

let double: ClusterDouble;
let ports: HostPorts;
let files: Awaited<ReturnType<typeof scratch>>;

function ingress(name: string, rules: string, extra = ''): string {
  return `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
spec:
  ingressClassName: contour
${extra}  rules:
${rules}`;
}

function rule(host: string | undefined, paths: [string, string, string?][]): string {
  const list = paths
    .map(
      ([path, svc, type]) =>
        `          - path: ${path}\n            pathType: ${type ?? 'Prefix'}\n            backend:\n              service:\n                name: ${svc}\n                port:\n                  number: 80\n`,
    )
    .join('');
  return `${host ? `    - host: ${host}\n      http:\n` : '    - http:\n'}        paths:\n${list}`;
}

const get = (host: string, path = '/') =>
  request({ host: '127.0.0.1', port: ports.http, path, headers: { Host: host } });

beforeAll(async () => {
  ports = await freeHostPorts();
  double = await ClusterDouble.start({ ports });
  files = await scratch();
  const apps = [
    whoamiDeployment('jordy', 3),
    whoamiDeployment('scappy', 2),
    service('jordy-svc', 'jordy', 'ClusterIP'),
    service('scappy-svc', 'scappy', 'ClusterIP'),
  ].join('---\n');
  await double.kubectl(['apply', '-f', await files.write('apps.yaml', apps)]);
  await double.kubectl(['rollout', 'status', 'deployment/jordy']);
  await double.kubectl(['rollout', 'status', 'deployment/scappy']);
});

afterAll(async () => {
  await double?.stop();
  await files?.dispose();
});

describe('Ingress objects as Contour and Envoy serve them', () => {
  it("refuses the post's extensions/v1beta1 Ingress with today's kubectl message", async () => {
    const legacy = await files.write(
      'legacy.yaml',
      'apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: basic-ingress\nspec:\n  backend:\n    serviceName: jordy-svc\n    servicePort: 80\n',
    );
    const result = await double.kubectl(['apply', '-f', legacy]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe(
      `error: resource mapping not found for name: "basic-ingress" namespace: "" from "${legacy}": no matches for kind "Ingress" in version "extensions/v1beta1"\nensure CRDs are installed first\n`,
    );
  });

  it('refuses a v1 path without pathType, as the API server does', async () => {
    const file = await files.write(
      'no-type.yaml',
      ingress(
        'bad',
        '    - http:\n        paths:\n          - path: /\n            backend:\n              service:\n                name: jordy-svc\n                port:\n                  number: 80\n',
      ),
    );
    const result = await double.kubectl(['apply', '-f', file]);
    expect(result.stderr).toBe(
      'The Ingress "bad" is invalid: spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified\n',
    );
  });

  it('has no Envoy listener before any Ingress: refused on the node, closed through the mapping', async () => {
    const worker = JSON.parse((await double.kubectl(['get', 'nodes', '-l', 'expose-labs/node=a', '-o', 'json'])).stdout)
      .items[0];
    const ip = worker.status.addresses[0].address;
    expect(await probe(ip, 80)).toBe('refused');
    expect(await probe(ip, 443)).toBe('refused');
    expect(await probe('127.0.0.1', ports.http)).toBe('closed');
  });

  it('routes by host name, each host to its own app only', async () => {
    const hosts = ingress(
      'hosts',
      rule('jordy.niniz.com', [['/', 'jordy-svc']]) + rule('scappy.niniz.com', [['/', 'scappy-svc']]),
    );
    expect((await double.kubectl(['apply', '-f', await files.write('hosts.yaml', hosts)])).stdout).toBe(
      'ingress.networking.k8s.io/hosts created\n',
    );
    const jordy = await get('jordy.niniz.com');
    expect(field(jordy.body, 'Name')).toBe('jordy');
    expect(field(jordy.body, 'X-Forwarded-For')).toBe('127.0.0.1');
    expect(field(jordy.body, 'X-Forwarded-Proto')).toBe('http');
    expect(field(jordy.body, 'Host')).toBe('jordy.niniz.com');
    expect(field(jordy.body, 'RemoteAddr')).toMatch(/^10\.244\.1\.\d+:\d+$/);
    expect(field((await get('scappy.niniz.com:8080')).body, 'Name')).toBe('scappy');
    expect((await get('niniz.com')).status).toBe(404);
  });

  it('answers 404 with an empty body for a host no rule names', async () => {
    const answer = await get('anything.example');
    expect(answer.status).toBe(404);
    expect(answer.body).toBe('');
    expect(answer.headers.server).toBe('envoy');
  });

  it('routes by path element, longest prefix first, without rewriting the path', async () => {
    const paths = ingress(
      'paths',
      rule('niniz.com', [
        ['/jordy', 'jordy-svc'],
        ['/scappy', 'scappy-svc'],
        ['/jordy/deep', 'scappy-svc'],
      ]),
    );
    await double.kubectl(['apply', '-f', await files.write('paths.yaml', paths)]);
    const jordy = await get('niniz.com', '/jordy/x?y=1');
    expect(field(jordy.body, 'Name')).toBe('jordy');
    expect(jordy.body).toContain('\nGET /jordy/x?y=1 HTTP/1.1\r\n');
    expect(field((await get('niniz.com', '/jordy')).body, 'Name')).toBe('jordy');
    expect(field((await get('niniz.com', '/jordy/')).body, 'Name')).toBe('jordy');
    expect(field((await get('niniz.com', '/jordy/deep/1')).body, 'Name')).toBe('scappy');
    expect(field((await get('niniz.com', '/scappy')).body, 'Name')).toBe('scappy');
    expect((await get('niniz.com', '/jordyx')).status).toBe(404);
    expect((await get('niniz.com', '/')).status).toBe(404);
  });

  it('writes Envoy’s address into the Ingress status, which serves the same routes', async () => {
    const address = await eventually(async () => {
      const ing = JSON.parse((await double.kubectl(['get', 'ing', 'paths', '-o', 'json'])).stdout);
      return ing.status.loadBalancer.ingress?.[0]?.ip as string | undefined;
    });
    const table = (await double.kubectl(['get', 'ing', 'paths'])).stdout;
    expect(table).toMatch(
      new RegExp(`^paths\\s+contour\\s+niniz\\.com\\s+${address.replace(/\./g, '\\.')}\\s+80\\s+\\d+s$`, 'm'),
    );
    const answer = await request({ host: address, port: 80, path: '/scappy', headers: { Host: 'niniz.com' } });
    expect(field(answer.body, 'Name')).toBe('scappy');
  });

  it('answers 503 no healthy upstream for a Service without ready pods', async () => {
    await double.kubectl([
      'apply',
      '-f',
      await files.write(
        'ghost.yaml',
        service('ghost-svc', 'ghost', 'ClusterIP') +
          '---\n' +
          ingress('ghost', rule('ghost.niniz.com', [['/', 'ghost-svc']])),
      ),
    ]);
    const answer = await get('ghost.niniz.com');
    expect(answer.status).toBe(503);
    expect(answer.body).toBe('no healthy upstream');
  });

  it('leaves Ingresses of another class alone', async () => {
    const other = ingress('other', rule('other.niniz.com', [['/', 'jordy-svc']])).replace(
      'ingressClassName: contour',
      'ingressClassName: nginx',
    );
    await double.kubectl(['apply', '-f', await files.write('other.yaml', other)]);
    expect((await get('other.niniz.com')).status).toBe(404);
  });

  it('serves TLS by SNI with the secret’s certificate, and fails the handshake for other names', async () => {
    const cert = selfSigned(['niniz.com']);
    const certFile = await files.write('niniz.cert', cert.certPem);
    const keyFile = await files.write('niniz.key', cert.keyPem);
    const tlsIngress = ingress(
      'paths',
      rule('niniz.com', [
        ['/jordy', 'jordy-svc'],
        ['/scappy', 'scappy-svc'],
      ]),
      '  tls:\n    - hosts: [niniz.com]\n      secretName: niniz-secret\n',
    );
    await double.kubectl(['apply', '-f', await files.write('paths.yaml', tlsIngress)]);
    // The secret does not exist yet: no host has a certificate, so Envoy has no HTTPS listener at all.
    expect(await probe('127.0.0.1', ports.https)).toBe('closed');

    const created = await double.kubectl([
      'create',
      'secret',
      'tls',
      'niniz-secret',
      `--cert=${certFile}`,
      `--key=${keyFile}`,
    ]);
    expect(created.stdout).toBe('secret/niniz-secret created\n');
    const secret = JSON.parse((await double.kubectl(['get', 'secret', 'niniz-secret', '-o', 'json'])).stdout);
    expect(secret.type).toBe('kubernetes.io/tls');
    expect(Buffer.from(secret.data['tls.crt'], 'base64').toString()).toBe(cert.certPem);

    const good = await handshake('127.0.0.1', ports.https, 'niniz.com');
    expect(good).toEqual({ ok: true, fingerprint256: cert.fingerprint256 });
    const answer = await httpsRequest('127.0.0.1', ports.https, 'niniz.com', '/jordy');
    expect(field(answer.body, 'Name')).toBe('jordy');
    expect(field(answer.body, 'X-Forwarded-Proto')).toBe('https');
    expect((await handshake('127.0.0.1', ports.https, 'jordy.niniz.com')).ok).toBe(false);
    expect((await handshake('127.0.0.1', ports.https)).ok).toBe(false);
    expect((await double.kubectl(['get', 'ing', 'paths'])).stdout).toMatch(/\s80, 443\s/);
  });

  it('takes the certificate from a Secret manifest with base64 data as well', async () => {
    const cert = selfSigned(['jordy.niniz.com']);
    const b64 = (text: string) => Buffer.from(text).toString('base64');
    const secret = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: jordy-tls\ntype: kubernetes.io/tls\ndata:\n  tls.crt: ${b64(cert.certPem)}\n  tls.key: ${b64(cert.keyPem)}\n`;
    const hosts = ingress(
      'hosts',
      rule('jordy.niniz.com', [['/', 'jordy-svc']]) + rule('scappy.niniz.com', [['/', 'scappy-svc']]),
      '  tls:\n    - hosts: [jordy.niniz.com]\n      secretName: jordy-tls\n',
    );
    const applied = await double.kubectl([
      'apply',
      '-f',
      await files.write('tls-hosts.yaml', secret + '---\n' + hosts),
    ]);
    expect(applied.stdout).toBe('secret/jordy-tls created\ningress.networking.k8s.io/hosts configured\n');
    expect(await handshake('127.0.0.1', ports.https, 'jordy.niniz.com')).toEqual({
      ok: true,
      fingerprint256: cert.fingerprint256,
    });
    expect((await handshake('127.0.0.1', ports.https, 'scappy.niniz.com')).ok).toBe(false);
  });
});
