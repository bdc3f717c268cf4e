import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CATALOGUE_FILE,
  readCatalogue,
  readCatalogueEntries,
  summarise,
  type LabSummary,
} from '../../src/engine/catalogue.js';
import { readCompiledLabs } from '../../src/engine/bind-labs.js';
import {
  COMPILED_LABS_DIR,
  compiledLabFile,
  compileLab,
  readCompiledLab,
  readCompiledLabData,
  schemaDigest,
  type CompiledLabFile,
} from '../../src/engine/compiled-labs.js';
import type { Lab } from '../../src/engine/lab.js';
import { loadLabs } from '../../src/engine/lab-loader.js';

const REPO = join(import.meta.dirname, '../..');
let root: string;
let compiled: LabSummary[];
let loaded: Lab[];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'expose-labs-catalogue-'));
  cpSync(join(REPO, 'labs'), join(root, 'labs'), { recursive: true });
  // The loader checks that every file a lab names exists.
  cpSync(join(REPO, 'fixtures'), join(root, 'fixtures'), { recursive: true });
  loaded = await loadLabs(root);
  compiled = loaded.map((lab) => summarise(lab, basename(dirname(lab.file)), readFileSync(lab.file, 'utf8')));
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(join(root, CATALOGUE_FILE), JSON.stringify(compiled));
  mkdirSync(join(root, COMPILED_LABS_DIR));
  for (const lab of loaded)
    writeFileSync(
      compiledLabFile(root, basename(dirname(lab.file))),
      JSON.stringify({ schemas: schemaDigest(), lab: compileLab(lab) }),
    );
});

/** The first lab's compiled file. */
const firstFile = (): string => compiledLabFile(root, compiled[0]!.folder);

describe('the compiled lab catalogue', () => {
  it('is used while it describes exactly the lab files', () => {
    expect(readCatalogue(root)).toEqual(compiled);
    expect(compiled.map((lab) => lab.id)).toContain('nodeport');
    expect(compiled[0]!.steps.length).toBeGreaterThan(0);
  });

  it('is ignored after a lab file changes, so the labs are loaded and validated again', () => {
    const file = join(root, 'labs', compiled[0]!.folder, 'lab.yaml');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text + '\n# edited\n');
    expect(readCatalogue(root)).toBeUndefined();
    writeFileSync(file, text);
    expect(readCatalogue(root)).toEqual(compiled);
  });

  it('gives back the labs as the loader made them, every action and check bound to its definition', () => {
    const labs = readCompiledLabs(root)!;
    expect(labs).toEqual(loaded);
    const check = labs[0]!.steps[0]!.checks[0]!;
    expect(check.def).toBe(loaded[0]!.steps[0]!.checks[0]!.def);
  });

  it('gives them as data to read, unbound (show loads nothing that runs a step), under the same conditions', () => {
    const data = readCompiledLabData(root)!;
    expect(data.map((lab) => lab.folder)).toEqual(compiled.map((lab) => lab.folder));
    expect(data[0]!.steps[0]!.checks[0]).not.toHaveProperty('def');
    expect(data[0]!.steps[0]!.checks[0]!.spec).toEqual(loaded[0]!.steps[0]!.checks[0]!.spec);
    const file = join(root, 'labs', compiled[0]!.folder, 'lab.yaml');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text + '\n# edited\n');
    expect(readCompiledLabData(root)).toBeUndefined();
    writeFileSync(file, text);
  });

  it('gives one lab on its own while its file is unchanged, whatever happened to the others', () => {
    const [first, second] = readCatalogueEntries(root)!;
    expect(readCompiledLab(root, second!)).toEqual(readCompiledLabData(root)![1]);
    const file = join(root, 'labs', first!.folder, 'lab.yaml');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text + '\n# edited\n');
    expect(readCompiledLab(root, first!)).toBeUndefined();
    expect(readCompiledLab(root, second!)?.id).toBe(second!.id);
    writeFileSync(file, text);
    expect(readCompiledLab(root, first!)?.id).toBe(first!.id);
    // A lab folder added since the build: the entries no longer name the folders on disk.
    cpSync(join(root, 'labs', first!.folder), join(root, 'labs', '98-added'), { recursive: true });
    expect(readCatalogueEntries(root)).toBeUndefined();
    rmSync(join(root, 'labs', '98-added'), { recursive: true });
  });

  it('compiled labs are ignored with the catalogue after an edit, when damaged, or naming an unknown check', () => {
    const file = join(root, 'labs', compiled[0]!.folder, 'lab.yaml');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('title:', 'title: ') + '\n');
    expect(readCompiledLabs(root)).toBeUndefined();
    writeFileSync(file, text);
    const good = readFileSync(firstFile(), 'utf8');
    const firstCheck = loaded[0]!.steps[0]!.checks[0]!.name;
    writeFileSync(firstFile(), good.replace(`"name":"${firstCheck}"`, '"name":"nonesuch"'));
    expect(readCompiledLabs(root)).toBeUndefined();
    writeFileSync(firstFile(), good.slice(0, good.length / 2));
    expect(readCompiledLabs(root)).toBeUndefined();
    writeFileSync(
      firstFile(),
      JSON.stringify({ schemas: schemaDigest(), lab: { ...compileLab(loaded[0]!), steps: 'none' } }),
    );
    expect(readCompiledLabs(root)).toBeUndefined();
    writeFileSync(firstFile(), JSON.stringify({ schemas: schemaDigest(), lab: compileLab(loaded[1]!) }));
    expect(readCompiledLabs(root)).toBeUndefined();
    rmSync(firstFile());
    expect(readCompiledLabs(root)).toBeUndefined();
    writeFileSync(firstFile(), good);
    expect(readCompiledLabs(root)).toEqual(loaded);
  });

  it('is ignored when a lab is added or the file is damaged', () => {
    cpSync(join(root, 'labs', compiled[0]!.folder), join(root, 'labs', '99-extra'), { recursive: true });
    expect(readCatalogue(root)).toBeUndefined();
    rmSync(join(root, 'labs', '99-extra'), { recursive: true });
    expect(readCatalogue(root)).toEqual(compiled);
    const good = readFileSync(join(root, CATALOGUE_FILE), 'utf8');
    writeFileSync(join(root, CATALOGUE_FILE), '{ not json');
    expect(readCatalogue(root)).toBeUndefined();
    writeFileSync(join(root, CATALOGUE_FILE), good);
  });

  it('compiled labs are ignored when other schemas validated them', () => {
    expect(readCompiledLabs(root)).toEqual(loaded);
    const good = readFileSync(firstFile(), 'utf8');
    writeFileSync(firstFile(), good.replace(schemaDigest(), '0'.repeat(64)));
    expect(readCompiledLabs(root)).toBeUndefined();
    expect(readCompiledLab(root, compiled[0]!)).toBeUndefined();
    writeFileSync(firstFile(), good);
  });

  it('the build writes a catalogue and the labs for the repository, as the loader makes them', async () => {
    expect(readCatalogue(REPO)?.map((lab) => lab.id)).toEqual(compiled.map((lab) => lab.id));
    const fresh = JSON.parse(JSON.stringify((await loadLabs(REPO)).map(compileLab))) as unknown[];
    const built = compiled.map(
      (entry) => (JSON.parse(readFileSync(compiledLabFile(REPO, entry.folder), 'utf8')) as CompiledLabFile).lab,
    );
    expect(built).toEqual(fresh);
    // Built by dist/'s schemas: these tests run the .ts sources, so they load the labs themselves.
    expect(readCompiledLabs(REPO)).toBeUndefined();
  });
});
