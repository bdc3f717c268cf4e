import type { Token, Tokens } from 'marked';
import { lexMarkdown, type LexedTable } from './markdown-lexer.js';
import type { Colors } from './output.js';
import { fitColumns, renderTable, type Align } from './table.js';
import { displayWidth, sliceByWidth } from './text-width.js';
import { highlightYaml } from './yaml-highlight.js';

/**
 * A piece of a screen: a Markdown text, a heading (its text is inline Markdown) or a bold label line. A screen put
 * together from pieces renders as the Markdown that joins them with empty lines would, while each text keeps the
 * tokens the build lexed for it (markdown-lexer.ts).
 */
export type MarkdownPart = string | { heading: string; level: 1 | 2 } | { label: string };

export interface MarkdownOptions {
  colors: Colors;
  width: number;
  /**
   * Fills the placeholders of the texts (engine/template.ts). It runs on the lexed tokens, so a filled-in value is
   * always text: a path with `*` or `_` in it never turns into emphasis.
   */
  fill?: (text: string) => string;
  /** The build's tokens for these texts. */
  lexed?: LexedTable;
}

/**
 * Terminal rendering of Markdown: marked's lexer parses (CommonMark and GFM tables); this module lays the tokens out
 * for a terminal: paragraphs wrapped by terminal cells (Korean takes two), nested lists with hanging indents, fenced
 * code (YAML highlighted, shell commands marked), block quotes, tables fitted to the width, and inline `code`,
 * **bold**, *italic*, [links](url). Underscores are never emphasis: they are common in identifiers. Returns lines
 * without a final newline; with colours off it holds no escape codes.
 */
export function renderMarkdown(md: string | readonly MarkdownPart[], opts: MarkdownOptions): string {
  const width = Math.max(20, opts.width);
  const blocks = (typeof md === 'string' ? [md] : md).flatMap((part, index) =>
    withGapBefore(partBlocks(part, opts), index > 0),
  );
  const out: string[] = [];
  blocks.forEach((block, index) => {
    if (index > 0 && needsGap(blocks[index - 1]!, block)) out.push('');
    out.push(...renderBlock(block, opts.colors, width));
  });
  return out.join('\n');
}

const TOP: Place = { indent: 0, inList: false };

function partBlocks(part: MarkdownPart, { fill, lexed }: MarkdownOptions): Block[] {
  const tokens = (text: string): Token[] => (fill ? filled(lexMarkdown(text, lexed), fill) : lexMarkdown(text, lexed));
  if (typeof part === 'string') return blocksOf(tokens(part), TOP);
  const base = { ...TOP, blankBefore: false };
  if ('label' in part) return [{ ...base, kind: 'paragraph', spans: plain(part.label, { bold: true }) }];
  const [heading] = tokens(headingSource(part.heading));
  return [{ ...base, kind: 'heading', level: part.level, spans: heading ? spansOf(heading) : [] }];
}

/** A heading's text as it is lexed (and looked up in the build's table): as a level-1 heading, whatever it holds. */
export function headingSource(text: string): string {
  return `# ${text}`;
}

/** The first block of a later piece starts after an empty line, as after a blank line in one text. */
function withGapBefore(blocks: Block[], gap: boolean): Block[] {
  return gap && blocks[0] ? [{ ...blocks[0], blankBefore: true }, ...blocks.slice(1)] : blocks;
}

/** Every string of the tokens through `fill` (token types stay); what has nothing to fill is shared, not copied. */
function filled<T>(value: T, fill: (text: string) => string): T {
  if (typeof value === 'string') return fill(value) as T;
  if (Array.isArray(value)) {
    const items = value.map((item: unknown) => filled(item, fill));
    return (items.some((item, i) => item !== value[i]) ? items : value) as T;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    const changed = entries.map(([key, item]) => [key, key === 'type' ? item : filled(item, fill)] as const);
    return (changed.some(([, item], i) => item !== entries[i]![1]) ? Object.fromEntries(changed) : value) as T;
  }
  return value;
}

/** Inline Markdown (code, bold, italic, links) on one line, no wrapping: for hints and short messages. */
export function renderInline(md: string, colors: Colors): string {
  return md
    .split('\n')
    .map((line) => renderLine(wordsOf(inlineSpans(line), colors), colors))
    .join('\n');
}

// ---------------------------------------------------------------- blocks

