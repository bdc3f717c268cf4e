import { tr, type Lang, type Text } from '../core/i18n.js';
import type { Colors } from './output.js';
import { displayWidth, padDisplay, sliceByWidth } from './text-width.js';

/**
 * What the last check's traffic did at one hop of the lab's path: went through (seen, or inferred), answered,
 * stopped here, was not on this way in, was never reached; `unknown` before any check ran.
 */
export type HopState = 'through' | 'inferred' | 'answered' | 'stopped' | 'skipped' | 'not-reached' | 'unknown';

export interface DiagramHop {
  label: string;
  state: HopState;
  /** What was seen there: `refused — no port mapping (127.0.0.1:30001)`. */
  detail?: string;
  /** For an inferred hop: what it was worked out from. */
  from?: string;
}

/** unicode: boxes and arrows; ascii: the same in 7-bit characters; text: a numbered list for screen readers. */
export type DiagramStyle = 'unicode' | 'ascii' | 'text';

export interface PathDiagramArgs {
  hops: DiagramHop[];
  lang: Lang;
  colors: Colors;
  width: number;
  style: DiagramStyle;
  /** What the marks come from, e.g. the check's title. */
  caption?: string;
}

const WORDS: Record<HopState, Text> = {
  through: { ko: '지나감', en: 'went through' },
  inferred: { ko: '지나감', en: 'went through' },
  answered: { ko: '응답함', en: 'answered' },
  stopped: { ko: '여기서 멈춤', en: 'stopped here' },
  skipped: { ko: '이번 길에는 없음', en: 'not on this way in' },
  'not-reached': { ko: '닿지 않음', en: 'not reached' },
  unknown: { ko: '', en: '' },
};

const GLYPHS: Record<Exclude<DiagramStyle, 'text'>, Record<HopState, string>> = {
  unicode: {
    through: '✓',
    inferred: '~',
    answered: '✓',
    stopped: '✗',
    skipped: '–',
    'not-reached': '·',
    unknown: '',
  },
  ascii: { through: '+', inferred: '~', answered: '+', stopped: 'X', skipped: '-', 'not-reached': '.', unknown: '' },
};

const BOX = {
  unicode: { tl: '┌', tr: '┐', bl: '└', br: '┘', h: '─', v: '│', tee: '┬', arrow: '▼', gap: '┆' },
  ascii: { tl: '+', tr: '+', bl: '+', br: '+', h: '-', v: '|', tee: '+', arrow: 'v', gap: ':' },
} as const;

const TEXT = {
  title: { ko: '트래픽 경로', en: 'Traffic path' },
  marks: (caption: string): Text => ({ ko: `표시: ${caption}`, en: `Marked: ${caption}` }),
  hops: (n: number): Text => ({ ko: `${n}개 지점`, en: `${n} hops` }),
  from: (from: string): Text => ({ ko: `추정 근거: ${from}`, en: `inferred from: ${from}` }),
  noCheck: { ko: '아직 확인을 실행하지 않음', en: 'no check has run yet' },
  inferred: { ko: '(추정)', en: '(inferred)' },
} as const;

/**
 * Words to lines of at most `width` cells; a word longer than the line is cut by characters, since a box cannot
 * grow (ui/wrap.ts keeps such a word whole, for text a learner may paste).
 */
function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (displayWidth(candidate) <= width) {
      line = candidate;
      continue;
    }
    if (line !== '') lines.push(line);
    const pieces = sliceByWidth(word, width);
    line = pieces.pop()!;
    lines.push(...pieces);
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

/** The annotation of a hop as words: state, what was seen, and for inferred hops from what. */
function annotation(hop: DiagramHop, lang: Lang): string {
  if (hop.state === 'unknown') return '';
  const parts = [tr(WORDS[hop.state], lang)];
  if (hop.detail) parts.push(`— ${hop.detail}`);
  if (hop.from) parts.push(`(${tr(TEXT.from(hop.from), lang)})`);
  else if (hop.state === 'inferred') parts.push(tr(TEXT.inferred, lang));
  return parts.join(' ');
}

