import { UserError } from '../core/errors.js';
import { withParticle } from '../core/korean.js';

/**
 * The tool's marked block in a hosts file, as pure text operations.
 *
 *     # >>> expose-labs >>> added by expose-labs; `expose-labs hosts remove` takes it out
 *     127.0.0.1 niniz.com
 *     # <<< expose-labs <<<
 *
 * Texts are the file's bytes decoded as latin1 (one char per byte), so every byte outside the block, whatever its
 * encoding, goes back out unchanged. The block holds one `address name` line per name, in the order added, with the
 * file's own line ending. It is appended at the end of the file; when the file had no final line break, one is put
 * before the block and none after it, so that removing the block gives back the original bytes exactly.
 */

export const BEGIN_MARKER = '# >>> expose-labs >>>';
export const END_MARKER = '# <<< expose-labs <<<';
const BEGIN_LINE = `${BEGIN_MARKER} added by expose-labs; \`expose-labs hosts remove\` takes it out`;
/** The begin line when the tool made the file: removing the last entry then removes the file too. */
const BEGIN_LINE_CREATED = `${BEGIN_MARKER} added by expose-labs, which created this file; \`expose-labs hosts remove\` takes it out`;
const CREATED = /^\s*#\s*>>>\s*expose-labs\b.*\bcreated this file\b/;

// Lenient on purpose: a marker someone re-indented or re-spaced still counts, so it is never mistaken for plain text.
const IS_BEGIN = /^\s*#\s*>>>\s*expose-labs\b/;
const IS_END = /^\s*#\s*<<<\s*expose-labs\b/;
/** UTF-8's byte order mark as latin1 text: Windows editors put it before line 1, which may be a marker. */
const BOM = '\xef\xbb\xbf';

/**
 * What the in-place write (platform/atomic-file.ts) puts after the new text when the file shrinks, until its
 * truncate: a comment line of at least `length` bytes. A kill between the two leaves it at the very end of the
 * file, where every read strips it (`withoutPad`), so the next edit writes the file without it.
 */
const PAD_HEAD = '#expose-labs-pad#';
const PAD_AT_END = /#expose-labs-pad# *\n$/;

export function padding(length: number): Buffer {
  return Buffer.from(PAD_HEAD + ' '.repeat(Math.max(0, length - PAD_HEAD.length - 1)) + '\n', 'latin1');
}

/** The text without a padding line a killed in-place write left at its end; `padded` says whether there was one. */
export function withoutPad(text: string): { text: string; padded: boolean } {
  const match = PAD_AT_END.exec(text);
  return match ? { text: text.slice(0, match.index), padded: true } : { text, padded: false };
}

export interface HostsEntry {
  address: string;
  names: string[];
}

type Eol = '\n' | '\r\n';

interface Line {
  /** The line without its terminator. */
  text: string;
  /** Its terminator; '' for a last line without one. */
  eol: '' | Eol;
  start: number;
}

interface Block {
  begin: number;
  end: number;
}

/** The markers are unbalanced or duplicated: the file is refused and left as it is. */
export class HostsBlockError extends UserError {
  override readonly name = 'HostsBlockError';
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  // The BOM stays with the bytes before line 1, outside any block, so removing a block on line 1 keeps it.
  let start = text.startsWith(BOM) ? BOM.length : 0;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    if (nl === -1) {
      lines.push({ text: text.slice(start), eol: '', start });
      break;
    }
    const crlf = nl > start && text[nl - 1] === '\r';
    lines.push({ text: text.slice(start, crlf ? nl - 1 : nl), eol: crlf ? '\r\n' : '\n', start });
    start = nl + 1;
  }
  return lines;
}

