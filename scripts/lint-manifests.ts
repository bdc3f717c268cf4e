import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LineCounter, parseAllDocuments, isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import { isToolConfig, validateManifest, type ManifestIssue } from './kube-schema.js';

/**
 * One YAML file of manifests, checked for `lint:labs`: it parses, and each document validates against the pinned
 * Kubernetes schema, except in the post's legacy files, which must fail (today's clusters reject them).
 */

/** The marker, in the leading comment block of a file, for the post's YAML that today's clusters reject. */
const LEGACY_MARKER = /^#\s*expose-labs:\s*legacy\s*$/;

export interface ManifestFile {
  legacy: boolean;
}

function isLegacy(text: string): boolean {
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (LEGACY_MARKER.test(line)) return true;
    if (line !== '' && !line.startsWith('#')) return false;
  }
  return false;
}

/** Line and column of the deepest part of `path` that exists in the document. */
function positionOf(doc: Document, lines: LineCounter, path: (string | number)[]): string {
  for (let n = path.length; n > 0; n--) {
    const parent = n === 1 ? doc.contents : doc.getIn(path.slice(0, n - 1), true);
    const key = path[n - 1];
    let node: Node | null | undefined;
    if (isMap(parent)) node = parent.items.find((pair) => isScalar(pair.key) && pair.key.value === key)?.key as Node | undefined;
    else if (isSeq(parent) && typeof key === 'number') node = parent.items[key] as Node | undefined;
    if (node?.range) return at(lines, node.range[0]);
  }
  return doc.contents?.range ? at(lines, doc.contents.range[0]) : '1:1';
}

function at(lines: LineCounter, offset: number): string {
  const { line, col } = lines.linePos(offset);
  return `${line}:${col}`;
}

/** Parse and validate one YAML file of manifests; `file` is relative to `root`. */
export async function lintManifestFile(root: string, file: string, problems: string[]): Promise<ManifestFile> {
  const text = await readFile(join(root, file), 'utf8');
  const legacy = isLegacy(text);
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const report = (doc: Document, issue: ManifestIssue) => problems.push(`${file}:${positionOf(doc, lines, issue.path)}: ${issue.message}`);
  let manifests = 0;
  for (const doc of docs) {
    const syntax = doc.errors[0];
    if (syntax) {
      manifests++;
      problems.push(`${file}:${at(lines, syntax.pos[0])}: YAML syntax: ${syntax.message.split('\n')[0]}`);
      continue;
    }
    // A tool's configuration (the kind cluster config, a template with {{…}} values) is not for the API server.
    if (isToolConfig(doc.get('apiVersion'), doc.get('kind'))) {
      manifests++;
      continue;
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    manifests++;
    const verdict = await validateManifest(value);
    if (legacy) {
      if (verdict.kind === 'valid') {
        report(doc, { path: [], message: 'marked "# expose-labs: legacy" but valid on today\'s Kubernetes: remove the marker' });
      }
      if (verdict.kind === 'removed') {
        for (const issue of verdict.legacyIssues) report(doc, { ...issue, message: `not even valid for its own, removed apiVersion: ${issue.message}` });
      }
    } else if (verdict.kind === 'removed') {
      report(doc, { ...verdict.issue, message: `${verdict.issue.message}; if this is the post's YAML kept on purpose, mark it with a leading "# expose-labs: legacy" line` });
    } else if (verdict.kind === 'invalid') {
      for (const issue of verdict.issues) report(doc, issue);
    }
  }
  if (manifests === 0) problems.push(`${file}: no manifest in this file`);
  return { legacy };
}