type Block = { indent: number; blankBefore: boolean; inList: boolean } & (
  | { kind: 'heading'; level: number; spans: Span[] }
  | { kind: 'paragraph'; spans: Span[] }
  | { kind: 'item'; marker: string; spans: Span[] }
  | { kind: 'code'; lang: string; lines: string[] }
  | { kind: 'quote'; spans: Span[] }
  | { kind: 'table'; header: Span[][]; align: Align[]; rows: Span[][][] }
  | { kind: 'rule' }
);

interface Place {
  /** Output column where this content starts (inside a list item: after its marker). */
  indent: number;
  inList: boolean;
}

/** marked's block tokens as terminal blocks; a list item's first paragraph shares the line of its marker. */
function blocksOf(tokens: Token[], place: Place): Block[] {
  const blocks: Block[] = [];
  let blankBefore = false;
  const push = (block: Block): void => {
    blocks.push(block);
    blankBefore = false;
  };
  for (const token of tokens) {
    const base = { indent: place.indent, blankBefore, inList: place.inList };
    switch (token.type) {
      case 'space':
        blankBefore = true;
        break;
      case 'heading':
        push({ ...base, kind: 'heading', level: (token as Tokens.Heading).depth, spans: spansOf(token), indent: 0 });
        break;
      case 'paragraph':
      case 'text':
      case 'html':
        push({ ...base, kind: 'paragraph', spans: spansOf(token) });
        break;
      case 'code':
        push({
          ...base,
          kind: 'code',
          lang: ((token as Tokens.Code).lang ?? '').split(/\s/)[0]!.toLowerCase(),
          lines: (token as Tokens.Code).text.split('\n'),
          indent: place.inList ? place.indent + 2 : 4,
        });
        break;
      case 'blockquote':
        push({ ...base, kind: 'quote', spans: quoteSpans(token as Tokens.Blockquote), indent: 0 });
        break;
      case 'table': {
        const table = token as Tokens.Table;
        push({
          ...base,
          kind: 'table',
          header: table.header.map((cell) => inlineOf(cell.tokens)),
          align: table.align.map((a) => a ?? 'left'),
          rows: table.rows.map((row) => row.map((cell) => inlineOf(cell.tokens))),
        });
        break;
      }
      case 'hr':
        push({ ...base, kind: 'rule', indent: 0 });
        break;
      case 'list':
        for (const block of listBlocks(token as Tokens.List, place, blankBefore)) push(block);
        break;
      default:
        if ('text' in token && typeof token.text === 'string')
          push({ ...base, kind: 'paragraph', spans: plain(token.text) });
    }
  }
  return blocks;
}

function listBlocks(list: Tokens.List, place: Place, blankBefore: boolean): Block[] {
  const start = typeof list.start === 'number' ? list.start : 1;
  return list.items.flatMap((item, index) => {
    const marker = list.ordered ? `${start + index}.` : '•';
    const [first, ...rest] = item.tokens;
    const opensWithText = first?.type === 'paragraph' || first?.type === 'text';
    const head: Block = {
      kind: 'item',
      marker,
      spans: opensWithText ? spansOf(first) : [],
      indent: place.indent,
      blankBefore: index === 0 ? blankBefore : list.loose,
      inList: true,
    };
    const inner = { indent: place.indent + displayWidth(marker) + 1, inList: true };
    return [head, ...blocksOf(opensWithText ? rest : item.tokens, inner)];
  });
}

function quoteSpans(quote: Tokens.Blockquote): Span[] {
  return quote.tokens.flatMap((token, index) => [
    ...(index > 0 && token.type !== 'space' ? [{ text: '\n', style: {} }] : []),
    ...(token.type === 'space' ? [] : spansOf(token)),
  ]);
}

/** Items of one tight list follow each other directly; everything else is separated by an empty line. */
function needsGap(previous: Block, block: Block): boolean {
  if (block.blankBefore) return true;
  return !(previous.inList && block.inList);
}

// ---------------------------------------------------------------- block rendering

