import pc from 'picocolors';
import { describe, expect, it } from 'vitest';
import { fitColumns, renderTable } from '../../src/ui/table.js';

describe('renderTable', () => {
  it('aligns columns by display width (Korean takes two cells)', () => {
    const table = renderTable(
      ['실습', 'steps', 'state'],
      [
        ['NodePort', '3/3', '완료'],
        ['인그레스 TLS', '0/4', 'not started'],
      ],
    );
    expect(table).toBe(
      [
        '실습          steps  state',
        '────────────  ─────  ───────────',
        'NodePort      3/3    완료',
        '인그레스 TLS  0/4    not started',
      ].join('\n'),
    );
  });

  it('measures cells that already hold colour codes by what shows', () => {
    const c = pc.createColors(true);
    const lines = renderTable(['a', 'b'], [[c.green('ok'), 'x']], { colors: c }).split('\n');
    expect(lines[2]).toBe(`${c.green('ok')}  x`);
    expect(lines[0]).toBe(`${c.bold('a')}   ${c.bold('b')}`);
  });

  it('spreads a cell with line breaks over several lines', () => {
    expect(renderTable(['a', 'b'], [['one\ntwo', 'x']])).toBe(['a    b', '───  ─', 'one  x', 'two'].join('\n'));
  });

  it('fits columns to a width by narrowing the widest first', () => {
    expect(fitColumns([10, 30, 20], 50)).toEqual([10, 18, 18]);
    expect(fitColumns([10, 10], 5)).toEqual([8, 8]);
  });

  it('right-aligns and tolerates short rows', () => {
    expect(renderTable(['n', 'name'], [['1', 'a'], ['10']], { align: ['right', 'left'] })).toBe(
      [' n  name', '──  ────', ' 1  a', '10'].join('\n'),
    );
  });
});
