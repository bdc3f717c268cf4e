import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LabLoadError, loadLabs, parseLab } from '../../src/engine/lab-loader.js';

const GOOD = `id: demo
title: { ko: 데모, en: Demo }
summary: { ko: 요약, en: Summary }
steps:
  - id: first
    title: { ko: 첫 단계, en: First step }
    explain: { ko: 설명, en: Explanation }
    actions:
      - apply: fixtures/apps/jordy.yaml
    checks:
      - title: { ko: 응답, en: Answers }
        http:
          url: http://127.0.0.1:{{ports.nodePort}}/
          status: 200
    hint: { ko: 힌트, en: Hint }
    solution: { ko: 풀이, en: Solution }
recap: { ko: 정리, en: Recap }
`;

function load(text: string): LabLoadError {
  try {
    parseLab(text, '/x/labs/01-demo/lab.yaml', 'labs/01-demo/lab.yaml', '01-demo');
  } catch (error) {
    if (error instanceof LabLoadError) return error;
    throw error;
  }
  throw new Error('expected the lab to be refused');
}

describe('lab loading', () => {
  it('binds actions and checks to their registry entries', () => {
    const lab = parseLab(GOOD, '/x/labs/01-demo/lab.yaml', 'labs/01-demo/lab.yaml', '01-demo');
    expect(lab.order).toBe(1);
    expect(lab.steps[0]!.actions[0]!.name).toBe('apply');
    expect(lab.steps[0]!.checks[0]!.name).toBe('http');
    expect(lab.steps[0]!.checks[0]!.from).toBe('auto');
    expect(lab.steps[0]!.within).toBe(120);
  });

  it('names file, line and column for a YAML syntax error', () => {
    const error = load(GOOD.replace('summary: { ko: 요약, en: Summary }', 'summary: { ko: 요약, en: Summary'));
    expect(error.file).toBe('labs/01-demo/lab.yaml');
    expect(error.line).toBeGreaterThan(2);
    expect(error.message).toMatch(/labs\/01-demo\/lab\.yaml:\d+:\d+.*YAML syntax/);
  });

  it('reports a wrong type at the line of the value', () => {
    const error = load(GOOD.replace('status: 200', 'status: two hundred'));
    expect(error.line).toBe(14);
    expect(error.problem).toMatch(/steps\[0\]\.checks\[0\]\.http\.status/);
  });

  it('reports missing text in one language', () => {
    const error = load(GOOD.replace('hint: { ko: 힌트, en: Hint }', 'hint: { en: Hint }'));
    expect(error.line).toBe(15);
    expect(error.problem).toMatch(/steps\[0\]\.hint\.ko: required/);
  });

  it('reports an empty text', () => {
    const error = load(GOOD.replace('title: { ko: 데모, en: Demo }', "title: { ko: '', en: Demo }"));
    expect(error.line).toBe(2);
    expect(error.problem).toMatch(/title\.ko.*Korean text/);
  });

  it('reports an unknown action name with the known ones', () => {
    const error = load(GOOD.replace('- apply: fixtures', '- aply: fixtures'));
    expect(error.line).toBe(9);
    expect(error.problem).toMatch(/unknown action "aply"; known actions: apply, delete, kubectl/);
  });

  it('reports an unknown check name', () => {
    const error = load(GOOD.replace('        http:', '        htp:'));
    expect(error.line).toBe(12);
    expect(error.problem).toMatch(/unknown check "htp"; known checks: .*http/);
  });

  it('reports an unknown placeholder', () => {
    const error = load(GOOD.replace('{{ports.nodePort}}', '{{ports.nodeport}}'));
    expect(error.problem).toMatch(/unknown placeholder \{\{ports\.nodeport\}\}/);
  });

  it('reports an id that does not match the folder', () => {
    const error = load(GOOD.replace('id: demo', 'id: other'));
    expect(error.line).toBe(1);
    expect(error.problem).toMatch(/must match the folder name/);
  });

  it('reports unknown fields and duplicate step ids', () => {
    expect(load(GOOD.replace('recap:', 'recapp: x\nrecap:')).problem).toMatch(/unknown field\(s\): recapp/);
    const twice = GOOD.replace(/steps:\n([\s\S]*)recap:/, (_m, step: string) => `steps:\n${step}${step}recap:`);
    expect(load(twice).problem).toMatch(/duplicate step id "first"/);
  });

  it('gives a one-paragraph message in both languages', () => {
    const error = load(GOOD.replace('status: 200', 'status: two hundred'));
    const text = error.text as { ko: string; en: string };
    expect(text.en.split('\n')).toHaveLength(1);
    expect(text.ko).toContain('labs/01-demo/lab.yaml:14');
  });

  it('loads every lab folder in order and refuses a missing lab.yaml', async () => {
    const root = await mkdtemp(join(tmpdir(), 'labs-'));
    await mkdir(join(root, 'labs', '02-demo'), { recursive: true });
    await writeFile(join(root, 'labs', '02-demo', 'lab.yaml'), GOOD);
    // The fixture it applies must exist when it loads, not halfway through the step.
    await expect(loadLabs(root)).rejects.toThrow(
      /labs\/02-demo\/lab\.yaml:\d+:\d+ .*fixtures\/apps\/jordy\.yaml does not exist/,
    );
    await mkdir(join(root, 'fixtures', 'apps'), { recursive: true });
    await writeFile(join(root, 'fixtures', 'apps', 'jordy.yaml'), 'kind: List\n');
    expect((await loadLabs(root)).map((l) => l.order)).toEqual([2]);
    await mkdir(join(root, 'labs', '03-empty'));
    await expect(loadLabs(root)).rejects.toThrow(/labs\/03-empty\/lab\.yaml.*missing/);
  });

  it.each([
    '--context',
    '--context=other',
    '--kubeconfig=/tmp/k',
    '--server',
    '-s',
    '--token=x',
    '--as=admin',
    '--cluster',
  ])('refuses a kubectl action that chooses its own cluster or user (%s) when the lab loads', (flag) => {
    const error = load(
      GOOD.replace('- apply: fixtures/apps/jordy.yaml', `- kubectl: { args: [get, pods, "${flag}", x] }`),
    );
    expect(error.problem).toMatch(/cluster or the user/);
  });

  it.each(['127.0.0.1\\n10.0.0.1 evil.test', '999.1.1.1', 'localhost', ''])(
    'refuses the hosts-add address %j when the lab loads, so show never prints it',
    (address) => {
      const error = load(
        GOOD.replace('- apply: fixtures/apps/jordy.yaml', `- hosts-add: { names: [niniz.com], address: "${address}" }`),
      );
      expect(error.problem).toMatch(/IP address/);
    },
  );
});