function renderBlock(block: Block, colors: Colors, width: number): string[] {
  const pad = ' '.repeat(block.indent);
  switch (block.kind) {
    case 'heading': {
      const lines = wrap(block.spans, colors, width);
      const style = block.level === 1 ? (text: string) => colors.bold(colors.cyan(text)) : colors.bold;
      const styled = lines.map((line) => style(line));
      if (block.level > 2) return styled;
      const underline = (block.level === 1 ? '═' : '─').repeat(Math.max(...lines.map(displayWidth)));
      return [...styled, colors.dim(underline)];
    }
    case 'paragraph':
      return wrap(block.spans, colors, width - block.indent).map((line) => pad + line);
    case 'item': {
      const hanging = ' '.repeat(displayWidth(block.marker) + 1);
      const available = width - block.indent - hanging.length;
      return wrap(block.spans, colors, available).map(
        (line, index) => pad + (index === 0 ? colors.dim(block.marker) + ' ' : hanging) + line,
      );
    }
    case 'quote':
      return wrap(block.spans, colors, width - 2).map((line) => colors.dim('│') + ' ' + line);
    case 'code':
      return renderCode(block.lang, block.lines, colors).map((line) => (line === '' ? '' : pad + line));
    case 'table': {
      // Cells wrap inside their column when the table is wider than the screen.
      const cells = [block.header, ...block.rows];
      const columns = Math.max(...cells.map((row) => row.length));
      const natural = Array.from({ length: columns }, (_, column) =>
        Math.max(...cells.map((row) => displayWidth(renderLine(wordsOf(row[column] ?? [], colors), colors)))),
      );
      const fitted = fitColumns(natural, width - block.indent);
      const render = (row: Span[][]): string[] =>
        row.map((spans, column) => wrap(spans, colors, fitted[column]!).join('\n'));
      const [header, ...rows] = cells.map(render);
      const table = renderTable(header!, rows, { colors, align: block.align });
      return table.split('\n').map((line) => pad + line);
    }
    case 'rule':
      return [colors.dim('─'.repeat(width))];
  }
}

const SHELL = new Set(['sh', 'bash', 'shell', 'zsh', 'console', 'shell-session', 'terminal']);
const YAML = new Set(['yaml', 'yml', 'json']);

function renderCode(lang: string, lines: string[], colors: Colors): string[] {
  if (YAML.has(lang)) return highlightYaml(lines.join('\n'), colors).split('\n');
  if (!SHELL.has(lang)) return lines;
  const command = (text: string): string => colors.dim('$ ') + colors.cyan(text);
  // A transcript already marks its commands with `$ `; the rest of its lines are output.
  if (lines.some((line) => line.startsWith('$ '))) {
    return lines.map((line) => (line.startsWith('$ ') ? command(line.slice(2)) : line));
  }
  if (lang === 'console' || lang === 'shell-session' || lang === 'terminal') return lines;
  // A script: every line is a command, except comments, blank lines and continuations of the line before.
  let continued = false;
  return lines.map((line) => {
    const wasContinued = continued;
    continued = line.trimEnd().endsWith('\\');
    if (line.trim() === '') return '';
    if (line.trimStart().startsWith('#')) return '  ' + colors.dim(line);
    return wasContinued ? '  ' + colors.cyan(line) : command(line);
  });
}

// ---------------------------------------------------------------- inline

interface Style {
  bold?: boolean;
  italic?: boolean;
  code?: boolean;
  link?: boolean;
  url?: boolean;
}

interface Span {
  text: string;
  style: Style;
}

function plain(text: string, style: Style = {}): Span[] {
  return text === '' ? [] : [{ text, style }];
}

function spansOf(token: Token): Span[] {
  if ('tokens' in token && Array.isArray(token.tokens)) return inlineOf(token.tokens);
  return 'text' in token && typeof token.text === 'string' ? plain(token.text) : [];
}

function inlineSpans(md: string): Span[] {
  const [first] = lexMarkdown(md);
  return first ? spansOf(first) : [];
}

/** marked's inline tokens as styled spans. */
function inlineOf(tokens: Token[], style: Style = {}): Span[] {
  return tokens.flatMap((token): Span[] => {
    switch (token.type) {
      case 'text':
        return 'tokens' in token && token.tokens ? inlineOf(token.tokens, style) : plain(token.text as string, style);
      case 'escape':
        return plain(token.text as string, style);
      case 'codespan':
        return [{ text: token.text as string, style: { ...style, code: true } }];
      case 'strong':
      case 'em': {
        // `_x_` stays as typed: underscores in names (snake_case, __init__) are never emphasis here.
        if (token.raw.startsWith('_')) return plain(token.raw, style);
        const key = token.type === 'strong' ? 'bold' : 'italic';
        return inlineOf((token as Tokens.Strong).tokens, { ...style, [key]: true });
      }
      case 'link': {
        const link = token as Tokens.Link;
        const inner = inlineOf(link.tokens, { ...style, link: true });
        const label = inner.map((span) => span.text).join('');
        return label === link.href ? inner : [...inner, { text: ` (${link.href})`, style: { url: true } }];
      }
      case 'br':
        return [{ text: '\n', style: {} }];
      case 'del':
        return inlineOf((token as Tokens.Del).tokens, style);
      case 'image':
        return plain((token as Tokens.Image).text, style);
      default:
        return plain('text' in token && typeof token.text === 'string' ? token.text : token.raw, style);
    }
  });
}

