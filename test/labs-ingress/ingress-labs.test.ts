import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { kubectlSubsetProblem } from '../../scripts/kubectl-subset.js';
import { validateManifest } from '../../scripts/kube-schema.js';
import { lintLabs } from '../../scripts/lint-labs.js';
import { partialDiff } from '../../src/checks/partial-match.js';
import type { Lab, LabAction, Step } from '../../src/engine/lab.js';
import { loadLabs } from '../../src/engine/lab-loader.js';
import { labSchema } from '../../src/engine/lab-schema.js';
import { placeholders } from '../../src/engine/template.js';
import { convertIngressYaml } from '../../src/ingress/convert.js';

const root = join(import.meta.dirname, '..', '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

/** This area's labs, by folder. */
const FOLDERS = {
  'ingress-host': '03-ingress-host',
  'ingress-hosts': '04-ingress-hosts',
  'ingress-paths': '05-ingress-paths',
  'ingress-tls': '07-ingress-tls',
} as const;
type LabId = keyof typeof FOLDERS;
const LAB_IDS = Object.keys(FOLDERS) as LabId[];

const LEGACY_FILES = [
  'fixtures/ingress/post/jordy-ing.yaml',
  'fixtures/ingress/post/basic-niniz-ing.yaml',
  'fixtures/ingress/post/basic-niniz-ing-multi-path.yaml',
  'fixtures/ingress/post/basic-niniz-ing-multi-path-tls.yaml',
];
const V1_FILES = [
  'fixtures/ingress/basic-jordy-ing.yaml',
  'fixtures/ingress/basic-niniz-ing.yaml',
  'fixtures/ingress/basic-niniz-ing-multi-path.yaml',
  'fixtures/ingress/basic-niniz-ing-multi-path-tls.yaml',
  'fixtures/services/scappy-node-port-svc.yaml',
];
/** What today's kubectl says to the post's YAML (kubectl 1.36: resource mapping not found, then "ensure CRDs are installed first"). */
const REJECTION = 'no matches for kind "Ingress" in version "extensions/v1beta1"';
/** Placeholders a text can show without asking the cluster. */
const TEXT_PLACEHOLDERS = new Set(['ports.http', 'ports.https', 'workspace', 'context', 'cluster', 'tool']);

let labs: Map<LabId, Lab>;
beforeAll(async () => {
  const all = await loadLabs(root);
  labs = new Map(all.filter((l) => l.id in FOLDERS).map((l) => [l.id as LabId, l]));
});
const lab = (id: LabId) => labs.get(id)!;

/** The object a manifest file holds (one document each in this area). */
const manifest = (file: string) => parse(read(file));
const specOf = <T>(action: LabAction) => action.spec as T;
const fileOf = (action: LabAction) =>
  typeof action.spec === 'string' ? action.spec : specOf<{ file: string }>(action).file;
const isLegacyApply = (a: LabAction) =>
  a.name === 'apply' && typeof a.spec === 'object' && 'expectError' in (a.spec as object);

/** Everything the setup and the steps up to `index` have applied, and the host names they added. */
function stateAfter(l: Lab, index: number) {
  const actions = [...l.setup, ...l.steps.slice(0, index + 1).flatMap((s) => s.actions)];
  const applied = new Map<string, any>();
  const hostNames = new Set<string>();
  for (const a of actions) {
    if (a.name === 'apply' && !isLegacyApply(a)) {
      const object = manifest(fileOf(a));
      applied.set(`${object.kind}/${object.metadata.name}`.toLowerCase(), object);
    }
    if (a.name === 'hosts-add') for (const n of specOf<{ names: string[] }>(a).names) hostNames.add(n);
  }
  return { applied, hostNames };
}

function textsOf(l: Lab): { ko: string; en: string }[] {
  const entryTitles = (entries: { title?: { ko: string; en: string } }[]) =>
    entries.flatMap((e) => (e.title ? [e.title] : []));
  return [
    l.title,
    l.summary,
    l.recap,
    ...entryTitles(l.setup),
    ...l.steps.flatMap((s: Step) => [
      s.title,
      s.explain,
      s.hint,
      s.solution,
      ...entryTitles(s.actions),
      ...entryTitles(s.checks),
    ]),
  ];
}

describe.each(LAB_IDS)('lab %s', (id) => {
  it('is in its folder, valid against the lab schema, and needs an ingress controller', () => {
    const raw = parse(read(`labs/${FOLDERS[id]}/lab.yaml`));
    expect(labSchema.safeParse(raw).success).toBe(true);
    expect(lab(id).order).toBe(Number(FOLDERS[id].slice(0, 2)));
    expect(lab(id).requires).toContain('ingress');
  });

  it('starts the apps it uses and waits for them, through the shared fixtures', () => {
    const setup = lab(id).setup;
    const applied = setup.filter((a) => a.name === 'apply').map(fileOf);
    expect(applied).toContain('fixtures/apps/jordy.yaml');
    expect(applied).toContain('fixtures/nodeport/jordy-node-port-svc.yaml');
    const waits = setup
      .filter((a) => a.name === 'kubectl')
      .map((a) => specOf<{ args: string[] }>(a).args.slice(0, 3).join(' '));
    expect(waits).toContain('rollout status deployment/jordy');
    if (applied.includes('fixtures/apps/scappy.yaml')) expect(waits).toContain('rollout status deployment/scappy');
  });

  it('proves every step over the network, with at least one check the cluster cannot fake through its API', () => {
    for (const step of lab(id).steps)
      expect(
        step.checks.some((c) => c.def.network),
        step.id,
      ).toBe(true);
  });

  it('asks for kubectl calls inside the subset the cluster double understands', () => {
    for (const action of [...lab(id).setup, ...lab(id).steps.flatMap((s) => s.actions)]) {
      if (action.name !== 'kubectl') continue;
      const spec = specOf<{ args: string[]; undo?: string[] }>(action);
      for (const args of [spec.args, ...(spec.undo ? [spec.undo] : [])])
        expect(kubectlSubsetProblem(args), args.join(' ')).toBeUndefined();
    }
  });

  it('only shows placeholders in its texts that need no cluster', () => {
    for (const text of textsOf(lab(id))) {
      for (const name of [...placeholders(text.ko), ...placeholders(text.en)])
        expect(TEXT_PLACEHOLDERS.has(name), name).toBe(true);
    }
  });

  it('checks only what its manifests make true: every k8s match is part of a manifest applied by then', () => {
    lab(id).steps.forEach((step, index) => {
      const { applied } = stateAfter(lab(id), index);
      for (const check of step.checks) {
        if (check.name !== 'k8s') continue;
        const spec = specOf<{ kind: string; name: string; match?: object }>(check as unknown as LabAction);
        if (spec.kind === 'secret') continue;
        const object = applied.get(`${spec.kind}/${spec.name}`);
        expect(object, `${step.id}: ${spec.kind}/${spec.name} is applied by this step or earlier`).toBeDefined();
        expect(partialDiff(spec.match ?? {}, object), `${step.id}: ${spec.kind}/${spec.name}`).toEqual([]);
      }
    });
  });

  it('sends a host name only where an Ingress rule has it, and by name only once the hosts file has it', () => {
    lab(id).steps.forEach((step, index) => {
      const { applied, hostNames } = stateAfter(lab(id), index);
      const ruleHosts = new Set(
        [...applied.values()]
          .filter((o) => o.kind === 'Ingress')
          .flatMap((o) => o.spec.rules.map((r: { host: string }) => r.host)),
      );
      for (const check of step.checks) {
        if (check.name !== 'http') continue;
        const spec = specOf<{ url: string; host?: string; resolve?: string }>(check as unknown as LabAction);
        const urlHost = new URL(spec.url.replace(/\{\{[^}]+\}\}/g, '1')).hostname;
        const name = spec.host ?? (/^\d+\.\d+\.\d+\.\d+$/.test(urlHost) ? undefined : urlHost);
        if (name) expect(ruleHosts.has(name), `${step.id}: an Ingress rule for ${name}`).toBe(true);
        if (!spec.host && !spec.resolve && name)
          expect(hostNames.has(name), `${step.id}: hosts entry for ${name}`).toBe(true);
      }
    });
  });
});

