import type { Colors } from './output.js';
import { fitColumns, renderTable, type Align } from './table.js';
import { displayWidth, sliceByWidth } from './text-width.js';
import { highlightYaml } from './yaml-highlight.js';

/**
 * Terminal rendering of the Markdown our lab texts use: headings, paragraphs wrapped by terminal cells (Korean
 * takes two), bullet and numbered lists (nested by indentation), fenced code, block quotes, pipe tables, rules,
 * and inline `code`, **bold**, *italic*, [links](url). Underscores are never emphasis: they are common in
 * identifiers. Returns lines without a final newline; with colours off it holds no escape codes.
 */
export function renderMarkdown(md: string, opts: { colors: Colors; width: number }): string {
  const width = Math.max(20, opts.width);
  const blocks = parseBlocks(md.replace(/\r\n?/g, '\n').split('\n'));
  const out: string[] = [];
  blocks.forEach((block, index) => {
    if (index > 0 && needsGap(blocks[index - 1]!, block)) out.push('');
    out.push(...renderBlock(block, opts.colors, width));
  });
  return out.join('\n');
}

/** Inline Markdown (code, bold, italic, links) on one line, no wrapping: for hints and short messages. */
export function renderInline(md: string, colors: Colors): string {
  return md
    .split('\n')
    .map((line) => renderLine(wordsOf(parseInline(line), colors), colors))
    .join('\n');
}

// ---------------------------------------------------------------- blocks

type Block = { indent: number; blankBefore: boolean; inList: boolean } & (
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'item'; marker: string; text: string }
  | { kind: 'code'; lang: string; lines: string[] }
  | { kind: 'quote'; text: string }
  | { kind: 'table'; header: string[]; align: Align[]; rows: string[][] }
  | { kind: 'rule' }
);

/** An open list item: where its marker stood in the source, where its content starts in the output. */
interface OpenItem {
  sourceIndent: number;
  sourceContent: number;
  outputContent: number;
}

const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/;
const RULE = /^\s{0,3}([-*_])(\s*\1){2,}\s*$/;
const ITEM = /^(\s*)([-*+]|\d{1,9}[.)])(\s+)(.*)$/;
const QUOTE = /^\s{0,3}>\s?(.*)$/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

function startsBlock(line: string, next: string | undefined): boolean {
  return (
    HEADING.test(line) ||
    FENCE.test(line) ||
    RULE.test(line) ||
    ITEM.test(line) ||
    QUOTE.test(line) ||
    (line.includes('|') && next !== undefined && TABLE_SEPARATOR.test(next) && next.includes('-'))
  );
}

function parseBlocks(lines: string[]): Block[] {
  const blocks: Block[] = [];
  let open: OpenItem[] = [];
  let blankBefore = false;
  let index = 0;

  const push = (block: Block): void => {
    blocks.push(block);
    blankBefore = false;
  };
  // The list item a line indented by `indent` belongs to, closing items it is not inside of.
  const owner = (indent: number): OpenItem | undefined => {
    while (open.length > 0 && indent < open.at(-1)!.sourceContent) open.pop();
    return open.at(-1);
  };

  while (index < lines.length) {
    const line = lines[index]!;
    const next = lines[index + 1];
    if (line.trim() === '') {
      blankBefore = true;
      index++;
      continue;
    }
    const indent = indentOf(line);

    const fence = FENCE.exec(line);
    if (fence) {
      const item = owner(indent);
      const closing = new RegExp(`^\\s*${fence[2]![0] === '`' ? '`' : '~'}{${fence[2]!.length},}\\s*$`);
      const body: string[] = [];
      index++;
      while (index < lines.length && !closing.test(lines[index]!)) {
        const bodyLine = lines[index]!;
        body.push(bodyLine.slice(Math.min(indentOf(bodyLine), fence[1]!.length)));
        index++;
      }
      index++;
      push({
        kind: 'code',
        lang: fence[3]!.toLowerCase(),
        lines: body,
        indent: item ? item.outputContent + 2 : 4,
        blankBefore,
        inList: item !== undefined,
      });
      continue;
    }

    const item = ITEM.exec(line);
    if (item && !RULE.test(line)) {
      while (open.length > 0 && open.at(-1)!.sourceIndent >= indent) open.pop();
      const parent = open.at(-1);
      const marker = /^\d/.test(item[2]!) ? item[2]!.replace(')', '.') : '•';
      const outputIndent = parent ? parent.outputContent : 0;
      open.push({
        sourceIndent: indent,
        sourceContent: indent + item[2]!.length + item[3]!.length,
        outputContent: outputIndent + displayWidth(marker) + 1,
      });
      const text = [item[4]!];
      index++;
      index = collectLazy(lines, index, text);
      push({ kind: 'item', marker, text: text.join('\n'), indent: outputIndent, blankBefore, inList: true });
      continue;
    }

    if (HEADING.test(line) || RULE.test(line) || QUOTE.test(line)) open = [];
    const heading = HEADING.exec(line);
    if (heading) {
      push({ kind: 'heading', level: heading[1]!.length, text: heading[2]!, indent: 0, blankBefore, inList: false });
      index++;
      continue;
    }
    if (RULE.test(line)) {
      push({ kind: 'rule', indent: 0, blankBefore, inList: false });
      index++;
      continue;
    }
    if (QUOTE.test(line)) {
      const text: string[] = [];
      while (index < lines.length && QUOTE.test(lines[index]!)) text.push(QUOTE.exec(lines[index++]!)![1]!);
      push({ kind: 'quote', text: text.join('\n'), indent: 0, blankBefore, inList: false });
      continue;
    }

    const holder = owner(indent);
    if (line.includes('|') && next !== undefined && TABLE_SEPARATOR.test(next) && next.includes('-')) {
      const header = splitRow(line);
      const align = splitRow(next).map(alignOf);
      const rows: string[][] = [];
      index += 2;
      while (index < lines.length && lines[index]!.includes('|') && lines[index]!.trim() !== '') {
        rows.push(splitRow(lines[index]!));
        index++;
      }
      push({ kind: 'table', header, align, rows, indent: holder?.outputContent ?? 0, blankBefore, inList: !!holder });
      continue;
    }

    const text = [line.trimStart()];
    index = collectLazy(lines, index + 1, text);
    push({
      kind: 'paragraph',
      text: text.join('\n'),
      indent: holder?.outputContent ?? 0,
      blankBefore,
      inList: !!holder,
    });
  }
  return blocks;
}

