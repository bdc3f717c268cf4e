import pc from 'picocolors';
import { describe, expect, it } from 'vitest';
import { renderInline, renderMarkdown } from '../../src/ui/markdown.js';
import { displayWidth } from '../../src/ui/text-width.js';

const plain = pc.createColors(false);
const colored = pc.createColors(true);
const ESC = '\x1b';

describe('renderMarkdown', () => {
  it('wraps mixed Korean and English by display width, never splitting a word', () => {
    const md =
      'NodePort 타입의 Service는 클러스터의 모든 노드에서 같은 포트를 엽니다. ' +
      'External clients connect to any node on that port, and kube-proxy forwards them to a pod.';
    const width = 30;
    const lines = renderMarkdown(md, { colors: plain, width }).split('\n');
    expect(lines.length).toBeGreaterThan(4);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(width);
    // Korean lines are shorter in characters than in cells: wrapping by length would overflow them.
    expect(lines.some((line) => displayWidth(line) > line.length)).toBe(true);
    expect(lines.join(' ')).toBe(md);
  });

  it('wraps a Korean run without spaces by cells', () => {
    const lines = renderMarkdown('가'.repeat(25), { colors: plain, width: 20 }).split('\n');
    expect(lines).toEqual(['가'.repeat(10), '가'.repeat(10), '가'.repeat(5)]);
  });

  it('renders bullet and numbered lists with hanging indents and nesting', () => {
    const md = [
      '- first item that is long enough to wrap onto a second line',
      '- second',
      '  - nested',
      '',
      '1. one',
      '2. two',
    ].join('\n');
    expect(renderMarkdown(md, { colors: plain, width: 30 })).toBe(
      [
        '• first item that is long',
        '  enough to wrap onto a second',
        '  line',
        '• second',
        '  • nested',
        '',
        '1. one',
        '2. two',
      ].join('\n'),
    );
  });

  it('shows fenced code indented and unwrapped; shell commands get `$ `, YAML is highlighted', () => {
    const md = [
      'Apply it:',
      '',
      '```sh',
      '# the Service',
      'kubectl apply -f jordy-node-port-svc.yaml \\',
      '  --context kind-expose-labs',
      '```',
      '',
      '```yaml',
      'kind: Service',
      '```',
      '',
      '```console',
      '$ curl 127.0.0.1:30000',
      'Hostname: jordy-abc',
      '```',
    ].join('\n');
    expect(renderMarkdown(md, { colors: plain, width: 20 })).toBe(
      [
        'Apply it:',
        '',
        '      # the Service',
        '    $ kubectl apply -f jordy-node-port-svc.yaml \\',
        '        --context kind-expose-labs',
        '',
        '    kind: Service',
        '',
        '    $ curl 127.0.0.1:30000',
        '    Hostname: jordy-abc',
      ].join('\n'),
    );
    const yaml = renderMarkdown('```yaml\nkind: Service\n```', { colors: colored, width: 40 });
    expect(yaml).toBe('    ' + colored.cyan('kind') + ': ' + colored.green('Service'));
  });

  it('keeps code inside a list item under the item', () => {
    const md = ['1. Run:', '   ```sh', '   kubectl get nodes', '   ```', '2. Next'].join('\n');
    expect(renderMarkdown(md, { colors: plain, width: 40 })).toBe(
      ['1. Run:', '     $ kubectl get nodes', '2. Next'].join('\n'),
    );
  });

  it('renders headings, inline code, bold and links', () => {
    const md = '# Title\n\nUse `kubectl get svc` and **look** at [the docs](https://kubernetes.io/docs/).';
    expect(renderMarkdown(md, { colors: plain, width: 80 })).toBe(
      'Title\n═════\n\nUse `kubectl get svc` and look at the docs (https://kubernetes.io/docs/).',
    );
    const styled = renderMarkdown(md, { colors: colored, width: 80 });
    expect(styled).toContain(colored.cyan('kubectl get svc'));
    expect(styled).toContain(colored.bold('look'));
    expect(styled).toContain(colored.underline('the docs'));
  });

  it('renders a pipe table aligned by display width', () => {
    const md = ['| 필드 | value |', '|---|---:|', '| `port` | 80 |', '| nodePort | 30000 |'].join('\n');
    expect(renderMarkdown(md, { colors: plain, width: 80 })).toBe(
      ['필드      value', '────────  ─────', '`port`       80', 'nodePort  30000'].join('\n'),
    );
  });

  it('wraps table cells inside their column when the table is wider than the screen', () => {
    const md = ['| field | where it listens |', '|---|---|', '| `port` | the in-cluster address of the Service |'].join(
      '\n',
    );
    const lines = renderMarkdown(md, { colors: plain, width: 30 }).split('\n');
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(30);
    expect(lines).toEqual([
      'field   where it listens',
      '──────  ──────────────────────',
      '`port`  the in-cluster address',
      '        of the Service',
    ]);
  });

  it('writes no escape codes when colours are off', () => {
    const md = [
      '# 제목',
      '## Sub',
      '',
      '**굵게** *기울임* `code` [link](https://example.com)',
      '',
      '> 인용',
      '',
      '- item',
      '',
      '```yaml',
      'a: 1 # c',
      '```',
      '',
      '| a | b |',
      '|---|---|',
      '| 1 | 2 |',
      '',
      '---',
    ].join('\n');
    expect(renderMarkdown(md, { colors: plain, width: 40 })).not.toContain(ESC);
    expect(renderMarkdown(md, { colors: colored, width: 40 })).toContain(ESC);
  });

  it('does not treat underscores in identifiers as emphasis', () => {
    expect(renderMarkdown('external_traffic_policy and *stress*', { colors: plain, width: 80 })).toBe(
      'external_traffic_policy and stress',
    );
  });
});

describe('renderInline', () => {
  it('styles without wrapping', () => {
    expect(renderInline('run `kubectl get svc` **now**', plain)).toBe('run `kubectl get svc` now');
    expect(renderInline('run `x`', colored)).toBe('run ' + colored.cyan('x'));
  });
});
