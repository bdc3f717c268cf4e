/**
 * Split a rendered screen into pages of at most `rows` terminal lines, breaking at blank lines where one is near the
 * end of a page so a YAML block or a paragraph is not cut in the middle when it can be helped. Lines are counted as
 * they are (the renderers wrap to the terminal width already).
 */
export function pageLines(text: string, rows: number): string[] {
  const height = Math.max(5, rows);
  const lines = text.split('\n');
  const pages: string[] = [];
  let start = 0;
  while (lines.length - start > height) {
    let end = start + height;
    // A blank line in the last third of the page is a better place to stop.
    for (let i = end - 1; i > start + Math.floor((height * 2) / 3); i--) {
      if (lines[i]!.trim() === '') {
        end = i + 1;
        break;
      }
    }
    pages.push(lines.slice(start, end).join('\n').replace(/\n+$/, ''));
    start = end;
  }
  pages.push(lines.slice(start).join('\n'));
  return pages;
}
