import { describe, expect, it } from 'vitest';
import {
  addToBlock,
  BEGIN_MARKER,
  blockEntries,
  detectEol,
  END_MARKER,
  HostsBlockError,
  outsideBlock,
  removeFromBlock,
} from '../../src/hosts/block.js';
import { pickAddress, pickNames, randomHostsText, seeded } from './support.js';

const F = '/etc/hosts';

describe('hosts block text', () => {
  it('appends a marked block with one line per name, using the file’s line ending', () => {
    const text = '127.0.0.1\tlocalhost\r\n::1 localhost ip6-localhost\r\n';
    const added = addToBlock(text, F, '127.0.0.1', ['niniz.com', 'jordy.niniz.com'], '\n');
    expect(added.startsWith(text)).toBe(true);
    const block = added.slice(text.length);
    expect(block.split('\r\n')).toEqual([
      expect.stringMatching(/^# >>> expose-labs >>>/),
      '127.0.0.1 niniz.com',
      '127.0.0.1 jordy.niniz.com',
      END_MARKER,
      '',
    ]);
    expect(blockEntries(added, F)).toEqual([
      { address: '127.0.0.1', names: ['niniz.com'] },
      { address: '127.0.0.1', names: ['jordy.niniz.com'] },
    ]);
  });

  it('puts a line break before the block, and none after, when the file had no final newline', () => {
    const text = '127.0.0.1 localhost';
    const added = addToBlock(text, F, '::1', ['niniz.com'], '\n');
    expect(added).toMatch(/^127\.0\.0\.1 localhost\n# >>> expose-labs >>>.*\n::1 niniz\.com\n# <<< expose-labs <<<$/);
    expect(removeFromBlock(added, F)).toBe(text);
  });

  it('uses the platform line ending for a file that has none, and an empty file stays empty after removal', () => {
    const added = addToBlock('', F, '127.0.0.1', ['niniz.com'], '\r\n');
    expect(added.endsWith(`${END_MARKER}\r\n`)).toBe(true);
    expect(removeFromBlock(added, F, ['niniz.com'])).toBe('');
    expect(detectEol('a\r\nb\n', '\n')).toBe('\r\n');
    expect(detectEol('a\nb\r\n', '\r\n')).toBe('\n');
  });

  it('moves a name to a new address, keeps other names, and drops the block with its last name', () => {
    const one = addToBlock('# hosts\n', F, '127.0.0.1', ['a.test', 'b.test'], '\n');
    const moved = addToBlock(one, F, '172.18.0.5', ['a.test'], '\n');
    expect(blockEntries(moved, F)).toEqual([
      { address: '127.0.0.1', names: ['b.test'] },
      { address: '172.18.0.5', names: ['a.test'] },
    ]);
    expect(removeFromBlock(moved, F, ['b.test'])).toBe(addToBlock('# hosts\n', F, '172.18.0.5', ['a.test'], '\n'));
    expect(removeFromBlock(removeFromBlock(moved, F, ['b.test']), F, ['a.test'])).toBe('# hosts\n');
  });

  it('edits a block in the middle of the file in place, leaving what follows it alone', () => {
    const text = `a\n${BEGIN_MARKER}\n127.0.0.1 niniz.com\n${END_MARKER}\n10.0.0.1 after\n`;
    expect(addToBlock(text, F, '127.0.0.1', ['x.test'], '\n')).toBe(
      `a\n${BEGIN_MARKER}\n127.0.0.1 niniz.com\n127.0.0.1 x.test\n${END_MARKER}\n10.0.0.1 after\n`,
    );
    expect(removeFromBlock(text, F)).toBe('a\n10.0.0.1 after\n');
  });

  it('returns the same text when nothing changes', () => {
    const text = addToBlock('x\n', F, '127.0.0.1', ['niniz.com'], '\n');
    expect(addToBlock(text, F, '127.0.0.1', ['niniz.com', 'niniz.com'], '\n')).toBe(text);
    expect(removeFromBlock(text, F, ['other.test'])).toBe(text);
    expect(removeFromBlock('x\n', F)).toBe('x\n');
  });

  it.each([
    ['only a begin marker', `a\n${BEGIN_MARKER}\n127.0.0.1 x.test\n`],
    ['only an end marker', `a\n${END_MARKER}\n`],
    ['end before begin', `${END_MARKER}\n${BEGIN_MARKER}\n`],
    ['two blocks', `${BEGIN_MARKER}\n${END_MARKER}\n${BEGIN_MARKER}\n${END_MARKER}\n`],
    ['a repeated begin marker', `${BEGIN_MARKER}\n  #>>> expose-labs >>>\n${END_MARKER}\n`],
  ])('refuses %s, naming the lines', (_name, text) => {
    for (const edit of [
      () => addToBlock(text, F, '127.0.0.1', ['niniz.com'], '\n'),
      () => removeFromBlock(text, F),
      () => blockEntries(text, F),
    ]) {
      expect(edit).toThrow(HostsBlockError);
    }
    try {
      addToBlock(text, F, '127.0.0.1', ['niniz.com'], '\n');
    } catch (error) {
      const e = error as HostsBlockError;
      expect(typeof e.text === 'object' && e.text.ko && e.text.en).toBeTruthy();
      expect(e.message).toContain('line numbers');
    }
  });

  it('property: over 3000 generated files, add → remove gives the original back, and adding twice is adding once', () => {
    for (let seed = 1; seed <= 3000; seed++) {
      const rand = seeded(seed);
      const text = randomHostsText(rand);
      const names = pickNames(rand);
      const address = pickAddress(rand);
      const eol = detectEol(text, '\n');
      const added = addToBlock(text, F, address, names, '\n');
      const context = `seed ${seed}: ${JSON.stringify(text)}`;

      expect(added, context).not.toBe(text);
      expect(added.startsWith(text), context).toBe(true);
      expect(outsideBlock(added, F), context).toBe(text);
      expect(removeFromBlock(added, F), context).toBe(text);
      expect(removeFromBlock(added, F, names), context).toBe(text);
      expect(addToBlock(added, F, address, names, '\n'), context).toBe(added);
      expect(blockEntries(added, F), context).toEqual(names.map((name) => ({ address, names: [name] })));
      // Every line break the block brings uses the file's own style.
      const brought = added.slice(text.length);
      expect(
        brought
          .split('\n')
          .slice(0, -1)
          .every((part) => part.endsWith('\r') === (eol === '\r\n')),
        context,
      ).toBe(true);

      // Two adds of different names, then removing the first, equals adding only the second.
      const [first, ...rest] = names;
      if (rest.length) {
        const both = addToBlock(addToBlock(text, F, address, [first!], '\n'), F, address, rest, '\n');
        expect(removeFromBlock(both, F, [first!]), context).toBe(addToBlock(text, F, address, rest, '\n'));
      }
    }
  });
});
