import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REMOVED_API_VERSIONS, schemaInfo, validateManifest } from '../../scripts/kube-schema.js';

const service = (
  spec: Record<string, unknown>,
  metadata: Record<string, unknown> = { name: 'jordy-node-port-svc' },
) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata,
  spec,
});

/** The post's first Ingress, as written in 2019. */
const POST_INGRESS = {
  apiVersion: 'extensions/v1beta1',
  kind: 'Ingress',
  metadata: { name: 'jordy-ing' },
  spec: {
    rules: [
      {
        host: 'sample.jordy.com',
        http: { paths: [{ path: '/', backend: { serviceName: 'jordy-node-port-svc', servicePort: 80 } }] },
      },
    ],
  },
};

describe('Kubernetes schema of the pinned kubernetes-models', () => {
  it('knows which Kubernetes release the installed package models', () => {
    expect(schemaInfo()).toEqual({ packageVersion: '4.5.1', kubernetesVersion: 'v1.33.0' });
  });

  it('accepts a correct Service', async () => {
    const verdict = await validateManifest(
      service({
        type: 'NodePort',
        ports: [{ port: 80, targetPort: 8080, nodePort: 30000 }],
        selector: { app: 'jordy' },
      }),
    );
    expect(verdict).toEqual({ kind: 'valid' });
  });

  it('names the field of a wrong type and the allowed values of an enum', async () => {
    const verdict = await validateManifest(service({ type: 'NodePorts', ports: [{ port: 80, nodePort: 'thirty' }] }));
    expect(verdict.kind).toBe('invalid');
    const messages = verdict.kind === 'invalid' ? verdict.issues.map((i) => i.message) : [];
    expect(messages).toContainEqual(expect.stringMatching(/^spec\.ports\[0\]\.nodePort must be integer/));
    expect(messages).toContainEqual(expect.stringMatching(/^spec\.type .*NodePort/));
  });

  it('requires metadata.name, as kubectl apply does', async () => {
    const verdict = await validateManifest(service({ ports: [{ port: 80 }] }, {}));
    expect(verdict.kind === 'invalid' && verdict.issues[0]!.message).toMatch(/metadata\.name is required/);
  });

  it("rejects the post's extensions/v1beta1 Ingress as no longer served, while it matches its old schema", async () => {
    const verdict = await validateManifest(POST_INGRESS);
    expect(verdict.kind).toBe('removed');
    if (verdict.kind !== 'removed') return;
    expect(verdict.issue.message).toMatch(
      /extensions\/v1beta1 is no longer served \(removed in Kubernetes v1\.22; use networking\.k8s\.io\/v1/,
    );
    expect(verdict.legacyIssues).toEqual([]);
  });

  it('reports a legacy manifest that is broken even for its own apiVersion', async () => {
    const broken = { ...POST_INGRESS, spec: { rules: [{ host: 42 }] } };
    const verdict = await validateManifest(broken);
    expect(verdict.kind === 'removed' && verdict.legacyIssues.map((i) => i.message)).toContainEqual(
      expect.stringMatching(/^spec\.rules\[0\]\.host must be string/),
    );
  });

  it('has no schema for kinds or apiVersions Kubernetes does not have', async () => {
    const verdict = await validateManifest({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingres',
      metadata: { name: 'x' },
    });
    expect(verdict.kind === 'invalid' && verdict.issues[0]!.message).toBe(
      'no Kubernetes schema for kind Ingres in networking.k8s.io/v1',
    );
  });

  it('refuses documents that are not manifests, and skips the kind cluster config', async () => {
    expect((await validateManifest({ hosts: ['niniz.com'] })).kind).toBe('invalid');
    expect((await validateManifest('just text')).kind).toBe('invalid');
    expect((await validateManifest({ apiVersion: 'kind.x-k8s.io/v1alpha4', kind: 'Cluster', nodes: [] })).kind).toBe(
      'skipped',
    );
  });

  it('lists every beta apiVersion the package carries as removed (a package upgrade must revisit the table)', () => {
    const root = dirname(createRequire(import.meta.url).resolve('kubernetes-models'));
    const betas = readdirSync(root, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !d.name.startsWith('_'))
      .flatMap((group) =>
        readdirSync(`${root}/${group.name}`, { withFileTypes: true })
          .filter((v) => v.isDirectory() && /beta|alpha/.test(v.name))
          .map((v) => (group.name === 'v1' ? v.name : `${group.name}/${v.name}`)),
      );
    expect(betas.length).toBeGreaterThan(10);
    expect(betas.filter((apiVersion) => !REMOVED_API_VERSIONS.has(apiVersion))).toEqual([]);
  });
});

describe('Gateway API schema (the v1.5.0 CRDs cloud-provider-kind v0.11.1 installs)', () => {
  const gateway = (listener: Record<string, unknown>) => ({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: 'niniz-gateway' },
    spec: { gatewayClassName: 'cloud-provider-kind', listeners: [listener] },
  });

  it('accepts a Gateway the lab writes', async () => {
    expect(await validateManifest(gateway({ name: 'http', protocol: 'HTTP', port: 80 }))).toEqual({ kind: 'valid' });
  });

  it('refuses a port out of range, a listener name that is not a section name, and an HTTPRoute path type it does not know', async () => {
    const bad = await validateManifest(gateway({ name: 'Not Valid', protocol: 'HTTP', port: 0 }));
    expect(bad.kind).toBe('invalid');
    const messages = bad.kind === 'invalid' ? bad.issues.map((i) => i.message) : [];
    expect(messages).toContain('spec.listeners[0].port must be >= 1');
    expect(messages.some((m) => m.startsWith('spec.listeners[0].name must match pattern'))).toBe(true);
    const route = await validateManifest({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'r' },
      spec: { rules: [{ matches: [{ path: { type: 'Prefix', value: '/' } }] }] },
    });
    expect(route).toEqual({
      kind: 'invalid',
      issues: [
        {
          path: ['spec', 'rules', 0, 'matches', 0, 'path', 'type'],
          message:
            'spec.rules[0].matches[0].path.type must be equal to one of the allowed values (Exact, PathPrefix, RegularExpression)',
        },
      ],
    });
  });

  it('has no schema for a Gateway API kind the cluster does not serve in v1', async () => {
    const verdict = await validateManifest({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'TCPRoute',
      metadata: { name: 't' },
    });
    expect(verdict).toEqual({
      kind: 'invalid',
      issues: [{ path: ['kind'], message: 'no Gateway API schema for kind TCPRoute' }],
    });
  });
});
