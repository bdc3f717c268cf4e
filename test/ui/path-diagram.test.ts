import pc from 'picocolors';
import { describe, expect, it } from 'vitest';
import type { Attempt } from '../../src/checks/attempt.js';
import { attemptReceipt, connectReceipt, type Receipt } from '../../src/checks/receipt.js';
import { DEFAULT_HOST_PORTS } from '../../src/cluster/types.js';
import type { Lang } from '../../src/core/i18n.js';
import { loadLabs } from '../../src/engine/lab-loader.js';
import { packageRoot } from '../../src/platform/paths.js';
import { markPath } from '../../src/engine/path-marks.js';
import { diagramStyle, renderPathDiagram, type DiagramStyle } from '../../src/ui/path-diagram.js';
import { displayWidth } from '../../src/ui/text-width.js';

const plain = pc.createColors(false);
const cluster = { name: 'expose-labs', ports: DEFAULT_HOST_PORTS };

function answer(status: number, body: string, headers: [string, string][] = []): Attempt {
  return {
    ok: true,
    index: 1,
    connection: 1,
    ms: 3,
    local: { address: '127.0.0.1', port: 51234 },
    remote: { address: '127.0.0.1', port: 80 },
    response: { httpVersion: '1.1', status, statusText: '', headers, body, keepAlive: false },
    whoami: body.startsWith('Hostname')
      ? { hostname: body.split('\n')[0]!.slice(10), ips: ['10.244.1.5'], remoteAddress: '172.18.0.1', headers: [] }
      : undefined,
  };
}

const miss = (kind: 'dropped' | 'refused' | 'tls', phase: 'connect' | 'answer' | 'handshake'): Attempt => ({
  ok: false,
  index: 1,
  ms: 3000,
  failure: { kind, phase, detail: kind },
});

/** One realistic last observation per lab: the moment the lab is about (its name is the folder's id). */
const LAST: Record<string, { caption: string; receipt: Receipt }> = {
  nodeport: {
    caption: 'refused: 127.0.0.1:30001',
    receipt: connectReceipt(cluster, { address: '127.0.0.1', port: 30001 }, 'host', {
      kind: 'refused',
      phase: 'connect',
      detail: 'ECONNREFUSED',
    }),
  },
  loadbalancer: {
    caption: 'http: http://172.18.0.6/',
    receipt: attemptReceipt(
      cluster,
      { address: '172.18.0.6', port: 80 },
      'host',
      answer(200, 'Hostname: jordy-6b8d7c9f5-x2x4q\n'),
    ),
  },
  'ingress-host': {
    caption: 'http: http://172.18.0.7/ (no Host rule)',
    receipt: attemptReceipt(
      cluster,
      { address: '172.18.0.7', port: 80 },
      'host',
      answer(404, '', [['server', 'envoy']]),
    ),
  },
  'ingress-hosts': {
    caption: 'http: http://scappy.niniz.com/',
    receipt: attemptReceipt(cluster, { address: '127.0.0.1', port: 80 }, 'host', answer(503, 'no healthy upstream')),
  },
  'ingress-paths': {
    caption: 'http: http://niniz.com/scappy',
    receipt: attemptReceipt(
      cluster,
      { address: '127.0.0.1', port: 80 },
      'host',
      answer(200, 'Hostname: scappy-7f9c8d6b4-sssss\n'),
    ),
  },
  'traffic-policy': {
    caption: 'dropped: http://127.0.0.1:30082/',
    receipt: attemptReceipt(cluster, { address: '127.0.0.1', port: 30082 }, 'host', miss('dropped', 'answer')),
  },
  gateway: {
    caption: 'http: http://scappy.niniz.com/',
    receipt: attemptReceipt(
      cluster,
      { address: '172.18.0.8', port: 80 },
      'host',
      answer(500, '', [['server', 'envoy']]),
    ),
  },
  'ingress-tls': {
    caption: 'tls: 127.0.0.1:443 (SNI niniz.com)',
    receipt: attemptReceipt(cluster, { address: '127.0.0.1', port: 443 }, 'host', miss('tls', 'handshake')),
  },
};

const labs = await loadLabs(packageRoot());

function draw(labId: string, lang: Lang, width: number, style: DiagramStyle, marked = true): string {
  const lab = labs.find((l) => l.id === labId)!;
  const last = LAST[labId]!;
  const hops = markPath(lab.path!, marked ? last.receipt : undefined, lang);
  return renderPathDiagram({ hops, lang, colors: plain, width, style, caption: marked ? last.caption : undefined });
}

