/**
 * Korean particles after a word the text does not know in advance (a file name, a Service, a flag): the choice
 * between 을/를, 이/가, 은/는, 과/와 and 으로/로 follows the sound the word ends with, so "expose-labs를",
 * "niniz.com을", "kubectl로" read as a person writes them, not with both forms left for the reader to choose.
 */
export type ParticlePair = '을/를' | '이/가' | '은/는' | '과/와' | '으로/로';

type Ending = 'vowel' | 'rieul' | 'consonant';

const HANGUL_START = 0xac00;
const HANGUL_END = 0xd7a3;
/** The final consonant ㄹ among the 28 endings of a Hangul syllable (0 is none). */
const RIEUL = 8;
/** How each digit is read: 영 일 이 삼 사 오 육 칠 팔 구. */
const DIGITS: Ending[] = [
  'consonant',
  'rieul',
  'vowel',
  'consonant',
  'vowel',
  'vowel',
  'consonant',
  'rieul',
  'rieul',
  'vowel',
];

function ending(word: string): Ending {
  const last = [...word].reverse().find((char) => /[\p{L}\p{N}]/u.test(char));
  if (last === undefined) return 'vowel';
  const code = last.codePointAt(0)!;
  if (code >= HANGUL_START && code <= HANGUL_END) {
    const final = (code - HANGUL_START) % 28;
    return final === 0 ? 'vowel' : final === RIEUL ? 'rieul' : 'consonant';
  }
  if (/\d/.test(last)) return DIGITS[Number(last)]!;
  // A Latin word as Koreans read it: -l ends in ㄹ; -m, -n and -ng in a final consonant; the rest in a vowel
  // (kubectl로, niniz.com을, jordy를, expose-labs를, pod를).
  const lower = word.toLowerCase().replace(/[^\p{L}\p{N}]+$/u, '');
  if (lower.endsWith('l')) return 'rieul';
  if (/(m|n|ng)$/.test(lower)) return 'consonant';
  return 'vowel';
}

/** The particle of `pair` that fits the last sound of `word`, for a text that puts something between the two. */
export function particle(word: string | number, pair: ParticlePair): string {
  const [afterConsonant, afterVowel] = pair.split('/') as [string, string];
  const end = ending(String(word));
  if (pair === '으로/로') return end === 'consonant' ? afterConsonant : afterVowel;
  return end === 'vowel' ? afterVowel : afterConsonant;
}

/** `word` followed by the particle of `pair` that fits its last sound. */
export function withParticle(word: string | number, pair: ParticlePair): string {
  return `${word}${particle(word, pair)}`;
}