describe("the post's legacy YAML", () => {
  it.each(LEGACY_FILES)('%s is marked, is extensions/v1beta1, and is refused by the pinned schema', async (file) => {
    const text = read(file);
    expect(text.split('\n')[0]).toBe('# expose-labs: legacy');
    const object = parse(text);
    expect(object.apiVersion).toBe('extensions/v1beta1');
    const verdict = await validateManifest(object);
    expect(verdict.kind).toBe('removed');
    if (verdict.kind === 'removed') expect(verdict.legacyIssues).toEqual([]);
  });

  it('is applied only to show the rejection, always before the v1 Ingress of the same step', () => {
    const legacyApplies = LAB_IDS.flatMap((id) =>
      lab(id).steps.flatMap((step) =>
        step.actions.flatMap((action, i) => {
          if (!isLegacyApply(action)) return [];
          const later = step.actions.slice(i + 1).filter((a) => a.name === 'apply' && !isLegacyApply(a));
          return [{ id, step: step.id, action, later }];
        }),
      ),
    );
    expect(legacyApplies.map((x) => x.id)).toEqual(['ingress-host', 'ingress-hosts', 'ingress-paths']);
    for (const { action, later } of legacyApplies) {
      expect(specOf<{ expectError: string }>(action).expectError).toBe(REJECTION);
      expect(LEGACY_FILES).toContain(fileOf(action));
      expect(later.map((a) => manifest(fileOf(a)).kind)).toContain('Ingress');
    }
  });

  it('each legacy file has a v1 fixture that is its conversion (class contour)', () => {
    const pairs: [string, string][] = [
      ['fixtures/ingress/post/basic-niniz-ing.yaml', 'fixtures/ingress/basic-niniz-ing.yaml'],
      ['fixtures/ingress/post/basic-niniz-ing-multi-path.yaml', 'fixtures/ingress/basic-niniz-ing-multi-path.yaml'],
      [
        'fixtures/ingress/post/basic-niniz-ing-multi-path-tls.yaml',
        'fixtures/ingress/basic-niniz-ing-multi-path-tls.yaml',
      ],
    ];
    for (const [legacy, v1] of pairs) {
      expect(parse(convertIngressYaml(read(legacy), { ingressClassName: 'contour' }).yaml)).toEqual(manifest(v1));
    }
  });
});

