import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pc from 'picocolors';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderMarkdown } from '../../src/ui/markdown.js';
import { displayWidth } from '../../src/ui/text-width.js';

/**
 * Every Markdown text of every lab, in both languages, at the widths learners use: nothing of the Markdown syntax
 * is left on screen, and no line is wider than the screen unless it is one unbreakable command or address.
 */
const LABS = join(import.meta.dirname, '../../labs');
const plain = pc.createColors(false);

function labTexts(): { where: string; md: string }[] {
  const texts: { where: string; md: string }[] = [];
  const walk = (value: unknown, where: string): void => {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${where}[${i}]`));
    else if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if (typeof record.ko === 'string' && typeof record.en === 'string') {
        texts.push({ where: `${where} (ko)`, md: record.ko }, { where: `${where} (en)`, md: record.en });
      } else for (const [key, v] of Object.entries(record)) walk(v, `${where}.${key}`);
    }
  };
  for (const dir of readdirSync(LABS)) walk(parse(readFileSync(join(LABS, dir, 'lab.yaml'), 'utf8')), dir);
  return texts;
}

describe('every lab text renders cleanly', () => {
  const texts = labTexts();

  it('finds the texts of every lab', () => {
    expect(texts.length).toBeGreaterThan(300);
  });

  it('no Korean particle stands apart from the code span it belongs to (it would start a wrapped line alone)', () => {
    const loose = texts.filter(({ md }) => /` (의|을|를|이|가|은|는|에|에서|로|으로|와|과|도|만)(?=[\s.,):])/.test(md));
    expect(loose.map((t) => t.where)).toEqual([]);
  });

  for (const width of [30, 60, 120]) {
    it(`at ${width} columns`, () => {
      const problems: string[] = [];
      for (const { where, md } of texts) {
        const hasTable = /^\s*\|?\s*:?-{3,}/m.test(md);
        const fenced = new Set(
          [...md.matchAll(/```[^\n]*\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split('\n').map((l) => l.trim())),
        );
        for (const line of renderMarkdown(md, { colors: plain, width }).split('\n')) {
          // Code blocks are never wrapped (a command must stay copyable), nor are code spans and URLs.
          if (fenced.has(line.trim().replace(/^\$ /, ''))) continue;
          if (/\*\*|^#{1,6} |^```/.test(line.trim())) problems.push(`${where}: Markdown left on screen: ${line}`);
          const unbreakable = /`[^`]+`|https?:\/\//.test(line) || (hasTable && /\S {2,}\S|─|^ {4,}\S/.test(line));
          if (displayWidth(line) > width && !unbreakable) problems.push(`${where}: wider than ${width}: ${line}`);
        }
      }
      expect(problems).toEqual([]);
    });
  }
});
