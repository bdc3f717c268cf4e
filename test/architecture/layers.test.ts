import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { filesUnder } from './source-files.js';

/**
 * The layers of docs/ARCHITECTURE.md, enforced: a module may import its own folder and any folder of a lower
 * layer; folders on one layer do not import each other, and no import runs upward.
 */
const LAYERS: { name: string; folders: string[] }[] = [
  { name: 'core', folders: ['core'] },
  { name: 'platform', folders: ['platform'] },
  { name: 'services', folders: ['hosts', 'tls', 'ingress', 'room'] },
  { name: 'cluster', folders: ['cluster'] },
  { name: 'contract', folders: ['contract'] },
  { name: 'steps', folders: ['actions', 'checks'] },
  { name: 'engine', folders: ['engine'] },
  { name: 'ui', folders: ['ui'] },
  { name: 'commands', folders: ['commands'] },
  { name: 'entry', folders: ['.'] },
];

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SRC = join(ROOT, 'src');

/** The top folder under src/ ('.' for src/cli.ts and friends). */
function folderOf(file: string): string {
  const parts = relative(SRC, file).split('/');
  return parts.length === 1 ? '.' : parts[0]!;
}

function layerOf(folder: string): number {
  const index = LAYERS.findIndex((layer) => layer.folders.includes(folder));
  if (index < 0) throw new Error(`src/${folder} is on no layer: add it to LAYERS and to docs/ARCHITECTURE.md`);
  return index;
}

interface Edge {
  from: string;
  to: string;
}

/** Every relative import, static or dynamic (`import('./commands/x.js')` in the command table counts too). */
function imports(): Edge[] {
  const edges: Edge[] = [];
  for (const file of filesUnder(SRC, '.ts')) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:from\s+|import\s*\(\s*)'(\.{1,2}\/[^']+)'/g)) {
      edges.push({ from: file, to: resolve(dirname(file), match[1]!).replace(/\.js$/, '.ts') });
    }
  }
  return edges;
}

function breaks(edge: Edge): string | undefined {
  const from = folderOf(edge.from);
  const to = folderOf(edge.to);
  if (from === to) return undefined;
  const [a, b] = [layerOf(from), layerOf(to)];
  const where = `${relative(ROOT, edge.from)} imports ${relative(ROOT, edge.to)}`;
  if (b > a)
    return `${where}: ${LAYERS[a]!.name} (src/${from}) may not import the higher layer ${LAYERS[b]!.name} (src/${to})`;
  if (b === a)
    return `${where}: src/${from} and src/${to} are both on layer ${LAYERS[a]!.name} and may not import each other`;
  return undefined;
}

describe('architecture', () => {
  const edges = imports();

  it('finds the imports it checks', () => {
    expect(edges.length).toBeGreaterThan(200);
  });

  it('no import runs upward or sideways between folders', () => {
    expect(edges.map(breaks).filter(Boolean)).toEqual([]);
  });

  it('no cycle between folders', () => {
    const graph = new Map<string, Set<string>>();
    for (const edge of edges) {
      const [from, to] = [folderOf(edge.from), folderOf(edge.to)];
      if (from !== to) graph.set(from, (graph.get(from) ?? new Set()).add(to));
    }
    const cycles: string[] = [];
    const visit = (node: string, path: string[]) => {
      for (const next of graph.get(node) ?? []) {
        if (path.includes(next)) cycles.push([...path.slice(path.indexOf(next)), next].join(' → '));
        else visit(next, [...path, next]);
      }
    };
    for (const node of graph.keys()) visit(node, [node]);
    expect(cycles).toEqual([]);
  });

  it('the rule catches an upward import', () => {
    expect(breaks({ from: join(SRC, 'core/i18n.ts'), to: join(SRC, 'ui/tasks.ts') })).toMatch(
      /may not import the higher layer ui/,
    );
    expect(breaks({ from: join(SRC, 'checks/http.ts'), to: join(SRC, 'actions/apply.ts') })).toMatch(
      /both on layer steps/,
    );
  });

  it('src/ does not import the tests', () => {
    expect(edges.filter((edge) => !edge.to.startsWith(SRC)).map((edge) => relative(ROOT, edge.from))).toEqual([]);
  });
});
