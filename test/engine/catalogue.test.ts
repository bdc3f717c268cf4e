import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE_FILE, readCatalogue, summarise, type LabSummary } from '../../src/engine/catalogue.js';
import { loadLabs } from '../../src/engine/lab-loader.js';

const REPO = join(import.meta.dirname, '../..');
let root: string;
let compiled: LabSummary[];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'expose-labs-catalogue-'));
  cpSync(join(REPO, 'labs'), join(root, 'labs'), { recursive: true });
  // The loader checks that every file a lab names exists.
  cpSync(join(REPO, 'fixtures'), join(root, 'fixtures'), { recursive: true });
  compiled = (await loadLabs(root)).map((lab) =>
    summarise(lab, basename(dirname(lab.file)), readFileSync(lab.file, 'utf8')),
  );
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(join(root, CATALOGUE_FILE), JSON.stringify(compiled));
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

  it('is ignored when a lab is added or the file is damaged', () => {
    cpSync(join(root, 'labs', compiled[0]!.folder), join(root, 'labs', '99-extra'), { recursive: true });
    expect(readCatalogue(root)).toBeUndefined();
    writeFileSync(join(root, CATALOGUE_FILE), '{ not json');
    expect(readCatalogue(root)).toBeUndefined();
  });

  it('the build writes one for the repository that matches its labs', () => {
    expect(readCatalogue(REPO)?.map((lab) => lab.id)).toEqual(compiled.map((lab) => lab.id));
  });
});
