import { describe, expect, it } from 'vitest';
import { splitYamlDocuments, usesFlushSequences } from '../../src/ingress/yaml-segments.js';

describe('splitYamlDocuments', () => {
  it.each([
    ['one document', 'a: 1\n', ['a: 1\n']],
    ['no final newline', 'a: 1', ['a: 1']],
    ['leading comment stays with the first document', '# lead\na: 1\n---\nb: 2\n', ['# lead\na: 1\n', '---\nb: 2\n']],
    [
      'an end marker stays with its document, what follows it with the next',
      'a: 1\n...\n# about b\n%YAML 1.2\n---\nb: 2\n',
      ['a: 1\n...\n', '# about b\n%YAML 1.2\n---\nb: 2\n'],
    ],
    ['empty documents', '---\n---\n', ['---\n', '---\n']],
    ['CRLF', 'a: 1\r\n---\r\nb: 2\r\n', ['a: 1\r\n', '---\r\nb: 2\r\n']],
  ])('%s', (_name, source, parts) => {
    expect(splitYamlDocuments(source)).toEqual(parts);
    expect(splitYamlDocuments(source).join('')).toBe(source);
  });

  it('gives nothing for an empty text', () => {
    expect(splitYamlDocuments('')).toEqual([]);
  });
});

describe('usesFlushSequences', () => {
  it('sees sequences written at the indent of their key', () => {
    expect(usesFlushSequences('spec:\n  rules:\n  - host: a\n')).toBe(true);
  });
  it('sees sequences indented under their key', () => {
    expect(usesFlushSequences('spec:\n  rules:\n    - host: a\n')).toBe(false);
  });
  it('looks past comments and blank lines between the key and the dash', () => {
    expect(usesFlushSequences('rules: # the rules\n\n# note\n- host: a\n')).toBe(true);
  });
  it('defaults to indented when there is no block sequence', () => {
    expect(usesFlushSequences('a: 1\nb: [1, 2]\n')).toBe(false);
  });
});
