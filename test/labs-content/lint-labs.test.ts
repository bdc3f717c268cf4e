import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/platform/paths.js';
import { lintLabs, main } from '../../scripts/lint-labs.js';

const ROOT = packageRoot();
const roots: string[] = [];

afterAll(async () => {
  await Promise.all(roots.map((r) => rm(r, { recursive: true, force: true })));
});

/** A package root in a temp dir holding exactly these files. */
async function tempRoot(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'expose-labs-lint-'));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: demo
spec:
  type: NodePort
  ports:
  - port: 80
    targetPort: 8080
  selector:
    app: demo
`;

const LEGACY_INGRESS = `# 글의 원본 / the post's original
# expose-labs: legacy
apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: jordy-ing
spec:
  rules:
  - host: sample.jordy.com
    http:
      paths:
      - path: /
        backend:
          serviceName: jordy-node-port-svc
          servicePort: 80
`;

function lab(steps: string): string {
  return `id: demo
title: { ko: 데모 실습, en: Demo lab }
summary: { ko: 데모 요약, en: Demo summary }
steps:
${steps}
recap: { ko: 정리합니다, en: Recap }
`;
}

function step(id: string, body: string): string {
  return `  - id: ${id}
    title: { ko: 단계 ${id}, en: Step ${id} }
    explain: { ko: 설명입니다, en: Explanation }
${body}
    hint: { ko: 힌트입니다, en: Hint }
    solution: { ko: 풀이입니다, en: Solution }
`;
}

const HTTP_CHECK = `      - http: { url: "http://127.0.0.1:{{ports.nodePort}}/", status: 200 }`;

/** Three known mistakes (a lab needs at least three), caught by a check with the id `answers`. */
const CHECK_AND_MISTAKES = `      - id: answers
        http: { url: "http://127.0.0.1:{{ports.nodePort}}/", status: 200 }
    mistakes:
${[1, 2, 3]
  .map(
    (n) => `      - id: m${n}
        name: { ko: 실수 ${n}, en: Mistake ${n} }
        actions: [{ kubectl: { args: [get, pods] } }]
        caughtBy: answers
        verdict: not-yet
        seen: refused
        hint: { ko: 힌트 ${n}, en: Hint ${n} }`,
  )
  .join('\n')}`;

describe('lint-labs', () => {
  it('passes the NodePort, LoadBalancer and externalTrafficPolicy labs with their fixtures', async () => {
    const root = await tempRoot({});
    for (const dir of [
      'labs/01-nodeport',
      'labs/02-loadbalancer',
      'labs/06-traffic-policy',
      'fixtures/apps',
      'fixtures/nodeport',
      'fixtures/loadbalancer',
      'fixtures/traffic-policy',
    ]) {
      await cp(join(ROOT, dir), join(root, dir), { recursive: true });
    }
    const report = await lintLabs(root);
    expect(report.problems).toEqual([]);
    expect(report.notes.join('\n')).toMatch(/kubernetes-models 4\.5\.1, generated from the Kubernetes v1\.33\.0 API/);
    expect(report.notes.join('\n')).toMatch(/checked 3 labs \(6 steps\)/);
  });

  it('reports a lab with a text missing in Korean, naming file and line', async () => {
    const root = await tempRoot({
      'labs/01-demo/lab.yaml': lab(
        step('one', `    actions:\n      - apply: fixtures/demo/svc.yaml\n    checks:\n${HTTP_CHECK}`),
      ).replace('title: { ko: 단계 one, en: Step one }', 'title: { en: Step one }'),
      'fixtures/demo/svc.yaml': SERVICE,
    });
    const { problems } = await lintLabs(root);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^Lab file labs\/01-demo\/lab\.yaml:6:\d+ has a problem: steps\[0\]\.title\.ko: required/,
    );
  });

  it('reports missing files, invalid manifests, legacy misuse, steps that never touch the network and kubectl outside the subset', async () => {
    const root = await tempRoot({
      'labs/01-demo/lab.yaml': lab(
        step(
          'first',
          `    show: [fixtures/demo/missing.yaml]
    actions:
      - apply: fixtures/demo/bad-svc.yaml
      - apply: fixtures/demo/legacy-ing.yaml
      - apply: { file: fixtures/demo/legacy-ing.yaml, expectError: 'no matches for kind "Ingress"' }
      - kubectl: { args: [scale, deployment/jordy, --replicas=5] }
    checks:
      - k8s: { kind: service, name: demo }`,
        ) +
          step(
            'second',
            `    actions:
      - apply: fixtures/demo/not-legacy.yaml
    checks:
${HTTP_CHECK}`,
          ).replace('title: { ko: 단계 second, en: Step second }', 'title: { ko: Step two, en: Step two }'),
      ),
      'fixtures/demo/bad-svc.yaml': SERVICE.replace('targetPort: 8080', 'targetPort: 8080\n    nodePort: "thirty"'),
      'fixtures/demo/legacy-ing.yaml': LEGACY_INGRESS,
      'fixtures/demo/not-legacy.yaml': `# expose-labs: legacy\n${SERVICE}`,
      'fixtures/demo/post-ing.yaml': LEGACY_INGRESS.replace('# expose-labs: legacy\n', ''),
      'fixtures/demo/broken.yaml': 'apiVersion: v1\nkind: Service\nmetadata: { name: x\n',
    });
    const { problems } = await lintLabs(root);
    const file = 'labs/01-demo/lab.yaml';
    expect(problems).toEqual(
      expect.arrayContaining([
        'fixtures/demo/bad-svc.yaml:10:5: spec.ports[0].nodePort must be integer',
        expect.stringMatching(/^fixtures\/demo\/broken\.yaml:\d+:\d+: YAML syntax/),
        expect.stringMatching(/^fixtures\/demo\/not-legacy\.yaml:2:1: marked "# expose-labs: legacy" but valid/),
        expect.stringMatching(
          /^fixtures\/demo\/post-ing\.yaml:2:1: Ingress in extensions\/v1beta1 is no longer served .*mark it with a leading "# expose-labs: legacy" line$/,
        ),
        `${file}: step first show: fixtures/demo/missing.yaml does not exist`,
        `${file}: step first actions[1] (apply): fixtures/demo/legacy-ing.yaml is the post's legacy YAML (rejected today): only an action with expectError may use it`,
        expect.stringMatching(
          new RegExp(
            `^${file}: step first actions\\[3\\] \\(kubectl\\): kubectl scale deployment/jordy --replicas=5: kubectl scale is not in the subset`,
          ),
        ),
        `${file}: step first: has no network check (only API reads): add one that sends traffic`,
        `${file}: step second title: the Korean text (ko) has no Korean in it`,
        `${file}: step second title: ko and en are the same text`,
        `${file}: step second actions[0] (apply): fixtures/demo/not-legacy.yaml is the post's legacy YAML (rejected today): only an action with expectError may use it`,
        `${file}: lab: lists 0 known mistake(s); list at least 3 that learners make here`,
      ]),
    );
    expect(problems.filter((p) => p.includes('actions[2]'))).toEqual([]);
    expect(problems).toHaveLength(12);
  });

  it('takes the root as its argument, prints the problems and exits 1; exits 0 when all is well', async () => {
    const broken = await tempRoot({
      'labs/01-demo/lab.yaml': lab(
        step('one', `    actions:\n      - apply: fixtures/demo/gone.yaml\n    checks:\n${CHECK_AND_MISTAKES}`),
      ),
    });
    const lines: string[] = [];
    expect(await main([broken], (line) => lines.push(line))).toBe(1);
    expect(lines).toContain('lint-labs: 1 problem:');
    // The loader itself refuses a lab whose fixture is missing; lint reports it like any lab that does not load.
    expect(lines.join('\n')).toMatch(/labs\/01-demo\/lab\.yaml:\d+:\d+ .*fixtures\/demo\/gone\.yaml does not exist/);

    const fine = await tempRoot({
      'labs/01-demo/lab.yaml': lab(
        step('one', `    actions:\n      - apply: fixtures/demo/svc.yaml\n    checks:\n${CHECK_AND_MISTAKES}`),
      ),
      'fixtures/demo/svc.yaml': SERVICE,
    });
    lines.length = 0;
    expect(await main([fine], (line) => lines.push(line))).toBe(0);
    expect(lines.at(-1)).toBe('lint-labs: ok');
    expect(lines[0]).toMatch(/^lint-labs: Kubernetes schema: kubernetes-models 4\.5\.1/);
  });
});