describe('the v1 manifests', () => {
  it.each(V1_FILES)('%s parses as one document and validates against the pinned Kubernetes schema', async (file) => {
    const docs = parseAllDocuments(read(file)) as { errors: unknown[]; toJS(): unknown }[];
    expect(docs).toHaveLength(1);
    expect(docs[0]!.errors).toEqual([]);
    expect(await validateManifest(docs[0]!.toJS())).toEqual({ kind: 'valid' });
  });

  it('every Ingress names the class contour and a Service this area or the NodePort lab provides', () => {
    const services = new Set([
      'jordy-node-port-svc',
      manifest('fixtures/services/scappy-node-port-svc.yaml').metadata.name,
    ]);
    for (const file of V1_FILES.filter((f) => f.includes('/ingress/'))) {
      const ingress = manifest(file);
      expect(ingress.spec.ingressClassName, file).toBe('contour');
      for (const rule of ingress.spec.rules) {
        for (const path of rule.http.paths) {
          expect(path.pathType, file).toBe('Prefix');
          expect(services.has(path.backend.service.name), `${file}: ${path.backend.service.name}`).toBe(true);
        }
      }
    }
  });

  it('scappy-node-port-svc selects the scappy pods on their port 8080, like jordy-node-port-svc does for jordy', () => {
    const scappy = manifest('fixtures/services/scappy-node-port-svc.yaml');
    expect(scappy.spec).toEqual({
      type: 'NodePort',
      ports: [{ port: 80, targetPort: 8080 }],
      selector: { app: 'scappy' },
    });
  });
});

