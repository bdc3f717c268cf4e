import pc from 'picocolors';
import { describe, expect, it } from 'vitest';
import { renderCheckFailure, renderStepScreen } from '../../src/ui/step-screen.js';
import { displayWidth } from '../../src/ui/text-width.js';

const plain = pc.createColors(false);
const colored = pc.createColors(true);

const STEP = {
  width: 60,
  labTitle: 'NodePort',
  stepIndex: 1,
  stepCount: 4,
  title: 'Create the Service',
  explainMd: 'A **NodePort** Service opens port `30000` on every node.',
  files: [{ path: 'fixtures/nodeport/jordy-node-port-svc.yaml', content: 'kind: Service\nspec:\n  type: NodePort\n' }],
  commands: ['kubectl --context kind-expose-labs apply -f /ws/jordy-node-port-svc.yaml'],
};

describe('renderStepScreen', () => {
  it('shows the lab, step n of N, the explanation, each file under its path, and the commands', () => {
    const screen = renderStepScreen({ ...STEP, lang: 'en', colors: plain });
    const lines = screen.split('\n');
    expect(lines[0]).toMatch(/^━━ NodePort · Step 2 of 4 ━+$/);
    expect(displayWidth(lines[0]!)).toBe(60);
    expect(screen).toBe(
      [
        lines[0],
        'Create the Service',
        '',
        'A NodePort Service opens port `30000` on every node.',
        '',
        'File fixtures/nodeport/jordy-node-port-svc.yaml',
        '    kind: Service',
        '    spec:',
        '      type: NodePort',
        '',
        'Commands',
        '    $ kubectl --context kind-expose-labs apply -f /ws/jordy-node-port-svc.yaml',
      ].join('\n'),
    );
  });

  it('speaks Korean, keeps the header to the width, highlights YAML files', () => {
    const screen = renderStepScreen({ ...STEP, lang: 'ko', colors: colored, labTitle: '노드포트' });
    const header = screen.split('\n')[0]!;
    expect(header).toContain('4단계 중 2단계');
    expect(displayWidth(header)).toBe(60);
    expect(screen).toContain('파일');
    expect(screen).toContain('명령');
    expect(screen).toContain(colored.cyan('kind') + ': ' + colored.green('Service'));
  });

  it('leaves out empty sections', () => {
    const screen = renderStepScreen({ ...STEP, lang: 'en', colors: plain, explainMd: '', files: [], commands: [] });
    expect(screen.split('\n')).toHaveLength(2);
  });
});

describe('renderCheckFailure', () => {
  it('lines up seen, expected, cause, hint and the command to try', () => {
    const text = renderCheckFailure({
      lang: 'en',
      colors: plain,
      title: 'curl reaches a jordy pod',
      observed: 'connection refused\n(127.0.0.1:30000)',
      expected: 'HTTP 200 from a jordy pod',
      command: 'curl -sS http://127.0.0.1:30000/',
      cause: 'the Service does not exist yet, or its `nodePort` differs',
      hint: 'Check with `kubectl get svc`.',
    });
    expect(text).toBe(
      [
        '✖ curl reaches a jordy pod',
        '  Seen          connection refused',
        '                (127.0.0.1:30000)',
        '  Expected      HTTP 200 from a jordy pod',
        '  Likely cause  the Service does not exist yet, or its `nodePort` differs',
        '  Hint          Check with `kubectl get svc`.',
        '  Try it        $ curl -sS http://127.0.0.1:30000/',
      ].join('\n'),
    );
  });

  it('aligns Korean labels by display width and omits what is not given', () => {
    const lines = renderCheckFailure({
      lang: 'ko',
      colors: plain,
      title: '응답',
      observed: '404',
      expected: '200',
      command: 'curl x',
    }).split('\n');
    expect(lines).toHaveLength(4);
    const valueColumns = lines.slice(1).map((line) => displayWidth(line.slice(0, line.search(/(404|200|\$)/))));
    expect(new Set(valueColumns).size).toBe(1);
    expect(lines[1]).toContain('관찰한 것');
  });
});

describe('step screen header at 60 columns', () => {
  it('never wraps the header rule onto a line of its own', async () => {
    const { renderStepScreen: render } = await import('../../src/ui/step-screen.js');
    const pc = (await import('picocolors')).default;
    const screen = render({
      lang: 'ko',
      colors: pc.createColors(false),
      width: 60,
      labTitle: 'NodePort: 모든 노드의 포트로 서비스 열기',
      stepIndex: 0,
      stepCount: 2,
      title: 't',
      explainMd: '',
      files: [],
      commands: [],
    });
    const { displayWidth } = await import('../../src/ui/text-width.js');
    expect(displayWidth(screen.split('\n')[0]!)).toBeLessThanOrEqual(60);
  });
});
