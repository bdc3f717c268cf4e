import { describe, expect, it } from 'vitest';
import { displayWidth, padDisplay, sliceByWidth } from '../../src/ui/text-width.js';

describe('display width', () => {
  it('counts Hangul and CJK as two cells, ASCII as one', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('노드')).toBe(4);
    expect(displayWidth('NodePort 서비스')).toBe(15);
    expect(displayWidth('ｆｕｌｌ')).toBe(8);
  });

  it('ignores colour codes, combining marks and zero-width characters', () => {
    expect(displayWidth('\x1b[1m굵게\x1b[22m')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1);
    // Conjoining Jamo: a leading consonant carries the width of the whole syllable.
    expect(displayWidth('\u1100\u1161')).toBe(2);
    expect(displayWidth('a\u200bb')).toBe(2);
  });

  it('measures emoji sequences as one two-cell picture', () => {
    expect(displayWidth('👩‍💻')).toBe(2); // ZWJ sequence
    expect(displayWidth('🇰🇷')).toBe(2); // flag
    expect(displayWidth('✔️')).toBe(2); // with variation selector 16
    expect(displayWidth('👍🏽')).toBe(2); // skin tone modifier
  });

  it('pads and slices by cells, never inside a grapheme', () => {
    expect(padDisplay('한', 4)).toBe('한  ');
    expect(padDisplay('한', 4, 'right')).toBe('  한');
    expect(padDisplay('한', 5, 'center')).toBe(' 한  ');
    expect(sliceByWidth('가나다라', 5)).toEqual(['가나', '다라']);
    expect(sliceByWidth('abcdef', 4)).toEqual(['abcd', 'ef']);
    expect(sliceByWidth('ab👩‍💻cd', 3)).toEqual(['ab', '👩‍💻c', 'd']);
  });
});

describe('the direct count for ASCII and Hangul', () => {
  it('agrees with string-width on every lab text and on mixed samples', async () => {
    const { default: stringWidth } = await import('string-width');
    const { loadLabs } = await import('../../src/engine/lab-loader.js');
    const labs = await loadLabs(process.cwd());
    const samples = labs.flatMap((lab) =>
      [lab.title, lab.summary, lab.recap, ...lab.steps.flatMap((s) => [s.title, s.explain, s.hint])].flatMap((text) =>
        [text.ko, text.en].flatMap((t) => t.split('\n')),
      ),
    );
    samples.push(
      '· — – … ‘ ’ “ ” ← →',
      '\x1b[1m굵게\x1b[22m 그리고 \x1b[36mcyan\x1b[39m',
      '한\u0301',
      'tab\there',
      '~ 힣 가 !',
      '\x1b[0m',
    );
    expect(samples.length).toBeGreaterThan(500);
    for (const sample of samples) expect(displayWidth(sample), JSON.stringify(sample)).toBe(stringWidth(sample));
  });
});
