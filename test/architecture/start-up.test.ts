import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type * as ProgressModule from '../../src/engine/progress.js';
import { packageRoot } from '../../src/platform/paths.js';

/**
 * What the commands learners type all day load as they start (`npm run bench` times them; this keeps the reasons):
 * zod, YAML and the Markdown lexer cost about as much as node itself, so they stay out of the paths that need none.
 * Runs the built CLI (npm test builds first), and the built step lines `show` prints, with hooks that write down
 * every module node loads: ES imports through a loader hook, and require() (commander, and what is required on first
 * need through require(esm), which the loader hook does not see on Node 20) through a wrapper of Module._load.
 */
const root = packageRoot();
const cli = join(root, 'dist', 'src', 'bin.js');
let dir: string;
let home: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'expose-labs-start-up-'));
  home = join(dir, 'home');
  // A learner's progress as the built tool writes it (sealed by its own schema file), so list and status read one.
  const built = pathToFileURL(join(root, 'dist', 'src', 'engine', 'progress.js')).href;
  const { emptyProgress, ProgressStore } = (await import(built)) as typeof ProgressModule;
  const progress = emptyProgress('expose-labs');
  progress.labs.nodeport = { done: ['create-service'], skipped: [], results: {}, predictions: [], events: [] };
  await new ProgressStore(join(home, 'expose-labs', 'progress.json'), 'expose-labs').save(progress);
  writeFileSync(
    join(dir, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(${JSON.stringify(join(dir, 'loaded.txt'))}, url + '\\n');
  return next(url, context);
}
export function initialize() {}
`,
  );
  writeFileSync(
    join(dir, 'register.mjs'),
    `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n`,
  );
  writeFileSync(
    join(dir, 'requires.cjs'),
    `const Module = require('node:module');
const { appendFileSync } = require('node:fs');
const { pathToFileURL } = require('node:url');
const load = Module._load;
Module._load = function (request, parent, isMain) {
  if (!request.startsWith('node:')) {
    const file = Module._resolveFilename(request, parent, isMain);
    appendFileSync(${JSON.stringify(join(dir, 'loaded.txt'))}, pathToFileURL(file).href + '\\n');
  }
  return load.apply(this, arguments);
};
`,
  );
});

/** Every module node loads to run `script` with these arguments, as the hooks wrote them down. */
function modulesLoaded(script: string, args: string[] = []): string[] {
  const trace = join(dir, 'loaded.txt');
  writeFileSync(trace, '');
  const hooks = ['--require', join(dir, 'requires.cjs'), '--import', join(dir, 'register.mjs')];
  const run = spawnSync(process.execPath, [...hooks, script, ...args], {
    env: { ...process.env, EXPOSE_LABS_HOME: home, LANG: 'C', EXPOSE_LABS_LANG: '' },
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).toBe(0);
  return readFileSync(trace, 'utf8').split('\n').filter(Boolean);
}

/** The packages a command loaded, and the modules of this package. */
function loadedBy(args: string[]): { packages: Set<string>; modules: string[] } {
  const urls = modulesLoaded(cli, args);
  expect(urls.some((url) => url.endsWith('/dist/src/cli.js'))).toBe(true);
  return {
    packages: new Set(urls.flatMap((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ?? [])),
    modules: urls.flatMap((url) => /\/dist\/(src\/.*)$/.exec(url)?.[1] ?? []),
  };
}

function packagesLoaded(args: string[]): Set<string> {
  return loadedBy(args).packages;
}

const HEAVY = ['zod', 'yaml', 'marked', 'string-width', '@inquirer/core', 'execa', 'node-forge'];

describe('what a command loads as it starts', () => {
  it('--help: commander and nothing heavy', () => {
    const loaded = packagesLoaded(['--help']);
    for (const name of HEAVY) expect(loaded.has(name), name).toBe(false);
  });

  it('list and status: no schema library, YAML, Markdown or prompts, with a progress file to read', () => {
    for (const command of ['list', 'status']) {
      const loaded = packagesLoaded([command]);
      for (const name of HEAVY) expect(loaded.has(name), `${command}: ${name}`).toBe(false);
    }
  });

  it('show: the lab as data and its Markdown tokens as the build made them, and the step lines from the faces', () => {
    for (const lang of ['en', 'ko']) {
      const { packages, modules } = loadedBy(['show', 'nodeport', '--solutions', '--lang', lang]);
      for (const name of HEAVY) expect(packages.has(name), `${lang}: ${name}`).toBe(false);
      expect(modules).toContain('src/actions/lines.js');
      expect(modules).toContain('src/checks/lines.js');
      // Nothing that runs a step: the registries, the hosts file, TLS.
      for (const path of ['src/actions/registry.js', 'src/checks/registry.js', 'src/hosts/', 'src/tls/certificate.js'])
        expect(
          modules.some((module) => module.startsWith(path)),
          `${lang}: ${path}`,
        ).toBe(false);
    }
  });

  it('the hook sees what is required on first need: Markdown the build did not lex loads marked', () => {
    const script = join(dir, 'inline.mjs');
    const markdown = pathToFileURL(join(root, 'dist', 'src', 'ui', 'markdown.js')).href;
    writeFileSync(
      script,
      `import { renderInline } from ${JSON.stringify(markdown)};
renderInline('*not lexed by the build*', { bold: String, italic: String, cyan: String, dim: String, underline: String });
`,
    );
    expect(modulesLoaded(script).some((url) => url.includes('/node_modules/marked/'))).toBe(true);
  });

  it('the hook sees what it should: status --check-report loads zod', () => {
    const report = join(dir, 'report.json');
    writeFileSync(report, '{}');
    const trace = join(dir, 'loaded.txt');
    writeFileSync(trace, '');
    spawnSync(process.execPath, ['--import', join(dir, 'register.mjs'), cli, 'status', '--check-report', report], {
      env: { ...process.env, EXPOSE_LABS_HOME: home },
    });
    expect(readFileSync(trace, 'utf8')).toMatch(/\/node_modules\/zod\//);
  });
});
