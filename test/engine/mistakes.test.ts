import { describe, expect, it } from 'vitest';
import type { ActionDefinition } from '../../src/actions/types.js';
import type { CheckDefinition, CheckResult } from '../../src/checks/types.js';
import type { Cluster } from '../../src/cluster/types.js';
import { UserError } from '../../src/core/errors.js';
import type { LabContext } from '../../src/contract/context.js';
import type { Lab, LabAction, LabCheck, Mistake } from '../../src/engine/lab.js';
import { LabLoadError, parseLab } from '../../src/engine/lab-loader.js';
import { patchManifest } from '../../src/engine/mistake-root.js';
import { knownMistake, tryMistake } from '../../src/engine/mistakes.js';
import { selfTestLab } from '../../src/engine/selftest.js';

const LAB = (mistakes: string, checkId = 'answers') => `id: demo
title: { ko: 데모, en: Demo }
summary: { ko: 요약, en: Summary }
steps:
  - id: first
    title: { ko: 첫 단계, en: First step }
    explain: { ko: 설명, en: Explanation }
    actions:
      - apply: fixtures/nodeport/jordy-node-port-svc.yaml
    checks:
      - title: { ko: 응답, en: Answers }
        id: ${checkId}
        http: { url: "http://127.0.0.1:{{ports.nodePort}}/", status: 200, pod: jordy }
    hint: { ko: 힌트, en: Hint }
    solution: { ko: 풀이, en: Solution }
${mistakes}
recap: { ko: 정리, en: Recap }
`;

const MISTAKE = `    mistakes:
      - id: selector-typo
        name: { ko: 오타, en: a typo }
        patch:
          - file: fixtures/nodeport/jordy-node-port-svc.yaml
            set: { spec.selector.app: jordi }
        caughtBy: answers
        verdict: not-yet
        seen: 'HTTP 503'
        hint: { ko: 고치세요, en: Fix it }`;

function refusal(text: string): string {
  try {
    parseLab(text, '/x/labs/01-demo/lab.yaml', 'labs/01-demo/lab.yaml', '01-demo');
  } catch (error) {
    if (error instanceof LabLoadError) return error.problem;
    throw error;
  }
  throw new Error('expected the lab to be refused');
}

describe('mistakes in lab.yaml', () => {
  it('binds a mistake to its step, with the check it names', () => {
    const lab = parseLab(LAB(MISTAKE), '/x/labs/01-demo/lab.yaml', 'labs/01-demo/lab.yaml', '01-demo');
    const [mistake] = lab.steps[0]!.mistakes;
    expect(mistake).toMatchObject({ id: 'selector-typo', caughtBy: 'answers', verdict: 'not-yet', settle: 2 });
    expect(lab.steps[0]!.checks[0]!.id).toBe('answers');
  });

  it('refuses a caughtBy that names no check, a verdict that does not fit, a missing seen, a bad pattern', () => {
    expect(refusal(LAB(MISTAKE, 'other'))).toMatch(/no check of this step has the id "answers"/);
    expect(refusal(LAB(MISTAKE.replace('caughtBy: answers', 'caughtBy: kubectl')))).toMatch(/verdict "refused"/);
    expect(refusal(LAB(MISTAKE.replace('verdict: not-yet', 'verdict: refused')))).toMatch(/caughtBy: kubectl/);
    expect(refusal(LAB(MISTAKE.replace("        seen: 'HTTP 503'\n", '')))).toMatch(/seen: required/);
    expect(refusal(LAB(MISTAKE.replace("'HTTP 503'", "'HTTP ('")))).toMatch(/not a regular expression/);
    expect(refusal(LAB(MISTAKE.replace('verdict: not-yet', 'verdict: pass')))).toMatch(/give it before:/);
  });

  it('refuses a patch of a file nothing in the try applies, and an unknown field', () => {
    expect(refusal(LAB(MISTAKE.replace('file: fixtures/nodeport/', 'file: fixtures/services/')))).toMatch(
      /is not applied by the setup, an earlier step or this step's actions/,
    );
    expect(refusal(LAB(MISTAKE.replace('        hint:', '        hnit: x\n        hint:')))).toMatch(
      /unknown field\(s\): hnit/,
    );
  });
});

describe('patchManifest', () => {
  const TWO = `apiVersion: apps/v1
kind: Deployment
metadata: { name: a }
spec:
  replicas: 2
  template: { spec: { nodeSelector: { node: a } } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: b }
spec:
  replicas: 1
`;
  it('sets, removes and renames fields of the named object only', () => {
    const out = patchManifest(TWO, {
      file: 'fixtures/x.yaml',
      object: 'Deployment/a',
      set: { 'spec.replicas': 1 },
      rename: { 'spec.template.spec.nodeSelector': 'spec.template.spec.nodeselector' },
    });
    expect(out).toMatch(
      /name: a \}\nspec:\n {2}replicas: 1\n {2}template: \{ spec: \{ nodeselector: \{ node: a \} \} \}/,
    );
    expect(out).toMatch(/name: b \}\nspec:\n {2}replicas: 1/);
    expect(patchManifest(TWO, { file: 'f', object: 'Deployment/b', remove: ['spec.replicas'] })).not.toMatch(
      /replicas: 1\n$/,
    );
  });

  it('says what is missing instead of editing nothing', () => {
    expect(() => patchManifest(TWO, { file: 'f', set: { a: 1 } })).toThrow(/holds 2 objects .*name one with object:/);
    expect(() => patchManifest(TWO, { file: 'f', object: 'Service/a' })).toThrow(/no single Service\/a/);
    expect(() => patchManifest(TWO, { file: 'f', object: 'Deployment/b', remove: ['spec.x'] })).toThrow(
      /spec\.x is not in Deployment\/b/,
    );
  });
});

