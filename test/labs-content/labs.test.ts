import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { NODE_LABEL, NODE_PORTS } from '../../src/cluster/types.js';
import { labSchema, type LabData } from '../../src/engine/lab-schema.js';
import { placeholders } from '../../src/engine/template.js';
import { packageRoot } from '../../src/platform/paths.js';
import { lintManifestFile } from '../../scripts/lint-manifests.js';

/**
 * The NodePort, LoadBalancer and externalTrafficPolicy labs as data: they validate, and what they check agrees with
 * what they apply and with the facts of the post. The self-test against the cluster double (test/e2e) proves that
 * each check fails before its step and passes after it.
 */
const ROOT = packageRoot();
const LABS = ['01-nodeport', '02-loadbalancer', '06-traffic-policy'];
const NETWORK_CHECKS = new Set(['http', 'tls', 'refused', 'dropped', 'spread', 'sticky', 'source-ip']);

type Obj = Record<string, any>;

function readLab(folder: string): LabData {
  return labSchema.parse(parse(readFileSync(join(ROOT, 'labs', folder, 'lab.yaml'), 'utf8')));
}

function manifests(file: string): Obj[] {
  return parseAllDocuments(readFileSync(join(ROOT, file), 'utf8'))
    .map((d) => d.toJS() as Obj)
    .filter(Boolean);
}

function manifest(file: string): Obj {
  const [only, ...more] = manifests(file);
  expect(more, `${file} holds one object`).toEqual([]);
  return only!;
}

const appliedFile = (action: Obj): string | undefined =>
  typeof action.apply === 'string' ? action.apply : action.apply?.file;

/** Partial match as the k8s check does it: only the given fields count; list items may match in any order. */
function contains(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(expected))
    return Array.isArray(actual) && expected.every((e) => actual.some((a) => contains(a, e)));
  if (expected && typeof expected === 'object') {
    return (
      !!actual &&
      typeof actual === 'object' &&
      Object.entries(expected).every(([k, v]) => contains((actual as Obj)[k], v))
    );
  }
  return actual === expected;
}

describe.each(LABS)('lab %s', (folder) => {
  const lab = readLab(folder);

  it('has the id of its folder and texts in both languages', () => {
    expect(`${folder.slice(0, 3)}${lab.id}`).toBe(folder);
    for (const step of lab.steps) {
      for (const text of [step.title, step.explain, step.hint, step.solution]) {
        expect(text.ko).toMatch(/[\uAC00-\uD7A3]/);
        expect(text.en).not.toBe(text.ko);
      }
      for (const check of step.checks) expect(check.title, `${step.id}: every check has a title`).toBeDefined();
    }
  });

  it('deploys its app in setup and waits for it', () => {
    const deployment = manifest(appliedFile(lab.setup[0]!)!);
    expect(deployment.kind).toBe('Deployment');
    expect(lab.setup[1]).toMatchObject({
      kubectl: { args: ['rollout', 'status', `deployment/${deployment.metadata.name}`, '--timeout=180s'] },
    });
  });

  it('observes the network in every step, not only the API', () => {
    for (const step of lab.steps) {
      expect(
        step.checks.some((c) => Object.keys(c).some((k) => NETWORK_CHECKS.has(k))),
        step.id,
      ).toBe(true);
    }
  });

  it('names only files that exist and validate against the Kubernetes schema', async () => {
    const files = new Set(
      [
        ...lab.setup.map((a) => appliedFile(a)),
        ...lab.steps.flatMap((s) => [...s.show, ...s.actions.map((a) => appliedFile(a))]),
      ].filter((f): f is string => !!f),
    );
    const problems: string[] = [];
    for (const file of files) await lintManifestFile(ROOT, file, problems);
    expect(problems).toEqual([]);
  });

  it('checks each object as the manifests it applies describe it', () => {
    const applied: Obj[] = lab.setup.flatMap((a) => (appliedFile(a) ? manifests(appliedFile(a)!) : []));
    for (const step of lab.steps) {
      applied.push(...step.actions.flatMap((a) => (appliedFile(a) ? manifests(appliedFile(a)!) : [])));
      for (const check of step.checks.filter((c) => c.k8s)) {
        const { kind, name, match } = check.k8s as Obj;
        const object = applied.findLast((m) => m.kind.toLowerCase() === kind && m.metadata.name === name);
        expect(object, `${step.id}: ${kind}/${name} is applied by this step or an earlier one`).toBeDefined();
        expect(contains(object, match), `${step.id}: ${kind}/${name} matches ${JSON.stringify(match)}`).toBe(true);
      }
    }
  });

  it('reads dynamic values only from Services the lab itself creates', () => {
    const created = new Set<string>();
    for (const step of lab.steps) {
      for (const action of step.actions) {
        const file = appliedFile(action);
        if (file) for (const m of manifests(file)) if (m.kind === 'Service') created.add(m.metadata.name);
      }
      const names = placeholders(JSON.stringify(step.checks)).flatMap(
        (p) => /^service\.([a-z0-9-]+)\./.exec(p)?.[1] ?? [],
      );
      for (const name of names) expect(created, `${step.id}: {{service.${name}.…}}`).toContain(name);
    }
  });

  it('gives solutions that apply the workspace copy of each file the step applies', () => {
    for (const step of lab.steps) {
      for (const file of step.actions.map(appliedFile).filter((f): f is string => !!f)) {
        const copy = `kubectl --context {{context}} apply -f {{workspace}}/${file.replace(/^fixtures\//, '')}`;
        expect(step.solution.en, step.id).toContain(copy);
        expect(step.solution.ko, step.id).toContain(copy);
      }
    }
  });
});

