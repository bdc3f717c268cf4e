import { countPods } from './pod-count.js';

/**
 * Requests per pod as text bars, widest bar `width` cells:
 *   jordy-7c9d8-x2x4q  ██████████ 4
 *   jordy-7c9d8-9fkzq  █████ 2
 */
export function podChart(pods: readonly string[], width = 30): string[] {
  const counts = countPods(pods);
  if (counts.length === 0) return [];
  const most = Math.max(...counts.map(([, n]) => n));
  const nameWidth = Math.max(...counts.map(([pod]) => pod.length));
  return counts.map(
    ([pod, n]) => `${pod.padEnd(nameWidth)}  ${'█'.repeat(Math.max(1, Math.round((n / most) * width)))} ${n}`,
  );
}
