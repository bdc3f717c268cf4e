import { displayWidth } from './text-width.js';

/**
 * Split a rendered screen into pages that fit `rows` terminal rows at `columns` wide. A line wider than the terminal
 * takes several rows (the terminal wraps it), so rows are counted, not lines. A page ends at a blank line when one
 * is near its end, so a YAML block or a paragraph is not cut in the middle when it can be helped.
 */
export function pageLines(text: string, rows: number, columns: number): string[] {
  const height = Math.max(5, rows);
  const lines = text.split('\n');
  const rowsOf = (line: string) => Math.max(1, Math.ceil(displayWidth(line) / Math.max(1, columns)));
  const pages: string[] = [];
  let start = 0;
  while (start < lines.length) {
    let used = 0;
    let end = start;
    while (end < lines.length && (end === start || used + rowsOf(lines[end]!) <= height)) used += rowsOf(lines[end++]!);
    if (end < lines.length) {
      // A blank line in the last third of the page is a better place to stop.
      for (let i = end - 1; i >= start + Math.floor(((end - start) * 2) / 3); i--) {
        if (lines[i]!.trim() === '') {
          end = i + 1;
          break;
        }
      }
    }
    pages.push(lines.slice(start, end).join('\n').replace(/\n+$/, ''));
    start = end;
  }
  return pages.length ? pages : [''];
}
