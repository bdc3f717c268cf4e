import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ClusterDouble, freeHostPorts } from '../support/cluster-double/index.js';
import { packageRoot } from '../../src/platform/paths.js';
import { convertToGateway } from '../../src/ingress/to-gateway.js';
import { readFileSync } from 'node:fs';
import { selfSigned } from './certs.js';
import { eventually, field, handshake, httpsRequest, probe, request, scratch } from './clients.js';
import { service, whoamiDeployment } from './manifests.js';
import type http from 'node:http';

/** cloud-provider-kind v0.11.1's Gateway API, as the double serves it from lab 08's own manifests. */
let double: ClusterDouble;
let files: Awaited<ReturnType<typeof scratch>>;
const fixture = (name: string) => join(packageRoot(), 'fixtures', 'gateway', name);

async function json(args: string[]): Promise<any> {
  const out = await double.kubectl([...args, '-o', 'json']);
  expect(out.stderr).toBe('');
  return JSON.parse(out.stdout);
}

async function address(): Promise<string> {
  return eventually(async () => (await json(['get', 'gateway', 'niniz-gateway'])).status?.addresses?.[0]?.value);
}

const get = async (host: string, path = '/', agent?: http.Agent) =>
  request({ host: await address(), port: 80, path, headers: { Host: host }, agent });

function conditions(list: { type: string; status: string; reason: string }[] | undefined): string[] {
  return (list ?? []).map((c) => `${c.type}=${c.status}/${c.reason}`);
}

beforeAll(async () => {
  double = await ClusterDouble.start({ ports: await freeHostPorts() });
  files = await scratch();
  const apps = [
    whoamiDeployment('jordy', 3),
    whoamiDeployment('scappy', 2),
    service('jordy-node-port-svc', 'jordy', 'ClusterIP'),
  ].join('---\n');
  await double.kubectl(['apply', '-f', await files.write('apps.yaml', apps)]);
  await double.kubectl(['rollout', 'status', 'deployment/jordy']);
  await double.kubectl(['rollout', 'status', 'deployment/scappy']);
});

afterAll(async () => {
  await double?.stop();
  await files?.dispose();
});

