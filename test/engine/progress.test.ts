import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyProgress, markPassed, nextOpenStep, ProgressStore, skipStep } from '../../src/engine/progress.js';

async function store() {
  const dir = await mkdtemp(join(tmpdir(), 'progress-'));
  return { dir, store: new ProgressStore(join(dir, 'kind', 'progress.json'), 'kind') };
}

describe('progress store', () => {
  it('starts empty and round-trips what it saved', async () => {
    const { store: s } = await store();
    expect((await s.load()).progress).toEqual(emptyProgress('kind'));
    const progress = emptyProgress('kind');
    progress.labs.nodeport = {
      done: ['create-service'],
      skipped: [],
      current: 'firewall',
      results: {},
      predictions: [],
      events: [],
    };
    await s.save(progress);
    const loaded = await s.load();
    expect(loaded.warning).toBeUndefined();
    expect(loaded.progress.labs.nodeport?.done).toEqual(['create-service']);
  });

  it('moves a corrupt file aside, says so, and goes on', async () => {
    const { dir, store: s } = await store();
    await s.save(emptyProgress('kind'));
    await writeFile(s.file, '{"version": 1, "cluster": "kind", "labs": {"x": ');
    const loaded = await s.load();
    expect(loaded.progress).toEqual(emptyProgress('kind'));
    expect((loaded.warning as { en: string }).en).toMatch(/moved to .*progress\.json\.corrupt-/);
    const files = await readdir(join(dir, 'kind'));
    const aside = files.find((f) => f.startsWith('progress.json.corrupt-'))!;
    expect(await readFile(join(dir, 'kind', aside), 'utf8')).toContain('"labs": {"x": ');
    await s.save(emptyProgress('kind'));
    expect((await s.load()).warning).toBeUndefined();
  });

  it('treats valid JSON of the wrong shape as corrupt', async () => {
    const { store: s } = await store();
    await s.save(emptyProgress('kind'));
    await writeFile(s.file, JSON.stringify({ version: 2 }));
    expect((await s.load()).warning).toBeDefined();
  });

  it('reads a valid file saved with a BOM (a Windows editor) as valid, not corrupt', async () => {
    const { dir, store: s } = await store();
    const progress = emptyProgress('kind');
    progress.labs.nodeport = { done: ['create-service'], skipped: [], results: {}, predictions: [], events: [] };
    await s.save(progress);
    await writeFile(s.file, '\uFEFF' + (await readFile(s.file, 'utf8')));
    const loaded = await s.load();
    expect(loaded.warning).toBeUndefined();
    expect(loaded.progress.labs.nodeport?.done).toEqual(['create-service']);
    expect((await readdir(join(dir, 'kind'))).sort()).toEqual(['progress.json', 'progress.json.validated']);
  });

  it('saves through a symlink and refuses a FIFO in its place', async () => {
    const { dir, store: s } = await store();
    await s.save(emptyProgress('kind'));
    const real = join(dir, 'elsewhere.json');
    const { rename, symlink, lstat, unlink } = await import('node:fs/promises');
    await rename(s.file, real);
    await symlink(real, s.file);
    const progress = emptyProgress('kind');
    progress.labs.lab = { done: ['one'], skipped: [], results: {}, predictions: [], events: [] };
    await s.save(progress);
    expect((await lstat(s.file)).isSymbolicLink()).toBe(true);
    expect(JSON.parse(await readFile(real, 'utf8')).labs.lab.done).toEqual(['one']);
    await unlink(s.file);
    const { spawnSync } = await import('node:child_process');
    spawnSync('mkfifo', [s.file]);
    await expect(s.save(progress)).rejects.toThrow(/is a FIFO/);
    // Loading does not wait on it either: it is moved aside and progress starts fresh.
    const loaded = await s.load();
    expect(loaded.warning).toBeDefined();
    expect(loaded.progress).toEqual(emptyProgress('kind'));
  });

  it('leaves no temp file behind', async () => {
    const { dir, store: s } = await store();
    await s.save(emptyProgress('kind'));
    expect((await readdir(join(dir, 'kind'))).sort()).toEqual(['progress.json', 'progress.json.validated']);
  });
});

describe('step bookkeeping', () => {
  const lab = { id: 'lab', steps: [{ id: 'one' }, { id: 'two' }, { id: 'three' }] };

  it('a skipped step is never done, and the next open step becomes current', () => {
    const progress = emptyProgress('kind');
    skipStep(progress, lab, { id: 'one' });
    expect(progress.labs.lab).toMatchObject({ done: [], skipped: ['one'], current: 'two' });
    markPassed(progress, lab, { id: 'two' });
    expect(progress.labs.lab).toMatchObject({ done: ['two'], skipped: ['one'], current: 'three' });
    skipStep(progress, lab, { id: 'three' });
    expect(progress.labs.lab?.current).toBeUndefined();
    expect(progress.labs.lab?.finishedAt).toBeUndefined();
  });

  it('passing a skipped step later counts it, and the lab is finished only when every step passed', () => {
    const progress = emptyProgress('kind');
    skipStep(progress, lab, { id: 'one' });
    markPassed(progress, lab, { id: 'two' });
    markPassed(progress, lab, { id: 'three' });
    expect(progress.labs.lab?.finishedAt).toBeUndefined();
    expect(nextOpenStep(lab.steps, progress.labs.lab)).toBeUndefined();
    markPassed(progress, lab, { id: 'one' });
    expect(progress.labs.lab).toMatchObject({ skipped: [], current: undefined });
    expect(progress.labs.lab?.finishedAt).toBeDefined();
  });
});

describe('the seal save() leaves beside the file', () => {
  it('lets load() take the file it wrote as it is, and validates any other text in full', async () => {
    const { store: s } = await store();
    const progress = emptyProgress('kind');
    progress.labs.nodeport = { done: ['create-service'], skipped: [], results: {}, predictions: [], events: [] };
    await s.save(progress);
    const seal = await readFile(`${s.file}.validated`, 'utf8');
    expect(seal).toMatch(/^[0-9a-f]{64} [0-9a-f]{64}\n$/);
    expect((await s.load()).progress).toEqual(progress);

    // A hand edit of the right shape: the seal no longer matches, the schema reads it (and fills its defaults).
    await writeFile(s.file, JSON.stringify({ version: 1, cluster: 'kind', labs: { lb: { done: ['a'] } } }));
    const edited = await s.load();
    expect(edited.warning).toBeUndefined();
    expect(edited.progress.labs.lb).toEqual({ done: ['a'], skipped: [], results: {}, events: [], predictions: [] });

    // A hand edit of the wrong shape under the old seal: still moved aside, not taken on trust.
    await writeFile(s.file, JSON.stringify({ version: 1, cluster: 'kind', labs: { lb: { done: 'a' } } }));
    expect((await s.load()).warning).toBeDefined();
  });

  it('does not trust a seal made under another schema', async () => {
    const { store: s } = await store();
    await s.save(emptyProgress('kind'));
    const text = JSON.stringify({ version: 1, cluster: 'kind', labs: { lb: { done: 7 } } }, null, 2) + '\n';
    await writeFile(s.file, text);
    const digest = (await import('node:crypto')).createHash('sha256').update(text).digest('hex');
    await writeFile(`${s.file}.validated`, `${'0'.repeat(64)} ${digest}\n`);
    expect((await s.load()).warning).toBeDefined();
  });

  it('refuses to write progress its own schema would reject', async () => {
    const { store: s } = await store();
    const broken = { version: 1, cluster: 'kind', labs: { lb: { done: 'not a list' } } };
    await expect(s.save(broken as never)).rejects.toThrow();
  });
});
