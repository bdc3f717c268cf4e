import { CST, Parser } from 'yaml';

/**
 * Split a YAML stream into one source slice per document, byte for byte: joined again they give the input back.
 * A document's slice starts after the previous document (and its `...` end marker), so the comments and
 * directives written in front of a `---` travel with the document they introduce. Documents the converter does not
 * touch are written out as these slices, unchanged.
 */
export function splitYamlDocuments(source: string): string[] {
  const starts: number[] = [];
  let afterPrevious = 0;
  for (const token of new Parser().parse(source)) {
    if (token.type === 'document') starts.push(starts.length === 0 ? 0 : afterPrevious);
    if (token.type === 'document' || token.type === 'doc-end')
      afterPrevious = token.offset + CST.stringify(token).length;
  }
  if (starts.length === 0) return source === '' ? [] : [source];
  return starts.map((start, i) => source.slice(start, starts[i + 1] ?? source.length));
}

/**
 * Does this text write block sequences flush with their parent key (`rules:` then `- host:` at the same indent, as
 * the post and `kubectl get -o yaml` do)? The rewritten document keeps that style.
 */
export function usesFlushSequences(text: string): boolean {
  const lines = text.split(/\r?\n/);
  for (let i = 1; i < lines.length; i++) {
    const dash = /^( *)- /.exec(lines[i]!);
    if (!dash) continue;
    const parent = previousContentLine(lines, i);
    const key = parent === undefined ? undefined : /^( *)[^\s#-][^#]*:\s*(#.*)?$/.exec(parent);
    if (key) return key[1]!.length === dash[1]!.length;
  }
  return false;
}

function previousContentLine(lines: string[], index: number): string | undefined {
  for (let i = index - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (line.trim() !== '' && !line.trim().startsWith('#')) return line;
  }
  return undefined;
}
