import stringWidth from 'string-width';

/**
 * Terminal cells, measured by string-width (Unicode East Asian Width, emoji sequences, combining marks, escape
 * codes ignored): Korean text is wrapped and aligned by cells, not by string length.
 */
export function displayWidth(text: string): number {
  return stringWidth(text);
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

const graphemes = new Intl.Segmenter();

/** Split plain text (no escape codes) into pieces of at most `width` cells, never inside a grapheme cluster. */
export function sliceByWidth(text: string, width: number): string[] {
  const pieces: string[] = [];
  let current = '';
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const cells = stringWidth(segment);
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
