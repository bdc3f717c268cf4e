import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CATALOGUE_FILE, summarise } from '../src/engine/catalogue.js';
import {
  COMPILED_LABS_DIR,
  compiledLabFile,
  compileLab,
  schemaDigest,
  type CompiledLabFile,
} from '../src/engine/compiled-labs.js';
import { markdownTexts } from '../src/engine/lab.js';
import { loadLabs } from '../src/engine/lab-loader.js';
import { packageRoot } from '../src/platform/paths.js';
import { headingSource } from '../src/ui/markdown.js';
import { LEXED_DIR, lexedTableFile, lexTable } from '../src/ui/markdown-lexer.js';

/**
 * Part of `npm run build`: validates every lab (a broken lab fails the build), writes the catalogue, the labs, and
 * each lab's Markdown texts lexed.
 */
const root = packageRoot();
const labs = await loadLabs(root);
const summaries = labs.map((lab) => summarise(lab, basename(dirname(lab.file)), readFileSync(lab.file, 'utf8')));
writeFileSync(join(root, CATALOGUE_FILE), JSON.stringify(summaries) + '\n');
mkdirSync(join(root, COMPILED_LABS_DIR));
mkdirSync(join(root, LEXED_DIR));
const schemas = schemaDigest();
for (const [index, lab] of labs.entries()) {
  const { folder } = summaries[index]!;
  const compiled: CompiledLabFile = { schemas, lab: compileLab(lab) };
  writeFileSync(compiledLabFile(root, folder), JSON.stringify(compiled) + '\n');
  const { headings, bodies } = markdownTexts(lab);
  writeFileSync(
    lexedTableFile(root, folder),
    JSON.stringify(lexTable([...headings.map(headingSource), ...bodies])) + '\n',
  );
}
console.log(`catalogue: ${summaries.length} labs → ${CATALOGUE_FILE}, ${COMPILED_LABS_DIR}, ${LEXED_DIR}`);
