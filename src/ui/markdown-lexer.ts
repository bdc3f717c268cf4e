import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as MarkedModule from 'marked';
import type { Token } from 'marked';
import { parseJsonObject } from '../core/json.js';

/**
 * marked's tokens for the lab texts, lexed by the build (`dist/markdown/<lab folder>.json`), so that reading a lab
 * (`show`) never loads marked: building its grammar and compiling its regexes on the first lexing took about a
 * quarter of `show`'s start (measured by `npm run bench`). A table is keyed by the text itself, so an edited text is
 * simply not in it and is lexed here. The tokens come from the marked the build ran with, as does the renderer in
 * dist/ that reads them, so a later marked in node_modules does not make them stale.
 */
export type LexedTable = Readonly<Record<string, Token[]>>;

export const LEXED_DIR = join('dist', 'markdown');

type Marked = typeof MarkedModule;

const load = createRequire(import.meta.url);
let marked: Marked | undefined;

/**
 * marked, loaded on first need. Node ≥ 20.19 loads an ES module through require() without a flag or a warning
 * (nodejs/node#55085, #55960), which keeps rendering synchronous.
 */
function lexer(): Marked['lexer'] {
  marked ??= load('marked') as Marked;
  return marked.lexer;
}

/** The one form of a text that is lexed and looked up: line ends as `\n`. */
export function normalized(md: string): string {
  return md.replace(/\r\n?/g, '\n');
}

/** The tokens of a Markdown text: from the table when it holds the text, else from marked. */
export function lexMarkdown(md: string, table?: LexedTable): Token[] {
  const source = normalized(md);
  // Own keys only: a text such as `constructor` must not find Object.prototype's.
  return table && Object.hasOwn(table, source) ? table[source]! : lexer()(source);
}

/** For the build: every text lexed once. */
export function lexTable(texts: Iterable<string>): LexedTable {
  const tokens: Record<string, Token[]> = {};
  for (const text of texts) tokens[normalized(text)] = lexer()(normalized(text));
  return tokens;
}

export function lexedTableFile(root: string, folder: string): string {
  return join(root, LEXED_DIR, `${folder}.json`);
}

/** A lab's table as the build wrote it, or undefined when there is none or it is damaged. */
export function readLexedTable(file: string): LexedTable | undefined {
  try {
    return parseJsonObject<LexedTable>(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