describe('solutions of every lab', () => {
  const folders = readdirSync(join(ROOT, 'labs'))
    .filter((f) => /^\d\d-/.test(f))
    .sort();

  it.each(folders)('%s: every kubectl command names the lab context', (folder) => {
    let seen = 0;
    for (const step of readLab(folder).steps) {
      for (const text of [step.solution.ko, step.solution.en]) {
        // Command lines, commented-out alternatives and the right side of a pipe.
        const calls = text
          .split('\n')
          .flatMap((line) => line.split('|'))
          .map((part) => part.trim().replace(/^# /, ''))
          .filter((part) => part.startsWith('kubectl '));
        for (const call of calls) expect(call, step.id).toMatch(/^kubectl --context \{\{context\}\} /);
        seen += calls.length;
      }
    }
    expect(seen).toBeGreaterThan(0);
  });
});

describe('facts from the post and the lab cluster', () => {
  it("jordy-node-port-svc is the post's Service on the nodePort the cluster maps", () => {
    const svc = manifest('fixtures/nodeport/jordy-node-port-svc.yaml');
    expect(svc).toMatchObject({
      kind: 'Service',
      metadata: { name: 'jordy-node-port-svc' },
      spec: { type: 'NodePort', selector: { app: 'jordy' } },
    });
    expect(svc.spec.ports).toEqual([{ port: 80, targetPort: 8080, nodePort: NODE_PORTS.nodePortLab }]);
  });

  it('the unmapped Service uses a nodePort that no port mapping of the cluster leads to', () => {
    const svc = manifest('fixtures/nodeport/jordy-unmapped-svc.yaml');
    const nodePort = svc.spec.ports[0].nodePort;
    expect(nodePort).toBeGreaterThanOrEqual(30000);
    expect(Object.values(NODE_PORTS)).not.toContain(nodePort);
  });

  it("jordy-lb-svc is the post's LoadBalancer, leaving the nodePort to Kubernetes", () => {
    const svc = manifest('fixtures/loadbalancer/jordy-lb-svc.yaml');
    expect(svc).toMatchObject({
      metadata: { name: 'jordy-lb-svc' },
      spec: { type: 'LoadBalancer', selector: { app: 'jordy' } },
    });
    expect(svc.spec.ports).toEqual([{ port: 80, targetPort: 8080 }]);
  });

  it('the sample apps are whoami Deployments named after their label', () => {
    for (const [file, name, replicas] of [
      ['fixtures/apps/jordy.yaml', 'jordy', 3],
      ['fixtures/apps/scappy.yaml', 'scappy', 2],
    ] as const) {
      const d = manifest(file);
      expect(d).toMatchObject({
        kind: 'Deployment',
        metadata: { name },
        spec: { replicas, selector: { matchLabels: { app: name } } },
      });
      const pod = d.spec.template;
      expect(pod.metadata.labels).toEqual({ app: name });
      expect(pod.spec.containers).toMatchObject([
        {
          image: 'traefik/whoami:v1.11.0',
          args: ['--port=8080', `--name=${name}`],
          ports: [{ containerPort: 8080 }],
          readinessProbe: { httpGet: { path: '/health', port: 8080 } },
        },
      ]);
    }
  });

  it('the traffic-policy lab runs exactly one pod, on worker a, behind both policies on the mapped nodePort', () => {
    const d = manifest('fixtures/traffic-policy/jordy-solo.yaml');
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.template.spec.nodeSelector).toEqual({ [NODE_LABEL]: 'a' });
    const local = manifest('fixtures/traffic-policy/jordy-solo-svc.yaml');
    const cluster = manifest('fixtures/traffic-policy/jordy-solo-svc-cluster.yaml');
    expect(local.spec.externalTrafficPolicy).toBe('Local');
    expect(cluster.spec.externalTrafficPolicy).toBe('Cluster');
    expect({ ...cluster.spec, externalTrafficPolicy: 'Local' }).toEqual(local.spec);
    expect(local.spec.ports[0].nodePort).toBe(NODE_PORTS.trafficPolicyLab);
    expect(local.spec.selector).toEqual(d.spec.template.metadata.labels);
  });
});