function styleKey(style: Style): string {
  return `${style.bold ? 'b' : ''}${style.italic ? 'i' : ''}${style.code ? 'c' : ''}${style.link ? 'l' : ''}${style.url ? 'u' : ''}`;
}

function applyStyle(text: string, style: Style, colors: Colors): string {
  let styled = text;
  if (style.code) styled = colors.cyan(styled);
  if (style.link) styled = colors.underline(styled);
  if (style.url) styled = colors.dim(styled);
  if (style.italic) styled = colors.italic(styled);
  if (style.bold) styled = colors.bold(styled);
  return styled;
}

/** A word: pieces of text with their styles, broken only when wider than a line. `null` is a hard break. */
type Word = Span[] | null;

function wordsOf(spans: Span[], colors: Colors): Word[] {
  const words: Word[] = [];
  let current: Span[] = [];
  const end = (): void => {
    if (current.length > 0) words.push(current);
    current = [];
  };
  for (const span of spans) {
    if (span.text === '\n' && styleKey(span.style) === '') {
      end();
      words.push(null);
      continue;
    }
    if (span.style.code) {
      // Without colour, backticks keep code recognisable; a code span is one unbreakable word.
      current.push({ text: colors.isColorSupported ? span.text : '`' + span.text + '`', style: span.style });
      continue;
    }
    const parts = span.text.split(/(\s+)/);
    parts.forEach((part, index) => {
      if (index % 2 === 1) end();
      else if (part !== '') current.push({ text: part, style: span.style });
    });
  }
  end();
  return words;
}

function wordWidth(word: Span[]): number {
  return word.reduce((sum, span) => sum + displayWidth(span.text), 0);
}

/** A word wider than the line, cut by cells. */
function splitWord(word: Span[], width: number): Span[][] {
  const pieces: Span[][] = [];
  let current: Span[] = [];
  let used = 0;
  for (const span of word) {
    let rest = span.text;
    while (rest !== '') {
      const room = width - used;
      const [head] = sliceByWidth(rest, Math.max(1, room));
      if (room <= 0 || (displayWidth(head!) > room && used > 0)) {
        pieces.push(current);
        current = [];
        used = 0;
        continue;
      }
      current.push({ text: head!, style: span.style });
      used += displayWidth(head!);
      rest = rest.slice(head!.length);
    }
  }
  if (current.length > 0) pieces.push(current);
  return pieces;
}

function wrap(spans: Span[], colors: Colors, width: number): string[] {
  const limit = Math.max(1, width);
  const lines: Span[][][] = [];
  let line: Span[][] = [];
  let used = 0;
  const flush = (): void => {
    lines.push(line);
    line = [];
    used = 0;
  };
  for (const word of wordsOf(spans, colors)) {
    if (word === null) {
      flush();
      continue;
    }
    // Commands and addresses stay whole (the terminal wraps an overlong line; copying it still works).
    const keepWhole = word.some((span) => span.style.code || span.style.url || span.style.link);
    const pieces = wordWidth(word) > limit && !keepWhole ? splitWord(word, limit) : [word];
    for (const piece of pieces) {
      const cells = wordWidth(piece);
      if (line.length > 0 && used + 1 + cells > limit) flush();
      used += (line.length > 0 ? 1 : 0) + cells;
      line.push(piece);
    }
  }
  if (line.length > 0 || lines.length === 0) flush();
  return lines.map((words) => renderLine(words, colors));
}

/** Join words with spaces, styling runs of the same style at once (a link's underline spans its spaces). */
function renderLine(words: Word[], colors: Colors): string {
  const runs: Span[] = [];
  const add = (span: Span): void => {
    const last = runs.at(-1);
    if (last && styleKey(last.style) === styleKey(span.style)) last.text += span.text;
    else runs.push({ ...span });
  };
  let previous: Span | undefined;
  for (const word of words) {
    if (word === null || word.length === 0) continue;
    if (previous) {
      const shared = styleKey(previous.style) === styleKey(word[0]!.style) ? previous.style : {};
      add({ text: ' ', style: shared });
    }
    word.forEach(add);
    previous = word.at(-1);
  }
  return runs.map((run) => applyStyle(run.text, run.style, colors)).join('');
}