describe('every lab has its traffic path as data', () => {
  it('from the client to a pod, in the lab file', () => {
    expect(labs.map((l) => l.id).sort()).toEqual(Object.keys(LAST).sort());
    for (const lab of labs) {
      expect(lab.path?.[0]?.layer, lab.id).toBe('client');
      expect(lab.path?.at(-1)?.layer, lab.id).toBe('pod');
    }
  });
});

describe('the drawn path, the last observation marked (snapshots: test/ui/__snapshots__/path)', () => {
  for (const lab of Object.keys(LAST))
    for (const lang of ['ko', 'en'] as const)
      for (const width of [60, 120])
        it(`${lab} ${lang} ${width} columns`, async () => {
          const drawn = draw(lab, lang, width, 'unicode');
          for (const line of drawn.split('\n')) expect(displayWidth(line), line).toBeLessThanOrEqual(width);
          const text = draw(lab, lang, width, 'text');
          for (const line of text.split('\n')) expect(displayWidth(line), line).toBeLessThanOrEqual(width);
          await expect(`${drawn}\n\n${text}\n`).toMatchFileSnapshot(`__snapshots__/path/${lab}.${lang}.${width}.txt`);
        });

  it('ASCII fallback: box and marks in 7-bit characters, with the same words', () => {
    const ascii = draw('traffic-policy', 'en', 60, 'ascii');
    expect(ascii).toMatch(/^[\x20-\x7e\n]*$/);
    expect(ascii).toContain('X stopped here - dropped at');
  });

  it('the text alternative carries every mark in words, no box or glyph', () => {
    const text = draw('nodeport', 'en', 120, 'text');
    expect(text).not.toMatch(/[┌│└▼✓✗·~]/);
    expect(text).toContain('2. kind port mapping (127.0.0.1): stopped here — no port mapping (127.0.0.1:30001).');
    expect(text).toContain('3. A node address, its nodePort: not reached.');
  });
});

describe('marking a receipt on the path', () => {
  const lab = () => labs.find((l) => l.id === 'nodeport')!;
  it('a node address reached directly goes around the port mapping; the hops between are inferred', () => {
    const receipt = attemptReceipt(
      cluster,
      { address: '172.18.0.3', port: 30000 },
      'host',
      answer(200, 'Hostname: jordy-1\n'),
    );
    expect(markPath(lab().path!, receipt, 'en').map((h) => h.state)).toEqual([
      'through',
      'skipped',
      'through',
      'inferred',
      'answered',
    ]);
  });

  it('through the port mapping to a pod: the node is inferred from the mapping', () => {
    const receipt = attemptReceipt(
      cluster,
      { address: '127.0.0.1', port: 30000 },
      'host',
      answer(200, 'Hostname: jordy-1\n'),
    );
    const marked = markPath(lab().path!, receipt, 'en');
    expect(marked.map((h) => h.state)).toEqual(['through', 'through', 'inferred', 'inferred', 'answered']);
    expect(marked[2]).toMatchObject({ detail: 'expose-labs-worker:30000', from: "kind's port mapping settings" });
  });

  it('no receipt yet: nothing is marked', () => {
    expect(new Set(markPath(lab().path!, undefined, 'en').map((h) => h.state))).toEqual(new Set(['unknown']));
  });
});

describe('diagramStyle', () => {
  it('text when accessible, ASCII without UTF-8 or on a dumb terminal, else Unicode', () => {
    expect(diagramStyle({ LANG: 'ko_KR.UTF-8' }, true)).toBe('text');
    expect(diagramStyle({ LANG: 'ko_KR.UTF-8' }, false)).toBe('unicode');
    expect(diagramStyle({ LANG: 'C' }, false)).toBe('ascii');
    expect(diagramStyle({ TERM: 'dumb', LANG: 'en_US.UTF-8' }, false)).toBe('ascii');
  });
});

describe('the step screen shows the path after the explanation', () => {
  it('as its own section, before the files', async () => {
    const { renderStepScreen } = await import('../../src/ui/step-screen.js');
    const path = draw('nodeport', 'en', 60, 'unicode', false);
    const screen = renderStepScreen({
      lang: 'en',
      colors: plain,
      width: 60,
      labTitle: 'NodePort',
      stepIndex: 0,
      stepCount: 2,
      title: 'Create the Service',
      explainMd: 'Explanation.',
      files: [{ path: 'fixtures/x.yaml', content: 'kind: Service\n' }],
      commands: [],
      path,
    });
    expect(screen).toContain(`Explanation.\n\n${path}\n\nFile fixtures/x.yaml`);
  });
});
