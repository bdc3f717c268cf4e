import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import pc from 'picocolors';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LabContext } from '../../src/contract/context.js';
import { markdownTexts, type Lab } from '../../src/engine/lab.js';
import { loadLabs } from '../../src/engine/lab-loader.js';
import { previewTemplate } from '../../src/engine/template.js';
import { headingSource, renderMarkdown } from '../../src/ui/markdown.js';
import { lexedTableFile, lexMarkdown, lexTable, readLexedTable } from '../../src/ui/markdown-lexer.js';
import { fakeCluster } from '../checks/context.js';

/**
 * `show` renders the lab texts from the tokens the build lexed (dist/markdown/), with the placeholders filled in
 * the tokens. Both must read exactly as lexing the filled text here did.
 */
const REPO = join(import.meta.dirname, '../..');
const colors = pc.createColors(true);
const plain = pc.createColors(false);
let labs: Lab[];

beforeAll(async () => {
  labs = await loadLabs(REPO);
});

function contextWith(workspace: string): Pick<LabContext, 'cluster' | 'paths'> {
  return { cluster: fakeCluster(), paths: { root: REPO, workspace, hostsFile: '/etc/hosts', nudgeFile: '/tmp/n' } };
}

const folderOf = (lab: Lab): string => basename(dirname(lab.file));

describe("the build's Markdown tokens", () => {
  it('hold every Markdown text of every lab, and render each exactly as lexing it here', () => {
    let compared = 0;
    for (const lab of labs) {
      const table = readLexedTable(lexedTableFile(REPO, folderOf(lab)));
      expect(table, `dist/markdown/${folderOf(lab)}.json`).toBeDefined();
      const { headings, bodies } = markdownTexts(lab);
      for (const md of [...headings.map(headingSource), ...bodies]) {
        expect(Object.hasOwn(table!, md), md.slice(0, 60)).toBe(true);
        for (const width of [40, 100])
          expect(renderMarkdown(md, { colors, width, lexed: table })).toBe(renderMarkdown(md, { colors, width }));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('are used for the texts they hold, and a text they do not hold is lexed as usual', () => {
    const table = { 'a *b*': lexMarkdown('something else') };
    expect(renderMarkdown('a *b*', { colors: plain, width: 80, lexed: table })).toBe('something else');
    expect(renderMarkdown('c *d*', { colors: plain, width: 80, lexed: table })).toBe('c d');
    // A text named like a property every object has is not taken from the prototype.
    expect(renderMarkdown('constructor', { colors: plain, width: 80, lexed: table })).toBe('constructor');
  });

  it('are not used when the file is damaged or missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'expose-labs-lexed-'));
    const file = join(dir, 'lab.json');
    writeFileSync(file, JSON.stringify(lexTable(['x'])).slice(0, 20));
    expect(readLexedTable(file)).toBeUndefined();
    writeFileSync(file, 'null');
    expect(readLexedTable(file)).toBeUndefined();
    expect(readLexedTable(join(dir, 'none.json'))).toBeUndefined();
    writeFileSync(file, JSON.stringify(lexTable(['x'])));
    // As JSON keeps them: without the `links` that marked hangs on its token list (reference links are resolved by then).
    expect(readLexedTable(file)?.x).toEqual(JSON.parse(JSON.stringify(lexMarkdown('x'))));
  });
});

describe('placeholders filled in the tokens', () => {
  // A home with a space (quoted in commands) and an underscore, as on many laptops.
  for (const workspace of [
    '/home/me/.local/state/expose-labs/expose-labs/workspace',
    '/Users/jo_kim/Library/Application Support/ws',
  ]) {
    it(`read as the filled text lexed, for every lab text (workspace ${workspace})`, () => {
      const ctx = contextWith(workspace);
      const fill = (text: string): string => previewTemplate(text, ctx);
      let filledSome = 0;
      for (const lab of labs) {
        for (const md of markdownTexts(lab).bodies) {
          if (fill(md) !== md) filledSome++;
          expect(renderMarkdown(md, { colors, width: 80, fill })).toBe(renderMarkdown(fill(md), { colors, width: 80 }));
        }
      }
      expect(filledSome).toBeGreaterThan(20);
    });
  }

  it('stay text: a filled-in value never becomes Markdown', () => {
    const fill = (text: string): string => text.replace('{{workspace}}', '/home/*me*/ws');
    expect(renderMarkdown('Files are in {{workspace}}.', { colors: plain, width: 80, fill })).toBe(
      'Files are in /home/*me*/ws.',
    );
    expect(renderMarkdown('Files are in /home/*me*/ws.', { colors: plain, width: 80 })).toBe(
      'Files are in /home/me/ws.',
    );
  });
});

describe('a screen put together from pieces', () => {
  it('renders as the Markdown that joins them with empty lines', () => {
    for (const lab of labs) {
      for (const lang of ['ko', 'en'] as const) {
        const title = lab.title[lang];
        const summary = lab.summary[lang];
        const recap = lab.recap[lang];
        for (const width of [40, 100]) {
          const opts = { colors, width };
          expect(renderMarkdown([{ heading: title, level: 1 }, summary], opts)).toBe(
            renderMarkdown(`# ${title}\n\n${summary}`, opts),
          );
          expect(renderMarkdown([{ heading: `Done: ${title}`, level: 2 }, recap], opts)).toBe(
            renderMarkdown(`## Done: ${title}\n\n${recap}`, opts),
          );
          expect(renderMarkdown([{ label: 'Recap' }, recap], opts)).toBe(renderMarkdown(`**Recap**\n\n${recap}`, opts));
          const solution = lab.steps[0]!.solution[lang];
          expect(renderMarkdown([{ label: '풀이' }, solution], opts)).toBe(
            renderMarkdown(`**풀이**\n\n${solution}`, opts),
          );
        }
      }
    }
  });
});
