import pc from 'picocolors';
import { describe, expect, it } from 'vitest';
import { highlightYaml } from '../../src/ui/yaml-highlight.js';

const plain = pc.createColors(false);
const c = pc.createColors(true);

const MANIFEST = `---
# jordy behind a NodePort
apiVersion: v1
kind: Service
metadata:
  name: jordy-node-port-svc   # the post's name
  labels: { app: jordy }
spec:
  type: NodePort
  selector:
    app: "jordy"
  ports:
    - port: 80
      targetPort: 8080
      nodePort: 30000
  sessionAffinity: null
  note: |
    key: not a key
    # not a comment
  url: http://a#b
...
`;

describe('highlightYaml', () => {
  it('returns the input unchanged when colours are off', () => {
    expect(highlightYaml(MANIFEST, plain)).toBe(MANIFEST);
    const crlf = MANIFEST.replace(/\n/g, '\r\n');
    expect(highlightYaml(crlf, plain)).toBe(crlf);
  });

  it('colours keys, strings, numbers, literals, comments and markers', () => {
    const lines = highlightYaml(MANIFEST, c).split('\n');
    expect(lines[0]).toBe(c.magenta('---'));
    expect(lines[1]).toBe(c.dim('# jordy behind a NodePort'));
    expect(lines[3]).toBe(`${c.cyan('kind')}: ${c.green('Service')}`);
    expect(lines[5]).toBe(`  ${c.cyan('name')}: ${c.green('jordy-node-port-svc')}   ${c.dim("# the post's name")}`);
    expect(lines[10]).toBe(`    ${c.cyan('app')}: ${c.green('"jordy"')}`);
    expect(lines[12]).toBe(`    ${c.dim('-')} ${c.cyan('port')}: ${c.yellow('80')}`);
    expect(lines[15]).toBe(`  ${c.cyan('sessionAffinity')}: ${c.magenta('null')}`);
  });

  it('treats block scalar lines as string content and `#` inside a word as text', () => {
    const lines = highlightYaml(MANIFEST, c).split('\n');
    expect(lines[16]).toBe(`  ${c.cyan('note')}: ${c.dim('|')}`);
    expect(lines[17]).toBe(`    ${c.green('key: not a key')}`);
    expect(lines[18]).toBe(`    ${c.green('# not a comment')}`);
    expect(lines[19]).toBe(`  ${c.cyan('url')}: ${c.green('http://a#b')}`);
    expect(lines[20]).toBe(c.magenta('...'));
  });
});
