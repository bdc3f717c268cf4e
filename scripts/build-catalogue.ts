import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CATALOGUE_FILE, summarise } from '../src/engine/catalogue.js';
import { COMPILED_LABS_FILE, compileLab, schemaDigest, type CompiledLabsFile } from '../src/engine/compiled-labs.js';
import { loadLabs } from '../src/engine/lab-loader.js';
import { packageRoot } from '../src/platform/paths.js';

/** Part of `npm run build`: validates every lab (a broken lab fails the build), writes the catalogue and the labs. */
const root = packageRoot();
const labs = await loadLabs(root);
const summaries = labs.map((lab) => summarise(lab, basename(dirname(lab.file)), readFileSync(lab.file, 'utf8')));
writeFileSync(join(root, CATALOGUE_FILE), JSON.stringify(summaries) + '\n');
const compiled: CompiledLabsFile = { schemas: schemaDigest(), labs: labs.map(compileLab) };
writeFileSync(join(root, COMPILED_LABS_FILE), JSON.stringify(compiled) + '\n');
console.log(`catalogue: ${summaries.length} labs → ${CATALOGUE_FILE}, ${COMPILED_LABS_FILE}`);
