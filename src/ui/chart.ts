import type { Colors } from './output.js';
import { displayWidth, padDisplay } from './text-width.js';

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
const MIN_BAR = 10;

/**
 * Requests per pod as horizontal bars: `pods` holds the pod that answered each request (one entry per request).
 * A bar's length is the pod's share of all requests, so one pod taking everything fills its bar and the others
 * stay empty; pods are sorted by name so repeated runs line up. Returns lines without a final newline.
 */
export function podBarChart(pods: string[], opts: { colors: Colors; width: number }): string {
  if (pods.length === 0) return '';
  const { colors } = opts;
  const counts = new Map<string, number>();
  for (const pod of pods) counts.set(pod, (counts.get(pod) ?? 0) + 1);
  const names = [...counts.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const total = pods.length;
  const nameWidth = Math.max(...names.map(displayWidth));
  const countWidth = String(Math.max(...counts.values())).length;
  const percentWidth = '100%'.length;
  // name, two spaces, bar, two spaces, count, two spaces, percentage
  const barWidth = Math.max(MIN_BAR, opts.width - nameWidth - countWidth - percentWidth - 6);
  return names
    .map((name) => {
      const count = counts.get(name)!;
      const share = count / total;
      const percent = `${Math.round(share * 100)}%`;
      return [
        padDisplay(name, nameWidth),
        bar(share, barWidth, colors),
        String(count).padStart(countWidth),
        colors.dim(percent.padStart(percentWidth)),
      ].join('  ');
    })
    .join('\n');
}

function bar(share: number, width: number, colors: Colors): string {
  const eighths = Math.round(share * width * 8);
  const full = Math.floor(eighths / 8);
  const partial = EIGHTHS[eighths % 8]!;
  const filled = '█'.repeat(full) + partial;
  const empty = '·'.repeat(width - full - (partial === '' ? 0 : 1));
  return colors.cyan(filled) + colors.dim(empty);
}
