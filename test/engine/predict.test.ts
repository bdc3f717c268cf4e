import { describe, expect, it } from 'vitest';
import type { Attempt } from '../../src/checks/attempt.js';
import { attemptReceipt, certificateReceipt, connectReceipt } from '../../src/checks/receipt.js';
import type { CheckResult } from '../../src/checks/types.js';
import { DEFAULT_HOST_PORTS } from '../../src/cluster/types.js';
import { loadLabs } from '../../src/engine/lab-loader.js';
import { gradePrediction, predictionMenu } from '../../src/engine/predict.js';
import { packageRoot } from '../../src/platform/paths.js';

const labs = await loadLabs(packageRoot());
const step = (lab: string, id: string) => labs.find((l) => l.id === lab)!.steps.find((s) => s.id === id)!;
const cluster = { name: 'expose-labs', ports: DEFAULT_HOST_PORTS };

function result(verdict: CheckResult['verdict'], receipt: CheckResult['receipt'], pods?: string[]): CheckResult {
  return { verdict, observed: '', expected: '', command: '', receipt, pods };
}

const podAnswer = (pod: string): Attempt => ({
  ok: true,
  index: 1,
  connection: 1,
  ms: 2,
  local: { address: '127.0.0.1', port: 40000 },
  remote: { address: '127.0.0.1', port: 30082 },
  response: { httpVersion: '1.1', status: 200, statusText: 'OK', headers: [], body: '', keepAlive: false },
  whoami: { hostname: pod, ips: [], headers: [] },
});

describe('the prediction menu', () => {
  it("asks about the step's most telling network check, with choices that fit it", () => {
    const unmapped = predictionMenu(step('nodeport', 'unmapped-port'))!;
    expect(unmapped.check.name).toBe('refused');
    expect(unmapped.choices.map((c) => c.value)).toEqual(['refused', 'dropped', 'answered']);
    const local = predictionMenu(step('traffic-policy', 'local'))!;
    expect(local.check.name).toBe('dropped');
    const tls = predictionMenu(step('ingress-tls', 'tls'))!;
    expect(tls.check.name).toBe('tls');
    expect(tls.choices.map((c) => c.value)).toEqual(['cert-ok', 'cert-other', 'tls-fail']);
  });

  it('every step of every lab has one (each step sends traffic)', () => {
    for (const lab of labs) for (const s of lab.steps) expect(predictionMenu(s), `${lab.id}/${s.id}`).toBeDefined();
  });
});

describe('grading by the real result', () => {
  it('refused predicted, refused seen: right, no lecture', () => {
    const menu = predictionMenu(step('nodeport', 'unmapped-port'))!;
    const receipt = connectReceipt(cluster, { address: '127.0.0.1', port: 30001 }, 'host', {
      kind: 'refused',
      phase: 'connect',
      detail: 'ECONNREFUSED',
    });
    expect(gradePrediction('refused', menu.check, result('pass', receipt))).toEqual({
      predicted: 'refused',
      actual: 'refused',
      correct: true,
    });
  });

  it('refused predicted where kube-proxy dropped: wrong, and the sentence says why', () => {
    const menu = predictionMenu(step('traffic-policy', 'local'))!;
    const receipt = attemptReceipt(cluster, { address: '127.0.0.1', port: 30082 }, 'host', {
      ok: false,
      index: 1,
      ms: 3000,
      failure: { kind: 'dropped', phase: 'answer', detail: 'ETIMEDOUT' },
    });
    const graded = gradePrediction('refused', menu.check, result('pass', receipt));
    expect(graded).toMatchObject({ predicted: 'refused', actual: 'dropped', correct: false });
    expect(graded.why?.en).toMatch(/^Silence, not a refusal: .*kube-proxy dropped it on a node with no local pod/);
    expect(graded.why?.ko).toContain('kube-proxy');
  });

  it('source-ip: the verdict against the spec says kept or rewritten', () => {
    const menu = predictionMenu(step('traffic-policy', 'cluster'))!;
    expect(menu.check.name).toBe('source-ip');
    const receipt = attemptReceipt(cluster, { address: '127.0.0.1', port: 30081 }, 'host', podAnswer('jordy-solo-1'));
    expect(gradePrediction('kept', menu.check, result('pass', receipt)).actual).toBe('rewritten');
    expect(gradePrediction('kept', menu.check, result('wrong', receipt)).correct).toBe(true);
  });

  it('spread: several pods is spread, one pod is the same pod', () => {
    const menu = predictionMenu(step('traffic-policy', 'uneven'))!;
    const receipt = attemptReceipt(
      cluster,
      { address: '127.0.0.1', port: 30081 },
      'host',
      podAnswer('jordy-uneven-a-1'),
    );
    expect(gradePrediction('spread', menu.check, result('pass', receipt, ['a-1', 'a-2'])).correct).toBe(true);
    expect(gradePrediction('spread', menu.check, result('not-yet', receipt, ['a-1', 'a-1'])).actual).toBe('same-pod');
  });

  it('another certificate is cert-other; a pod of another app is other-app', () => {
    const tls = predictionMenu(step('ingress-tls', 'tls'))!;
    const cert = {
      subject: 'CN=niniz.com',
      subjectCN: 'niniz.com',
      issuer: 'CN=niniz.com',
      san: ['niniz.com'],
      fingerprint256: 'AA',
      serialNumber: '01',
      validFrom: '2026-01-01T00:00:00Z',
      validTo: '2027-01-01T00:00:00Z',
      selfSigned: true,
      expired: false,
    };
    const other = certificateReceipt(cluster, { address: '127.0.0.1', port: 443 }, 'host', cert, {
      ko: '지문이 다름',
      en: 'different fingerprint',
    });
    expect(gradePrediction('cert-ok', tls.check, result('wrong', other))).toMatchObject({ actual: 'cert-other' });
    const http = predictionMenu(step('ingress-hosts', 'scappy-service'))!;
    const jordy = attemptReceipt(
      cluster,
      { address: '127.0.0.1', port: 80 },
      'host',
      podAnswer('jordy-6b8d7c9f5-aaaaa'),
    );
    expect(gradePrediction('answered', http.check, result('wrong', jordy))).toMatchObject({
      actual: 'other-app',
      correct: false,
    });
  });

  it('a check that could not run grades nothing', () => {
    const menu = predictionMenu(step('nodeport', 'unmapped-port'))!;
    expect(gradePrediction('refused', menu.check, result('broken', undefined))).toEqual({
      predicted: 'refused',
      actual: undefined,
      correct: false,
    });
  });
});
