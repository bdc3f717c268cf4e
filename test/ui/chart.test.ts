import pc from 'picocolors';
import { describe, expect, it } from 'vitest';
import { podBarChart } from '../../src/ui/chart.js';
import { displayWidth } from '../../src/ui/text-width.js';

const plain = pc.createColors(false);

describe('podBarChart', () => {
  it('counts requests per pod, sorted by name, with count and percentage', () => {
    const answers = ['jordy-b', 'jordy-a', 'jordy-b', 'jordy-c', 'jordy-b', 'jordy-a', 'jordy-b', 'jordy-b'];
    const lines = podBarChart(answers, { colors: plain, width: 40 }).split('\n');
    expect(lines.map((line) => line.split(/\s+/)[0])).toEqual(['jordy-a', 'jordy-b', 'jordy-c']);
    expect(lines.map((line) => line.split(/\s+/).slice(-2))).toEqual([
      ['2', '25%'],
      ['5', '63%'],
      ['1', '13%'],
    ]);
    for (const line of lines) expect(displayWidth(line)).toBe(40);
  });

  it('draws bar lengths as the share of all requests', () => {
    const lines = podBarChart(['p1', 'p1', 'p1', 'p2'], { colors: plain, width: 2 + 2 + 20 + 2 + 1 + 2 + 4 }).split(
      '\n',
    );
    const filled = (line: string): number => [...line].filter((char) => char === '█').length;
    expect(filled(lines[0]!)).toBe(15);
    expect(filled(lines[1]!)).toBe(5);
  });

  it('fills one bar when one pod took every request (a kept-alive connection)', () => {
    const line = podBarChart(['jordy-x', 'jordy-x', 'jordy-x'], { colors: plain, width: 7 + 2 + 20 + 2 + 1 + 2 + 4 });
    expect(line).toBe(`jordy-x  ${'█'.repeat(20)}  3  100%`);
  });

  it('is empty without requests and keeps a minimum bar on narrow terminals', () => {
    expect(podBarChart([], { colors: plain, width: 40 })).toBe('');
    const line = podBarChart(['a'], { colors: plain, width: 5 });
    expect([...line].filter((char) => char === '█')).toHaveLength(10);
  });
});