describe('the two-hosts lab', () => {
  it("starts without scappy's Service (another lab may have left it), since its own last step creates it", () => {
    const l = lab('ingress-hosts');
    const setupDeletes = l.setup.filter((a) => a.name === 'kubectl').map((a) => specOf<{ args: string[] }>(a).args);
    expect(setupDeletes).toContainEqual(['delete', 'service', 'scappy-node-port-svc', '--ignore-not-found']);
    expect(l.setup.filter((a) => a.name === 'apply').map(fileOf)).not.toContain(
      'fixtures/services/scappy-node-port-svc.yaml',
    );
    expect(
      l.steps
        .at(-1)!
        .actions.filter((a) => a.name === 'apply')
        .map(fileOf),
    ).toContain('fixtures/services/scappy-node-port-svc.yaml');
  });
});

describe('the TLS lab', () => {
  it('checks exactly the certificate its own step generates, through the Secret its own step creates', () => {
    const step = lab('ingress-tls').steps.find((s) => s.checks.some((c) => c.name === 'tls'))!;
    const generate = specOf<{ hosts: string[]; days: number; name: string }>(
      step.actions.find((a) => a.name === 'tls-generate')!,
    );
    expect(generate).toMatchObject({ hosts: ['niniz.com'], days: 360, name: 'niniz' });
    const createAt = step.actions.findIndex(
      (a) => a.name === 'kubectl' && specOf<{ args: string[] }>(a).args[0] === 'create',
    );
    const secret = specOf<{ args: string[]; undo: string[] }>(step.actions[createAt]!);
    // create refuses a Secret that already exists, so a step run again must delete it first.
    const before = step.actions[createAt - 1]!;
    expect(before.name).toBe('kubectl');
    expect(specOf<{ args: string[] }>(before).args).toEqual(['delete', 'secret', 'niniz-secret', '--ignore-not-found']);
    expect(secret.args).toEqual([
      'create',
      'secret',
      'tls',
      'niniz-secret',
      '--cert={{workspace}}/niniz.cert',
      '--key={{workspace}}/niniz.key',
    ]);
    expect(secret.undo).toEqual(['delete', 'secret', 'niniz-secret', '--ignore-not-found']);
    const tls = specOf<{ servername: string; certFile: string }>(
      step.checks.find((c) => c.name === 'tls') as unknown as LabAction,
    );
    expect(tls).toMatchObject({ servername: 'niniz.com', certFile: '{{workspace}}/niniz.cert' });
    const ingress = manifest(fileOf(step.actions.filter((a) => a.name === 'apply').at(-1)!));
    expect(ingress.spec.tls).toEqual([{ hosts: ['niniz.com'], secretName: 'niniz-secret' }]);
    const https = step.checks
      .filter((c) => c.name === 'http')
      .map((c) => specOf<{ url: string; insecure?: boolean }>(c as unknown as LabAction));
    expect(https.length).toBeGreaterThan(0);
    for (const h of https)
      expect(h).toMatchObject({
        url: expect.stringMatching(/^https:\/\/niniz\.com:\{\{ports\.https\}\}\//),
        insecure: true,
      });
  });
});

describe('lint:labs on this area', () => {
  it('finds no problem in these labs or their fixtures', async () => {
    const { problems } = await lintLabs(root);
    const mine = problems.filter((p) => /labs\/0[3457]-ingress|fixtures\/(ingress|services)\//.test(p));
    expect(mine).toEqual([]);
  }, 30_000);
});