// A fake cluster whose one check reports what `state` says, and actions that set it: the judge alone is tested.
let state: CheckResult;
const answer = (verdict: CheckResult['verdict'], observed: string): CheckResult => ({
  verdict,
  observed: { ko: observed, en: observed },
  expected: 'HTTP 200',
  command: 'curl',
});
const setState: ActionDefinition<string> = {
  name: 'set',
  commands: (spec) => [`set ${spec}`],
  run: async (spec) => {
    if (spec === 'refuse') throw new UserError('kubectl failed: Error from server (BadRequest): strict decoding error');
    state = spec === 'good' ? answer('pass', 'HTTP 200') : answer('not-yet', `HTTP 503 (${spec})`);
  },
};
const reading: CheckDefinition<string> = {
  name: 'read',
  network: false,
  describe: () => 'curl',
  run: async () => state,
};
const act = (spec: string): LabAction => ({ name: 'set', spec, def: setState });
const check: LabCheck = { name: 'read', id: 'answers', from: 'host', spec: '', def: reading };
const mistake = (over: Partial<Mistake>): Mistake => ({
  id: 'm',
  name: { ko: '실수', en: 'a mistake' },
  patch: [],
  before: [],
  caughtBy: 'answers',
  verdict: 'not-yet',
  seen: 'HTTP 503',
  hint: { ko: '힌트', en: 'hint' },
  settle: 0.3,
  ...over,
});
const lab = (mistakes: Mistake[], actions = [act('good')]): Lab => ({
  id: 'demo',
  order: 1,
  file: '/x',
  title: { ko: 'd', en: 'd' },
  summary: { ko: 'd', en: 'd' },
  requires: [],
  setup: [],
  recap: { ko: 'r', en: 'r' },
  steps: [
    {
      id: 'first',
      title: { ko: 't', en: 't' },
      explain: { ko: 'e', en: 'e' },
      show: [],
      actions,
      checks: [check],
      hint: { ko: 'h', en: 'h' },
      solution: { ko: 's', en: 's' },
      within: 120,
      mistakes,
    },
  ],
});
const cluster = {
  name: 'x',
  context: 'kind-x',
  ports: {},
  kubectlLine: (a: string[]) => a.join(' '),
} as unknown as Cluster;
const ctx: LabContext = {
  lang: 'en',
  cluster,
  exec: async () => {
    throw new Error('no processes');
  },
  paths: { root: '/pkg', workspace: '/ws', hostsFile: '/h' },
  noHosts: false,
  dryRun: false,
  signal: new AbortController().signal,
  log: { info: () => {}, command: () => {}, output: () => {}, warn: () => {}, verbose: () => {} },
};

describe('tryMistake', () => {
  it('is caught once the verdict and the observation have held for settle, well before the deadline', async () => {
    const m = mistake({ actions: [act('typo')] });
    const started = Date.now();
    const report = await tryMistake(lab([m]), 0, m, ctx);
    expect(report).toMatchObject({ caught: true, got: 'not-yet', observed: 'HTTP 503 (typo)' });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('is missed when the check passes, when the observation is another, and when nothing refuses', async () => {
    const passes = mistake({ actions: [act('good')] });
    expect((await tryMistake(lab([passes]), 0, passes, ctx)).problem).toBe('gave pass, not not-yet');
    const other = mistake({ actions: [act('typo')], seen: 'refused' });
    expect((await tryMistake(lab([other]), 0, other, ctx, { maxWaitMs: 600 })).problem).toMatch(
      /does not match \/refused\//,
    );
    const kubectl = mistake({ actions: [act('typo')], caughtBy: 'kubectl', verdict: 'refused', seen: 'strict' });
    expect(await tryMistake(lab([kubectl]), 0, kubectl, ctx)).toMatchObject({ caught: false, got: 'accepted' });
  });

  it('takes a refused command as caught only with caughtBy: kubectl and matching words', async () => {
    const refused = mistake({
      actions: [act('refuse')],
      caughtBy: 'kubectl',
      verdict: 'refused',
      seen: 'strict decoding',
    });
    expect(await tryMistake(lab([refused]), 0, refused, ctx)).toMatchObject({ caught: true, got: 'refused' });
    const byCheck = mistake({ actions: [act('refuse')] });
    expect((await tryMistake(lab([byCheck]), 0, byCheck, ctx)).problem).toMatch(/use caughtBy: kubectl/);
  });
});

describe('knownMistake', () => {
  it('names the mistake whose check, verdict and seen match the result, and nothing else', () => {
    const m = mistake({});
    const step = lab([m]).steps[0]!;
    expect(knownMistake(step, check, answer('not-yet', 'HTTP 503 from x'))?.id).toBe('m');
    expect(knownMistake(step, check, answer('wrong', 'HTTP 503 from x'))).toBeUndefined();
    expect(knownMistake(step, check, answer('not-yet', 'refused'))).toBeUndefined();
    expect(knownMistake(step, { ...check, id: 'other' }, answer('not-yet', 'HTTP 503'))).toBeUndefined();
  });
});

describe('selfTestLab with --max-wait', () => {
  it('reports a step that never passes within the cap, not the step within (issue 10)', async () => {
    const started = Date.now();
    const report = await selfTestLab(lab([], [act('typo')]), ctx, () => {}, { maxWaitMs: 800 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(report.passed).toBe(false);
    expect(report.steps[0]!.defects[0]).toMatch(/not-yet after its step: .* saw HTTP 503 \(typo\)/);
  });
});