function findBlock(lines: Line[], file: string): Block | undefined {
  const begins = lines.flatMap((line, i) => (IS_BEGIN.test(line.text) ? [i] : []));
  const ends = lines.flatMap((line, i) => (IS_END.test(line.text) ? [i] : []));
  if (begins.length === 0 && ends.length === 0) return undefined;
  const [begin] = begins;
  const [end] = ends;
  if (begins.length === 1 && ends.length === 1 && begin! < end!) return { begin: begin!, end: end! };
  const where = (kind: string, at: number[]) => `${kind}: ${at.length ? at.map((i) => i + 1).join(', ') : '-'}`;
  const detail = `${where(BEGIN_MARKER, begins)}; ${where(END_MARKER, ends)}`;
  throw new HostsBlockError(
    {
      ko: `${file}의 expose-labs 표시 줄이 짝이 맞지 않거나 여러 번 있습니다 (줄 번호 ${detail}). 파일은 건드리지 않았습니다.`,
      en: `The expose-labs marker lines in ${file} are unbalanced or repeated (line numbers ${detail}). The file was not changed.`,
    },
    {
      ko: `${withParticle(file, '을/를')} 열어 "${BEGIN_MARKER}"와 "${END_MARKER}" 줄 사이를 (표시 줄 포함) 정리한 뒤 다시 실행하세요.`,
      en: `Open ${file}, tidy the lines from "${BEGIN_MARKER}" to "${END_MARKER}" (markers included), then run again.`,
    },
  );
}

