import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE_FILE, readCatalogue, summarise, type LabSummary } from '../../src/engine/catalogue.js';
import {
  COMPILED_LABS_FILE,
  compileLab,
  readCompiledLabs,
  schemaDigest,
  type CompiledLabsFile,
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
  writeFileSync(
    join(root, COMPILED_LABS_FILE),
    JSON.stringify({ schemas: schemaDigest(), labs: loaded.map(compileLab) }),
  );
});

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

  it('compiled labs are ignored with the catalogue after an edit, when damaged, or naming an unknown check', () => {
    const file = join(root, 'labs', compiled[0]!.folder, 'lab.yaml');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('title:', 'title: ') + '\n');
    expect(readCompiledLabs(root)).toBeUndefined();
    writeFileSync(file, text);
    const good = readFileSync(join(root, COMPILED_LABS_FILE), 'utf8');
    const firstCheck = loaded[0]!.steps[0]!.checks[0]!.name;
    writeFileSync(join(root, COMPILED_LABS_FILE), good.replace(`"name":"${firstCheck}"`, '"name":"nonesuch"'));
    expect(readCompiledLabs(root)).toBeUndefined();
    writeFileSync(join(root, COMPILED_LABS_FILE), good.slice(0, good.length / 2));
    expect(readCompiledLabs(root)).toBeUndefined();
    writeFileSync(join(root, COMPILED_LABS_FILE), JSON.stringify({ schemas: schemaDigest(), labs: 'none' }));
    expect(readCompiledLabs(root)).toBeUndefined();
    writeFileSync(join(root, COMPILED_LABS_FILE), good);
    expect(readCompiledLabs(root)).toEqual(loaded);
  });

  it('is ignored when a lab is added or the file is damaged', () => {
    cpSync(join(root, 'labs', compiled[0]!.folder), join(root, 'labs', '99-extra'), { recursive: true });
    expect(readCatalogue(root)).toBeUndefined();
    writeFileSync(join(root, CATALOGUE_FILE), '{ not json');
    expect(readCatalogue(root)).toBeUndefined();
  });

  it('compiled labs are ignored when other schemas validated them', () => {
    const good = readFileSync(join(root, COMPILED_LABS_FILE), 'utf8');
    writeFileSync(join(root, COMPILED_LABS_FILE), good.replace(schemaDigest(), '0'.repeat(64)));
    expect(readCompiledLabs(root)).toBeUndefined();
    writeFileSync(join(root, COMPILED_LABS_FILE), good);
  });

  it('the build writes a catalogue and the labs for the repository, as the loader makes them', async () => {
    expect(readCatalogue(REPO)?.map((lab) => lab.id)).toEqual(compiled.map((lab) => lab.id));
    const built = JSON.parse(readFileSync(join(REPO, COMPILED_LABS_FILE), 'utf8')) as CompiledLabsFile;
    const fresh = JSON.parse(JSON.stringify((await loadLabs(REPO)).map(compileLab))) as unknown;
    expect(built.labs).toEqual(fresh);
    // Built by dist/'s schemas: these tests run the .ts sources, so they load the labs themselves.
    expect(readCompiledLabs(REPO)).toBeUndefined();
  });
});
