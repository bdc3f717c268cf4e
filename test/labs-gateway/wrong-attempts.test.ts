import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../src/engine/lab.js';
import { loadLabs } from '../../src/engine/lab-loader.js';
import { runCheck } from '../../src/engine/runner.js';
import { checkContext } from '../checks/context.js';
import { selfSigned } from '../double/certs.js';
import { eventually, scratch } from '../double/clients.js';
import { service, whoamiDeployment } from '../double/manifests.js';
import { ClusterDouble, freeHostPorts } from '../support/cluster-double/index.js';

/**
 * Lab 08's checks against the wrong attempts a learner makes, on the double: each must not pass. (The self-test
 * proves they fail before their step and pass after it; this proves they reject the near misses.)
 */
const root = join(import.meta.dirname, '..', '..');
let double: ClusterDouble;
let files: Awaited<ReturnType<typeof scratch>>;
let lab: Lab;
let ctx: ReturnType<typeof checkContext>;

const GATEWAY = (className: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: niniz-gateway
spec:
  gatewayClassName: ${className}
  listeners:
  - name: http
    protocol: HTTP
    port: 80
`;

function route(name: string, parent: string, host: string, path: string, type: string, backend: string): string {
  return `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: ${name}
spec:
  parentRefs:
  - name: ${parent}
  hostnames: [${host}]
  rules:
  - matches:
    - path: { type: ${type}, value: ${path} }
    backendRefs:
    - { name: ${backend}, port: 80 }
`;
}

async function apply(name: string, text: string): Promise<void> {
  const out = await double.kubectl(['apply', '-f', await files.write(name, text)]);
  expect(out.stderr).toBe('');
}

/** The verdict of check `index` of step `stepId`, once the double has settled on it. */
async function verdict(stepId: string, index: number): Promise<string> {
  const step = lab.steps.find((s) => s.id === stepId)!;
  const result = await runCheck(step.checks[index]!, { ...ctx, signal: new AbortController().signal });
  return result.verdict;
}

beforeAll(async () => {
  double = await ClusterDouble.start({ ports: await freeHostPorts() });
  files = await scratch();
  lab = (await loadLabs(root)).find((l) => l.id === 'gateway')!;
  ctx = checkContext({ cluster: double, vantage: 'auto' });
  await apply(
    'apps.yaml',
    [
      whoamiDeployment('jordy', 3),
      whoamiDeployment('scappy', 2),
      service('jordy-node-port-svc', 'jordy', 'NodePort'),
      service('scappy-node-port-svc', 'scappy', 'NodePort'),
    ].join('---\n'),
  );
  await double.kubectl(['rollout', 'status', 'deployment/jordy']);
  await double.kubectl(['rollout', 'status', 'deployment/scappy']);
});

afterAll(async () => {
  await double?.stop();
  await files?.dispose();
});

describe('lab 08 checks reject the near misses', () => {
  it('a Gateway of another class (contour): never accepted, no address to send to', async () => {
    await apply('gw.yaml', GATEWAY('contour'));
    await new Promise((r) => setTimeout(r, 400));
    expect(await verdict('gateway', 0)).toBe('wrong');
    expect(await verdict('gateway', 1)).toBe('not-yet');
    await apply('gw.yaml', GATEWAY('cloud-provider-kind'));
    await eventually(async () => ((await verdict('gateway', 1)) === 'pass' ? true : undefined));
  });

  it('a route with a misspelt host, or attached to a Gateway that does not exist: jordy.niniz.com gets no pod', async () => {
    await apply(
      'typo.yaml',
      route('jordy-host-route', 'niniz-gateway', 'jordy.niniz.co', '/', 'PathPrefix', 'jordy-node-port-svc'),
    );
    await new Promise((r) => setTimeout(r, 300));
    // Envoy's 404 reads as "not yet": the route the step makes is not there.
    expect(await verdict('host-routes', 0)).toBe('not-yet');
    await apply(
      'orphan.yaml',
      route('scappy-host-route', 'niniz-gw', 'scappy.niniz.com', '/', 'PathPrefix', 'scappy-node-port-svc'),
    );
    await new Promise((r) => setTimeout(r, 300));
    // No parent status at all, so neither the BackendNotFound check nor the fixed one passes.
    expect(await verdict('host-routes', 3)).toBe('wrong');
    expect(await verdict('fix-backend', 0)).toBe('wrong');
  });

  it('the path route with Exact instead of PathPrefix: /scappy/a is not matched', async () => {
    await apply(
      'exact.yaml',
      route('niniz-path-route', 'niniz-gateway', 'niniz.com', '/scappy', 'Exact', 'scappy-node-port-svc'),
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(await verdict('path-route', 1)).toBe('not-yet');
    expect(await verdict('path-route', 0)).toBe('not-yet');
  });

  it('a certificate other than the one the tool made: the fingerprint differs', async () => {
    const made = selfSigned(['niniz.com']);
    writeFileSync(join(ctx.paths.workspace, 'niniz.cert'), made.certPem);
    const other = selfSigned(['niniz.com']);
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    await apply(
      'secret.yaml',
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: niniz-secret\ntype: kubernetes.io/tls\ndata:\n  tls.crt: ${b64(other.certPem)}\n  tls.key: ${b64(other.keyPem)}\n`,
    );
    const tlsGateway = await files.write('gw-tls.yaml', '');
    writeFileSync(
      tlsGateway,
      GATEWAY('cloud-provider-kind') +
        '  - name: niniz-com-https\n    protocol: HTTPS\n    port: 443\n    hostname: niniz.com\n    tls:\n      certificateRefs:\n      - name: niniz-secret\n',
    );
    await double.kubectl(['apply', '-f', tlsGateway]);
    await eventually(async () => ((await verdict('tls', 0)) === 'pass' ? true : undefined));
    expect(await verdict('tls', 1)).toBe('wrong');
  });
});