/** Lines that continue the current paragraph (no blank line, no new block); returns the next index. */
function collectLazy(lines: string[], start: number, into: string[]): number {
  let index = start;
  while (index < lines.length) {
    const line = lines[index]!;
    if (line.trim() === '' || startsBlock(line, lines[index + 1])) break;
    into.push(line.trimStart());
    index++;
  }
  return index;
}

/** Cells of a pipe-table row; `|` inside backticks or escaped as `\|` stays in the cell. */
function splitRow(line: string): string[] {
  const cells: string[] = [];
  let current = '';
  let inCode = false;
  const body = line
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '');
  for (let index = 0; index < body.length; index++) {
    const char = body[index]!;
    if (char === '\\' && body[index + 1] === '|') {
      current += '|';
      index++;
    } else if (char === '`') {
      inCode = !inCode;
      current += char;
    } else if (char === '|' && !inCode) {
      cells.push(current.trim());
      current = '';
    } else current += char;
  }
  cells.push(current.trim());
  return cells;
}

function alignOf(separator: string): Align {
  const cell = separator.trim();
  if (cell.startsWith(':') && cell.endsWith(':')) return 'center';
  if (cell.endsWith(':')) return 'right';
  return 'left';
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
      const lines = wrap(parseInline(block.text), colors, width);
      const style = block.level === 1 ? (text: string) => colors.bold(colors.cyan(text)) : colors.bold;
      const styled = lines.map((line) => style(line));
      if (block.level > 2) return styled;
      const underline = (block.level === 1 ? '═' : '─').repeat(Math.max(...lines.map(displayWidth)));
      return [...styled, colors.dim(underline)];
    }
    case 'paragraph':
      return wrap(parseInline(block.text), colors, width - block.indent).map((line) => pad + line);
    case 'item': {
      const hanging = ' '.repeat(displayWidth(block.marker) + 1);
      const available = width - block.indent - hanging.length;
      return wrap(parseInline(block.text), colors, available).map(
        (line, index) => pad + (index === 0 ? colors.dim(block.marker) + ' ' : hanging) + line,
      );
    }
    case 'quote':
      return wrap(parseInline(block.text), colors, width - 2).map((line) => colors.dim('│') + ' ' + line);
    case 'code':
      return renderCode(block.lang, block.lines, colors).map((line) => (line === '' ? '' : pad + line));
    case 'table': {
      // Cells wrap inside their column when the table is wider than the screen.
      const cells = [block.header, ...block.rows].map((row) => row.map((cell) => parseInline(cell)));
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

function parseInline(text: string, style: Style = {}): Span[] {
  const spans: Span[] = [];
  let plain = '';
  const flush = (): void => {
    if (plain !== '') spans.push({ text: plain, style });
    plain = '';
  };
  let index = 0;
  while (index < text.length) {
    const rest = text.slice(index);
    const escaped = /^\\([\\`*_[\]()#+\-.!|<>~{}])/.exec(rest);
    if (escaped) {
      plain += escaped[1];
      index += 2;
      continue;
    }
    const code = /^(`+)([\s\S]*?[^`])\1(?!`)/.exec(rest);
    if (code) {
      flush();
      const body = code[2]!.replace(/\n/g, ' ');
      const trimmed = /^ .* $/.test(body) && body.trim() !== '' ? body.slice(1, -1) : body;
      spans.push({ text: trimmed, style: { ...style, code: true } });
      index += code[0].length;
      continue;
    }
    const bold = /^\*\*(?=\S)([\s\S]*?\S)\*\*/.exec(rest);
    if (bold) {
      flush();
      spans.push(...parseInline(bold[1]!, { ...style, bold: true }));
      index += bold[0].length;
      continue;
    }
    const italic = /^\*(?=[^\s*])([\s\S]*?[^\s*])\*(?!\*)/.exec(rest);
    if (italic) {
      flush();
      spans.push(...parseInline(italic[1]!, { ...style, italic: true }));
      index += italic[0].length;
      continue;
    }
    const link = /^\[([^\]]+)\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/.exec(rest);
    if (link) {
      flush();
      const [, label, url] = link;
      const inner = parseInline(label!, { ...style, link: true });
      spans.push(...inner);
      if (inner.map((span) => span.text).join('') !== url) spans.push({ text: ` (${url})`, style: { url: true } });
      index += link[0].length;
      continue;
    }
    const auto = /^<((?:https?|mailto):[^\s>]+)>/.exec(rest);
    if (auto) {
      flush();
      spans.push({ text: auto[1]!, style: { ...style, link: true } });
      index += auto[0].length;
      continue;
    }
    const hardBreak = /^( {2,}|\\)\n/.exec(rest);
    if (hardBreak) {
      flush();
      spans.push({ text: '\n', style: {} });
      index += hardBreak[0].length;
      continue;
    }
    plain += text[index];
    index++;
  }
  flush();
  return spans;
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
