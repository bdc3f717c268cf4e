import { describe, expect, it } from 'vitest';
import { pageLines } from '../../src/ui/pager.js';

describe('pageLines', () => {
  it('counts the rows a wrapped line takes, so no page is taller than the terminal', () => {
    const long = 'x'.repeat(150); // three rows at 60 columns
    const pages = pageLines([long, long, long, 'end'].join('\n'), 7, 60);
    expect(pages).toEqual([[long, long].join('\n'), [long, 'end'].join('\n')]);
  });

  it('counts Hangul as two columns, and prefers to stop at a blank line near the end of a page', () => {
    const korean = '가'.repeat(40); // 80 columns: two rows at 60
    const text = ['a', 'b', 'c', 'd', '', 'e', korean, 'f'].join('\n');
    expect(pageLines(text, 6, 60)).toEqual(['a\nb\nc\nd', 'e\n' + korean + '\nf']);
    expect(pageLines('short', 20, 60)).toEqual(['short']);
  });
});