function parseEntry(text: string): HostsEntry | undefined {
  const fields = text.replace(/#.*/, '').trim().split(/\s+/).filter(Boolean);
  const [address, ...names] = fields;
  return address && names.length ? { address, names } : undefined;
}

/** The file's line ending: that of its first line, else `fallback` (the platform's). */
export function detectEol(text: string, fallback: Eol): Eol {
  const nl = text.indexOf('\n');
  if (nl === -1) return fallback;
  return nl > 0 && text[nl - 1] === '\r' ? '\r\n' : '\n';
}

/** Entries inside the block (none when there is no block). Throws HostsBlockError on broken markers. */
export function blockEntries(text: string, file: string): HostsEntry[] {
  const lines = splitLines(text);
  const block = findBlock(lines, file);
  if (!block) return [];
  return lines.slice(block.begin + 1, block.end).flatMap((line) => parseEntry(line.text) ?? []);
}

/** Is there a block? Throws HostsBlockError on broken markers. */
export function hasBlock(text: string, file: string): boolean {
  return findBlock(splitLines(text), file) !== undefined;
}

function withoutBlock(text: string, lines: Line[], block: Block): string {
  const first = lines[block.begin]!;
  const last = lines[block.end]!;
  let start = first.start;
  const end = last.start + last.text.length + last.eol.length;
  // A block that ends the file without a final line break was preceded by the line break we added.
  if (last.eol === '' && start > 0 && first.eol !== '' && text.slice(start - first.eol.length, start) === first.eol) {
    start -= first.eol.length;
  }
  return text.slice(0, start) + text.slice(end);
}

/** Put `middle` (the entry and comment lines) between the existing markers, or drop the block when nothing is left. */
function replaceMiddle(text: string, lines: Line[], block: Block, middle: string[]): string {
  if (!middle.some((line) => parseEntry(line))) return withoutBlock(text, lines, block);
  const first = lines[block.begin]!;
  const last = lines[block.end]!;
  const eol = first.eol || '\n';
  const head = text.slice(0, first.start) + first.text + first.eol;
  return head + middle.map((line) => line + eol).join('') + text.slice(last.start);
}

/**
 * Map each of `names` to `address` inside the block, creating the block when there is none. A name already in the
 * block with another address is moved to the new one. Returns `text` itself when nothing changes.
 */
export function addToBlock(
  text: string,
  file: string,
  address: string,
  given: readonly string[],
  fallbackEol: Eol,
  creating = false,
): string {
  const names = [...new Set(given)];
  const lines = splitLines(text);
  const block = findBlock(lines, file);
  if (!block) {
    if (names.length === 0) return text;
    const eol = detectEol(text, fallbackEol);
    const needsBreak = text.length > 0 && !text.endsWith('\n');
    const begin = creating ? BEGIN_LINE_CREATED : BEGIN_LINE;
    const body = [begin, ...names.map((name) => `${address} ${name}`), END_MARKER].join(eol);
    return needsBreak ? text + eol + body : text + body + eol;
  }
  const middle = lines.slice(block.begin + 1, block.end).map((line) => line.text);
  let changed = false;
  for (const name of names) {
    const holder = middle.findIndex((line) => parseEntry(line)?.names.includes(name));
    if (holder !== -1 && parseEntry(middle[holder]!)!.address === address) continue;
    if (holder !== -1) middle.splice(holder, 1, ...withoutNames(middle[holder]!, [name]));
    middle.push(`${address} ${name}`);
    changed = true;
  }
  return changed ? replaceMiddle(text, lines, block, middle) : text;
}

/** The line without `names`, or nothing when no name is left on it. */
function withoutNames(line: string, names: readonly string[]): string[] {
  const entry = parseEntry(line);
  if (!entry || !entry.names.some((n) => names.includes(n))) return [line];
  const kept = entry.names.filter((n) => !names.includes(n));
  return kept.length ? [`${entry.address} ${kept.join(' ')}`] : [];
}

/**
 * Remove `names` from the block, or the whole block when `names` is undefined. A block left without entries is
 * removed with its markers, which gives back the file as it was before the first add. Returns `text` itself when
 * nothing changes.
 */
export function removeFromBlock(text: string, file: string, names?: readonly string[]): string {
  const lines = splitLines(text);
  const block = findBlock(lines, file);
  if (!block) return text;
  if (names === undefined) return withoutBlock(text, lines, block);
  const before = lines.slice(block.begin + 1, block.end).map((line) => line.text);
  const after = before.flatMap((line) => withoutNames(line, names));
  if (after.length === before.length && after.every((line, i) => line === before[i])) return text;
  return replaceMiddle(text, lines, block, after);
}

/**
 * Is the block (if any) exactly what the tool writes: its begin line, `address name…` lines with single spaces, its
 * end marker? `validEntry` judges each entry. The root helper accepts nothing else.
 */
export function blockIsToolMade(text: string, file: string, validEntry: (entry: HostsEntry) => boolean): boolean {
  const lines = splitLines(text);
  const block = findBlock(lines, file);
  if (!block) return true;
  const begin = lines[block.begin]!.text;
  if (begin !== BEGIN_LINE && begin !== BEGIN_LINE_CREATED) return false;
  if (lines[block.end]!.text !== END_MARKER) return false;
  return lines.slice(block.begin + 1, block.end).every((line) => {
    const entry = /^[^\s#]+(?: [^\s#]+)+$/.test(line.text) ? parseEntry(line.text) : undefined;
    return entry !== undefined && validEntry(entry);
  });
}

/** Did the tool create this file (its block says so)? Then a removal that leaves nothing removes the file. */
export function createdByTool(text: string, file: string): boolean {
  const lines = splitLines(text);
  const block = findBlock(lines, file);
  return block !== undefined && CREATED.test(lines[block.begin]!.text);
}

/** Lines before the block (the whole file when there is none) that map one of `names`: resolvers take the first. */
export function earlierMappings(
  text: string,
  file: string,
  names: readonly string[],
): { line: number; address: string; name: string }[] {
  const lines = splitLines(text);
  const block = findBlock(lines, file);
  const before = block ? lines.slice(0, block.begin) : lines;
  return before.flatMap((line, i) => {
    const entry = parseEntry(line.text);
    if (!entry) return [];
    return entry.names
      .map((n) => n.toLowerCase())
      .filter((n) => names.includes(n))
      .map((name) => ({ line: i + 1, address: entry.address, name }));
  });
}

/** The text with the block (if any) taken out: what the file was before the tool touched it. */
export function outsideBlock(text: string, file: string): string {
  return removeFromBlock(text, file);
}
