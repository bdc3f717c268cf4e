import pc from 'picocolors';
import type { Colors } from './output.js';
import { displayWidth, padDisplay } from './text-width.js';

export type Align = 'left' | 'right' | 'center';

const GAP = '  ';

/**
 * A table aligned by terminal cells (Korean takes two), header in bold over a rule. Cells may already hold
 * colour codes, and line breaks (a wrapped cell spans several lines). Returns lines without a final newline;
 * trailing spaces are trimmed.
 */
export function renderTable(
  header: string[],
  rows: string[][],
  opts: { colors?: Colors; align?: Align[] } = {},
): string {
  const colors = opts.colors ?? pc.createColors(false);
  const columns = Math.max(header.length, ...rows.map((row) => row.length));
  const cellLines = (cell: string | undefined): string[] => (cell ?? '').split('\n');
  const widths = Array.from({ length: columns }, (_, column) =>
    Math.max(...[header, ...rows].flatMap((row) => cellLines(row[column]).map(displayWidth))),
  );
  const line = (cells: string[], style: (text: string) => string = (text) => text): string[] => {
    const split = widths.map((_, column) => cellLines(cells[column]));
    const height = Math.max(...split.map((lines) => lines.length));
    return Array.from({ length: height }, (_, index) =>
      widths
        // Padding goes outside the style (displayWidth ignores colour codes) so underlines stop at the text.
        .map((width, column) => padDisplay(style(split[column]![index] ?? ''), width, opts.align?.[column] ?? 'left'))
        .join(GAP)
        .trimEnd(),
    );
  };
  const rule = colors.dim(widths.map((width) => '─'.repeat(width)).join(GAP));
  return [...line(header, colors.bold), rule, ...rows.flatMap((row) => line(row))].join('\n');
}

/** Column widths of a table that fits in `width`: the widest columns give way first, down to `minimum`. */
export function fitColumns(natural: number[], width: number, minimum = 8): number[] {
  const widths = [...natural];
  const total = (): number => widths.reduce((sum, w) => sum + w, 0) + GAP.length * (widths.length - 1);
  while (total() > width) {
    const widest = Math.max(...widths);
    if (widest <= minimum) break;
    widths[widths.indexOf(widest)] = widest - 1;
  }
  return widths;
}
