import type { Colors } from './output.js';

/**
 * Colour YAML for reading on a terminal: keys, strings, numbers, booleans/null, comments, document markers.
 * Line-based on purpose (manifests are plain block YAML); it only wraps pieces of each line in colour, so with
 * colours off the text comes back unchanged.
 */
export function highlightYaml(text: string, colors: Colors): string {
  // Indent of the key that opened a `|` or `>` block scalar; deeper (or blank) lines are its string content.
  let blockParent: number | undefined;
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const indent = line.length - line.trimStart().length;
    if (blockParent !== undefined) {
      if (line.trim() === '') {
        out.push(line);
        continue;
      }
      if (indent > blockParent) {
        out.push(line.slice(0, indent) + colors.green(line.slice(indent)));
        continue;
      }
      blockParent = undefined;
    }
    const highlighted = highlightLine(line, colors);
    out.push(highlighted.text);
    if (highlighted.opensBlock) blockParent = indent;
  }
  return out.join('\n');
}

const DOCUMENT_MARKER = /^(---|\.\.\.)(\s.*)?$/;
const KEY = /^((?:[^\s#'"{[][^:#]*?)|"(?:[^"\\]|\\.)*"|'(?:[^']|'')*')(:)(?=\s|$)/;
const BLOCK_SCALAR = /^[|>][+-]?\d*$/;

function highlightLine(line: string, colors: Colors): { text: string; opensBlock: boolean } {
  const indent = line.slice(0, line.length - line.trimStart().length);
  let rest = line.slice(indent.length);
  if (rest === '') return { text: line, opensBlock: false };
  const marker = DOCUMENT_MARKER.exec(rest);
  if (marker) return { text: indent + colors.magenta(marker[1]) + (marker[2] ?? ''), opensBlock: false };
  if (rest.startsWith('#')) return { text: indent + colors.dim(rest), opensBlock: false };

  let text = indent;
  // Sequence dashes, possibly several (`- - a`).
  while (/^-(\s|$)/.test(rest)) {
    const dash = /^-\s*/.exec(rest)![0];
    text += colors.dim('-') + dash.slice(1);
    rest = rest.slice(dash.length);
  }
  const key = KEY.exec(rest);
  if (key) {
    text += colors.cyan(key[1]) + key[2]!;
    rest = rest.slice(key[0].length);
    const gap = /^\s*/.exec(rest)![0];
    text += gap;
    rest = rest.slice(gap.length);
  }
  const { value, comment } = splitComment(rest);
  const trimmedValue = value.trimEnd();
  const trailing = value.slice(trimmedValue.length);
  const opensBlock = key !== null && BLOCK_SCALAR.test(trimmedValue);
  text += colorScalar(trimmedValue, colors) + trailing + (comment === '' ? '' : colors.dim(comment));
  return { text, opensBlock };
}

/** Split `value  # comment`, ignoring `#` inside quotes or not preceded by a space (`a#b` is a plain scalar). */
function splitComment(rest: string): { value: string; comment: string } {
  let quote: string | undefined;
  for (let index = 0; index < rest.length; index++) {
    const char = rest[index];
    if (quote) {
      if (char === quote) quote = undefined;
      continue;
    }
    if ((char === '"' || char === "'") && (index === 0 || /\s/.test(rest[index - 1]!))) quote = char;
    else if (char === '#' && (index === 0 || /\s/.test(rest[index - 1]!))) {
      return { value: rest.slice(0, index), comment: rest.slice(index) };
    }
  }
  return { value: rest, comment: '' };
}

const NUMBER = /^[-+]?(\d[\d_]*(\.\d*)?([eE][-+]?\d+)?|\.\d+|0x[\da-fA-F]+|0o[0-7]+|\.inf|\.nan)$/;
const LITERAL = /^(true|false|yes|no|on|off|null|~|True|False|Null|TRUE|FALSE|NULL)$/;

function colorScalar(value: string, colors: Colors): string {
  if (value === '') return value;
  if (BLOCK_SCALAR.test(value)) return colors.dim(value);
  if (NUMBER.test(value)) return colors.yellow(value);
  if (LITERAL.test(value)) return colors.magenta(value);
  if (/^[&*][^\s]+$/.test(value)) return colors.blue(value);
  return colors.green(value);
}
