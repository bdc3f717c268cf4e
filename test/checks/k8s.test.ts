import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/registry.js';
import type { CheckResult } from '../../src/checks/types.js';
import { tr } from '../../src/core/i18n.js';
import { checkContext, failed, fakeCluster, ok, type KubectlFake } from './context.js';
import { CHECK_SPECS } from '../../src/checks/specs.js';

// `kubectl get service jordy-node-port-svc -o json` as a v1.36 API server returns it (trimmed of managedFields).
const SERVICE = JSON.stringify({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: {
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"apiVersion":"v1","kind":"Service"}\n' },
    creationTimestamp: '2026-11-25T08:00:00Z',
    name: 'jordy-node-port-svc',
    namespace: 'default',
    resourceVersion: '1234',
    uid: '0f6c3f0e-2a8b-4b7e-9a51-5d0c0a1b2c3d',
  },
  spec: {
    clusterIP: '10.96.112.34',
    clusterIPs: ['10.96.112.34'],
    externalTrafficPolicy: 'Cluster',
    internalTrafficPolicy: 'Cluster',
    ipFamilies: ['IPv4'],
    ipFamilyPolicy: 'SingleStack',
    ports: [{ nodePort: 30000, port: 80, protocol: 'TCP', targetPort: 8080 }],
    selector: { app: 'jordy' },
    sessionAffinity: 'None',
    type: 'NodePort',
  },
  status: { loadBalancer: {} },
});

async function run(spec: unknown, kubectl: KubectlFake): Promise<{ r: CheckResult; calls: string[][] }> {
  const cluster = fakeCluster({ kubectl });
  const def = CHECKS.get('k8s')!;
  const r = await def.run(CHECK_SPECS.get(def.name)!.parse(spec), checkContext({ cluster }));
  return { r, calls: cluster.kubectlCalls };
}

const notFound = () => failed('Error from server (NotFound): services "jordy-node-port-svc" not found\n');

describe('k8s', () => {
  it('asks kubectl for JSON and passes on a partial match', async () => {
    const { r, calls } = await run(
      {
        kind: 'service',
        name: 'jordy-node-port-svc',
        match: { spec: { type: 'NodePort', ports: [{ port: 80, targetPort: 8080, nodePort: 30000 }] } },
      },
      () => ok(SERVICE),
    );
    expect(calls).toEqual([['get', 'service', 'jordy-node-port-svc', '-o', 'json']]);
    expect(r.verdict).toBe('pass');
    expect(r.command).toBe('kubectl --context kind-expose-labs get service jordy-node-port-svc -o json');
  });

  it('passes the namespace', async () => {
    const { calls } = await run({ kind: 'deployment', name: 'envoy', namespace: 'projectcontour' }, () => ok('{}'));
    expect(calls).toEqual([['get', 'deployment', 'envoy', '-n', 'projectcontour', '-o', 'json']]);
  });

  it('differs: wrong, with the fields that differ', async () => {
    const { r } = await run(
      {
        kind: 'service',
        name: 'jordy-node-port-svc',
        match: { spec: { type: 'LoadBalancer', ports: [{ targetPort: '8080' }] } },
      },
      () => ok(SERVICE),
    );
    expect(r.verdict).toBe('wrong');
    expect(tr(r.observed, 'en')).toBe(
      'service/jordy-node-port-svc differs:\nspec.type: expected "LoadBalancer", found "NodePort"\nspec.ports[0].targetPort: expected "8080", found 8080',
    );
    expect(tr(r.cause!, 'ko')).toContain('apply');
  });

  it('missing: not yet; with absent: true, that is the pass', async () => {
    expect((await run({ kind: 'service', name: 'jordy-node-port-svc' }, notFound)).r.verdict).toBe('not-yet');
    expect((await run({ kind: 'service', name: 'jordy-node-port-svc', absent: true }, notFound)).r.verdict).toBe(
      'pass',
    );
    const still = await run({ kind: 'service', name: 'jordy-node-port-svc', absent: true }, () => ok(SERVICE));
    expect(still.r.verdict).toBe('not-yet');
    expect(tr(still.r.observed, 'en')).toContain('still exists');
  });

  it('any other kubectl failure is the environment: broken', async () => {
    const refused = await run({ kind: 'service', name: 'x' }, () =>
      failed(
        'E1125 08:00:00.000000 memcache.go:265] couldn\'t get current server API group list: Get "https://127.0.0.1:41234/api?timeout=32s": dial tcp 127.0.0.1:41234: connect: connection refused\nThe connection to the server 127.0.0.1:41234 was refused - did you specify the right host or port?\n',
      ),
    );
    expect(refused.r.verdict).toBe('broken');
    expect(tr(refused.r.observed, 'en')).toContain('was refused');
    const noContext = await run({ kind: 'service', name: 'x' }, () =>
      failed('error: context "kind-expose-labs" does not exist\n'),
    );
    expect(noContext.r.verdict).toBe('broken');
    const badJson = await run({ kind: 'service', name: 'x' }, () => ok('not json'));
    expect(badJson.r.verdict).toBe('broken');
  });

  it('the schema refuses match together with absent, and unknown fields', () => {
    const schema = CHECK_SPECS.get('k8s')!;
    expect(schema.safeParse({ kind: 'service', name: 'x', absent: true, match: {} }).success).toBe(false);
    expect(schema.safeParse({ kind: 'service', name: 'x', mtach: {} }).success).toBe(false);
    expect(CHECKS.get('k8s')!.describe(schema.parse({ kind: 'ingress', name: 'niniz-ing' }))).toBe(
      'kubectl --context {{context}} get ingress niniz-ing -o json',
    );
  });
});