describe('Gateway API on the double (cloud-provider-kind v0.11.1)', () => {
  it('has the GatewayClass cloud-provider-kind, accepted, from the start', async () => {
    const out = await double.kubectl(['get', 'gatewayclass']);
    expect(out.stdout).toMatch(
      /^NAME\s+CONTROLLER\s+ACCEPTED\s+AGE\ncloud-provider-kind\s+kind\.sigs\.k8s\.io\/gateway-controller\s+True\s+/,
    );
  });

  it('a new Gateway reads Pending until its Envoy runs, then gets its own address and Accepted/Programmed', async () => {
    const applied = await double.kubectl(['apply', '-f', fixture('niniz-gateway.yaml')]);
    expect(applied.stdout).toBe('gateway.gateway.networking.k8s.io/niniz-gateway created\n');
    const fresh = await json(['get', 'gateway', 'niniz-gateway']);
    expect(conditions(fresh.status.conditions)).toEqual(['Accepted=Unknown/Pending', 'Programmed=Unknown/Pending']);
    const ip = await address();
    const gw = await json(['get', 'gateway', 'niniz-gateway']);
    expect(conditions(gw.status.conditions)).toEqual(['Accepted=True/Accepted', 'Programmed=True/Programmed']);
    expect(gw.status.listeners[0]).toMatchObject({ name: 'http', attachedRoutes: 0 });
    expect(conditions(gw.status.listeners[0].conditions)).toEqual([
      'ResolvedRefs=True/ResolvedRefs',
      'Programmed=True/Programmed',
      'Accepted=True/Accepted',
    ]);
    // Its own address, not the ingress node's host port mapping.
    expect(ip).not.toBe('127.0.0.1');
    const table = await double.kubectl(['get', 'gateway']);
    expect(table.stdout).toMatch(
      new RegExp(`niniz-gateway\\s+cloud-provider-kind\\s+${ip.replace(/\./g, '\\.')}\\s+True`),
    );
    const none = await get('jordy.niniz.com');
    expect([none.status, none.body, none.headers.server]).toEqual([404, '', 'envoy']);
  });

  it('routes by host; a route to a missing Service is Accepted but ResolvedRefs=False/BackendNotFound and answers 500', async () => {
    await double.kubectl(['apply', '-f', fixture('host-routes.yaml')]);
    const jordy = await eventually(async () => {
      const a = await get('jordy.niniz.com');
      return a.status === 200 ? a : undefined;
    });
    expect(field(jordy.body, 'Hostname')).toMatch(/^jordy-/);
    // The pod sees the control-plane node (kube-proxy's SNAT there); X-Forwarded-For keeps the client.
    expect(field(jordy.body, 'RemoteAddr')).toMatch(/\.2:\d+$/);
    expect(jordy.body).toMatch(/X-Forwarded-For: 127\.0\.0\.1\r\n/);
    const scappy = await get('scappy.niniz.com');
    expect([scappy.status, scappy.body]).toEqual([500, '']);
    const route = await json(['get', 'httproute', 'scappy-host-route']);
    expect(route.status.parents).toHaveLength(1);
    expect(route.status.parents[0].controllerName).toBe('kind.sigs.k8s.io/gateway-controller');
    expect(route.status.parents[0].conditions.map((c: any) => [c.type, c.status, c.reason, c.message])).toEqual([
      ['Accepted', 'True', 'Accepted', 'Route is accepted.'],
      ['ResolvedRefs', 'False', 'BackendNotFound', 'backend not found'],
    ]);
    const gw = await json(['get', 'gateway', 'niniz-gateway']);
    expect(gw.status.listeners[0].attachedRoutes).toBe(2);
    expect((await get('niniz.com')).status).toBe(404);

    await double.kubectl([
      'apply',
      '-f',
      await files.write('scappy-svc.yaml', service('scappy-node-port-svc', 'scappy', 'NodePort')),
    ]);
    const fixed = await eventually(async () => {
      const a = await get('scappy.niniz.com');
      return a.status === 200 ? a : undefined;
    });
    expect(field(fixed.body, 'Hostname')).toMatch(/^scappy-/);
    const resolved = await json(['get', 'httproute', 'scappy-host-route']);
    expect(conditions(resolved.status.parents[0].conditions)).toEqual([
      'Accepted=True/Accepted',
      'ResolvedRefs=True/ResolvedRefs',
    ]);
  });

  it('Envoy pools its upstream connections: separate client connections reuse one pooled connection, one pod', async () => {
    const pods = new Set<string>();
    for (let i = 0; i < 6; i++) pods.add(field((await get('jordy.niniz.com')).body, 'Hostname')!);
    expect(pods.size).toBe(1);
  });

  it('routes by path element (PathPrefix), and a route whose hostname fits no listener is not accepted', async () => {
    await double.kubectl(['apply', '-f', fixture('path-route.yaml')]);
    await eventually(async () => ((await get('niniz.com', '/jordy')).status === 200 ? true : undefined));
    expect(field((await get('niniz.com', '/scappy/a')).body, 'Hostname')).toMatch(/^scappy-/);
    expect((await get('niniz.com', '/jordyx')).status).toBe(404);
    expect((await get('niniz.com', '/')).status).toBe(404);
    const other = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: elsewhere
spec:
  parentRefs:
  - name: niniz-gateway
    sectionName: nope
  rules:
  - backendRefs:
    - name: jordy-node-port-svc
      port: 80
`;
    await double.kubectl(['apply', '-f', await files.write('elsewhere.yaml', other)]);
    const route = await eventually(async () => (await json(['get', 'httproute', 'elsewhere'])).status?.parents?.[0]);
    expect(conditions(route.conditions)).toEqual(['Accepted=False/NoMatchingParent', 'ResolvedRefs=True/ResolvedRefs']);
    await double.kubectl(['delete', 'httproute', 'elsewhere']);
  });

  it('HTTPS: without the Secret the listener is not programmed; with it, SNI niniz.com gets exactly that certificate', async () => {
    await double.kubectl(['apply', '-f', fixture('niniz-gateway-tls.yaml')]);
    const ip = await address();
    const broken = await eventually(async () => {
      const gw = await json(['get', 'gateway', 'niniz-gateway']);
      return gw.status.listeners.length === 2 ? gw : undefined;
    });
    const https = broken.status.listeners.find((l: any) => l.name === 'niniz-com-https');
    expect(conditions(https.conditions)).toEqual([
      'ResolvedRefs=False/InvalidCertificateRef',
      'Programmed=False/Invalid',
      'Accepted=True/Accepted',
    ]);
    expect(conditions(broken.status.conditions)).toEqual([
      'Accepted=True/Accepted',
      'Programmed=False/ListenersNotProgrammed',
    ]);
    expect(await probe(ip, 443)).toBe('refused');

    const cert = selfSigned(['niniz.com']);
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    // A tls.key with no PEM block: toEnvoyTlsCertificate refuses it (pkg/gateway/listener.go @ v0.11.1).
    const notPem = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: niniz-secret\ntype: kubernetes.io/tls\ndata:\n  tls.crt: ${b64(cert.certPem)}\n  tls.key: ${b64('not a key')}\n`;
    await double.kubectl(['apply', '-f', await files.write('not-pem.yaml', notPem)]);
    const malformed = await eventually(async () => {
      const gw = await json(['get', 'gateway', 'niniz-gateway']);
      const listener = gw.status.listeners.find((l: any) => l.name === 'niniz-com-https');
      const programmed = listener.conditions.find((c: any) => c.type === 'Programmed');
      return programmed.message.includes('convert') ? programmed : undefined;
    });
    expect(malformed.message).toBe(
      'Failed to program listener: failed to build TLS context for listener niniz-com-https: failed to convert secret to tls certificate: secret default/niniz-secret key tls.key does not contain a valid PEM-encoded private key',
    );
    const secret = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: niniz-secret\ntype: kubernetes.io/tls\ndata:\n  tls.crt: ${b64(cert.certPem)}\n  tls.key: ${b64(cert.keyPem)}\n`;
    await double.kubectl(['apply', '-f', await files.write('secret.yaml', secret)]);
    const shaken = await eventually(async () => {
      const h = await handshake(ip, 443, 'niniz.com');
      return h.ok ? h : undefined;
    });
    expect(shaken.fingerprint256).toBe(cert.fingerprint256);
    expect((await handshake(ip, 443, 'jordy.niniz.com')).ok).toBe(false);
    expect((await handshake(ip, 443)).ok).toBe(false);
    const answer = await httpsRequest(ip, 443, 'niniz.com', '/jordy');
    expect(field(answer.body, 'Hostname')).toMatch(/^jordy-/);
    expect(answer.body).toMatch(/X-Forwarded-Proto: https\r\n/);
    const gw = await json(['get', 'gateway', 'niniz-gateway']);
    expect(conditions(gw.status.conditions)).toEqual(['Accepted=True/Accepted', 'Programmed=True/Programmed']);
    // Only the path route's niniz.com fits the HTTPS listener's hostname.
    expect(gw.status.listeners.map((l: any) => [l.name, l.attachedRoutes])).toEqual([
      ['http', 3],
      ['niniz-com-https', 1],
    ]);
  });

  it('refuses what the CRD schema refuses, and frees the address when the Gateway is deleted', async () => {
    const bad = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: bad
spec:
  gatewayClassName: cloud-provider-kind
  listeners:
  - name: http
    protocol: HTTP
    port: 0
`;
    const refused = await double.kubectl(['apply', '-f', await files.write('bad.yaml', bad)]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/^The Gateway "bad" is invalid: spec\.listeners\[0\]\.port must be >= 1/);
    const ip = await address();
    await double.kubectl(['delete', 'gateway', 'niniz-gateway']);
    await eventually(async () => ((await probe(ip, 80)) === 'refused' ? true : undefined));
    expect(double.listening().filter((e) => e.startsWith(`${ip}:`))).toEqual([]);
  });

  it("the output of convert --to gateway for the post's Example 1 applies as it is and routes by host", async () => {
    const source = readFileSync(join(packageRoot(), 'fixtures', 'ingress', 'basic-niniz-ing.yaml'), 'utf8');
    const { yaml } = convertToGateway(source, {
      gatewayClassName: 'cloud-provider-kind',
      generator: 'expose-labs-test',
    });
    const applied = await double.kubectl(['apply', '-f', await files.write('converted.yaml', yaml)]);
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toBe(
      'gateway.gateway.networking.k8s.io/contour created\n' +
        'httproute.gateway.networking.k8s.io/basic-niniz-ing-jordy-niniz-com created\n' +
        'httproute.gateway.networking.k8s.io/basic-niniz-ing-scappy-niniz-com created\n',
    );
    const ip = await eventually(async () => (await json(['get', 'gateway', 'contour'])).status?.addresses?.[0]?.value);
    const answer = await eventually(async () => {
      const a = await request({ host: ip, port: 80, headers: { Host: 'scappy.niniz.com' } });
      return a.status === 200 ? a : undefined;
    });
    expect(field(answer.body, 'Hostname')).toMatch(/^scappy-/);
    // Listeners carry the hostnames, so a name the Ingress did not have finds no virtual host.
    expect((await request({ host: ip, port: 80, headers: { Host: 'niniz.com' } })).status).toBe(404);
  });
});
