import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filesUnder, linesMatching } from './source-files.js';

/**
 * No Korean text leaves the particle to the reader ("${file}을(를)", "expose-labs이(가)"): after a word known only
 * at run time the text calls withParticle() (src/core/korean.ts), after a fixed word it writes the one that fits.
 */
const ROOT = join(import.meta.dirname, '../..');
const TWO_FORMS = /을\(를\)|를\(을\)|이\(가\)|가\(이\)|은\(는\)|는\(은\)|\(으\)로|과\(와\)|와\(과\)/;

describe('Korean particles', () => {
  it('no source file or lab text writes a particle in both forms', () => {
    const found = linesMatching([...filesUnder(join(ROOT, 'src')), ...filesUnder(join(ROOT, 'labs'))], ROOT, TWO_FORMS);
    expect(found).toEqual([]);
  });

  it('the rule sees a two-form particle after an interpolation, a fixed word or a quoted placeholder', () => {
    expect(TWO_FORMS.test('ko: `${file}을(를) 읽을 수 없습니다`')).toBe(true);
    expect(TWO_FORMS.test('ko: `${ref}이(가) 없음`')).toBe(true);
    expect(TWO_FORMS.test('ko: `${name}은(는) 쓸 수 없습니다`')).toBe(true);
    expect(TWO_FORMS.test('ko: `${address}(으)로 정해 두었습니다`')).toBe(true);
    expect(TWO_FORMS.test('ko: `${a}과(와) ${b}`')).toBe(true);
    expect(TWO_FORMS.test('  ko: expose-labs을(를) 설치합니다')).toBe(true);
    expect(TWO_FORMS.test(`"오류: 필요한 인자 '$1' 이(가) 빠졌습니다"`)).toBe(true);
    expect(TWO_FORMS.test("ko: `${withParticle(file, '을/를')} 읽을 수 없습니다`")).toBe(false);
    expect(TWO_FORMS.test('ko: `일반 파일(또는 링크)만 읽고 씁니다`')).toBe(false);
  });
});
