import { createRequire } from 'node:module';

type StringWidth = (text: string) => number;

let stringWidth: StringWidth | undefined;

/**
 * string-width, loaded on first need: compiling its Unicode property regexes (`\p{RGI_Emoji}` among them) costs
 * about a quarter of `node -e 0`, which `--help` and most English screens never need. Node ≥ 20.19 loads an ES
 * module through require() without a flag or a warning (nodejs/node#55085, #55960).
 */
function fullWidth(): StringWidth {
  stringWidth ??= (createRequire(import.meta.url)('string-width') as { default: StringWidth }).default;
  return stringWidth;
}

/**
 * Printable ASCII; the punctuation, arrows, marks and box drawing of our texts and screens (× · – — ‘ ’ “ ” • … ←↑→↓
 * ≈ ≠ ≥, U+2500–U+259F, ▶ ▷ ▸ ▼, ✓ ✔ ✖ ✗: one cell each, East Asian Width N or A, narrow by default, none an emoji
 * without a variation selector); Hangul syllables (U+AC00–U+D7A3); and SGR colour codes: their cells are certain.
 */
// The escape character is the point: colour codes take no cells.
/* eslint-disable no-control-regex */
const PLAIN =
  /^(?:[\x20-\x7e\u00b7\u00d7\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u2190-\u2193\u2248\u2260\u2265\u2500-\u259f\u25b6-\u25b8\u25bc\u2713\u2714\u2716\u2717\uac00-\ud7a3]|\x1b\[[0-9;]*m)*$/;
const SGR = /\x1b\[[0-9;]*m/g;
/* eslint-enable no-control-regex */
const HANGUL = /[\uac00-\ud7a3]/g;

/**
 * Terminal cells, measured by string-width (Unicode East Asian Width, emoji sequences, combining marks, escape
 * codes ignored): Korean text is wrapped and aligned by cells, not by string length. Text of PLAIN characters alone
 * is counted directly (Hangul syllables two cells, East Asian Width W; the rest one), which is what string-width
 * says for it (tested against it on every lab text).
 */
export function displayWidth(text: string): number {
  if (!PLAIN.test(text)) return fullWidth()(text);
  const bare = text.includes('\x1b') ? text.replace(SGR, '') : text;
  return bare.length + (bare.match(HANGUL)?.length ?? 0);
}

/** Pad with spaces to `width` cells (never truncates). */
export function padDisplay(text: string, width: number, align: 'left' | 'right' | 'center' = 'left'): string {
  const gap = Math.max(0, width - displayWidth(text));
  if (align === 'right') return ' '.repeat(gap) + text;
  if (align === 'center') {
    const left = Math.floor(gap / 2);
    return ' '.repeat(left) + text + ' '.repeat(gap - left);
  }
  return text + ' '.repeat(gap);
}

let graphemes: Intl.Segmenter | undefined;

/** Split plain text (no escape codes) into pieces of at most `width` cells, never inside a grapheme cluster. */
export function sliceByWidth(text: string, width: number): string[] {
  graphemes ??= new Intl.Segmenter();
  const pieces: string[] = [];
  let current = '';
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const cells = displayWidth(segment);
    if (used + cells > width && current !== '') {
      pieces.push(current);
      current = '';
      used = 0;
    }
    current += segment;
    used += cells;
  }
  if (current !== '' || pieces.length === 0) pieces.push(current);
  return pieces;
}