/** The plain-text alternative: one numbered sentence per hop, nothing carried by layout, glyph or colour. */
function renderText(args: PathDiagramArgs): string {
  const { lang } = args;
  const head = `${tr(TEXT.title, lang)}, ${tr(TEXT.hops(args.hops.length), lang)}.`;
  const lines = [head];
  if (args.caption) lines.push(`${tr(TEXT.marks(args.caption), lang)}.`);
  else if (args.hops.every((h) => h.state === 'unknown')) lines.push(`${tr(TEXT.noCheck, lang)}.`);
  args.hops.forEach((hop, i) => {
    const said = annotation(hop, lang);
    const sentence = `${i + 1}. ${hop.label}${said ? `: ${said}` : ''}.`;
    lines.push(...wrapWords(sentence, args.width));
  });
  return lines.join('\n');
}

function paint(colors: Colors, state: HopState, text: string): string {
  switch (state) {
    case 'stopped':
      return colors.red(text);
    case 'through':
    case 'answered':
      return colors.green(text);
    case 'inferred':
      return colors.cyan(text);
    default:
      return colors.dim(text);
  }
}

/**
 * The path as boxes top to bottom, each hop's mark beside its box (the glyph and the words, so neither colour nor
 * glyph carries meaning alone). Fits `width` columns from 40 up; the box takes at most 28 of them.
 */
function renderBoxes(args: PathDiagramArgs, style: 'unicode' | 'ascii'): string {
  const { lang, colors } = args;
  const width = Math.max(40, args.width);
  const b = BOX[style];
  const inner = Math.min(24, Math.floor(width * 0.42) - 4);
  const boxWidth = inner + 4;
  const noteWidth = width - boxWidth - 2;
  const center = Math.floor(boxWidth / 2);
  const out: string[] = [colors.bold(tr(TEXT.title, lang))];
  if (args.caption) out.push(...wrapWords(tr(TEXT.marks(args.caption), lang), width).map((l) => colors.dim(l)));
  const stopAt = args.hops.findIndex((h) => h.state === 'stopped');
  args.hops.forEach((hop, i) => {
    const label = wrapWords(hop.label, inner);
    const glyph = GLYPHS[style][hop.state];
    const said =
      style === 'ascii' ? annotation(hop, lang).replace(/—/g, '-').replace(/→/g, '->') : annotation(hop, lang);
    const note = hop.state === 'unknown' ? [] : wrapWords(`${glyph} ${said}`, noteWidth);
    const rows = Math.max(label.length, note.length - 1);
    const side = (row: number) => (note[row] ? `  ${paint(colors, hop.state, note[row])}` : '');
    out.push(`${b.tl}${b.h.repeat(boxWidth - 2)}${b.tr}${side(0)}`);
    for (let r = 0; r < rows; r++) out.push(`${b.v} ${padDisplay(label[r] ?? '', inner)} ${b.v}${side(r + 1)}`);
    const last = i === args.hops.length - 1;
    const bottom = last ? b.h.repeat(boxWidth - 2) : b.h.repeat(center - 1) + b.tee + b.h.repeat(boxWidth - center - 2);
    out.push(`${b.bl}${bottom}${b.br}`);
    if (!last) {
      const broken = stopAt >= 0 && i >= stopAt;
      out.push(' '.repeat(center) + (broken ? colors.dim(b.gap) : b.arrow));
    }
  });
  return out.join('\n');
}

export function renderPathDiagram(args: PathDiagramArgs): string {
  return args.style === 'text' ? renderText(args) : renderBoxes(args, args.style);
}

/** Accessible mode reads as text; a terminal that cannot show UTF-8 (or TERM=dumb) gets ASCII. */
export function diagramStyle(env: NodeJS.ProcessEnv, accessible: boolean): DiagramStyle {
  if (accessible) return 'text';
  if (env.TERM === 'dumb') return 'ascii';
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
  return locale === '' || /utf-?8/i.test(locale) ? 'unicode' : 'ascii';
}
