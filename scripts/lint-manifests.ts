import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import { positionOf } from '../src/engine/yaml-position.js';
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

const where = ({ line, col }: { line: number; col: number }) => `${line}:${col}`;

function at(lines: LineCounter, offset: number): string {
  return where(lines.linePos(offset));
}

/** Parse and validate one YAML file of manifests; `file` is relative to `root`. */
export async function lintManifestFile(root: string, file: string, problems: string[]): Promise<ManifestFile> {
  const text = await readFile(join(root, file), 'utf8');
  const legacy = isLegacy(text);
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const report = (doc: Document, issue: ManifestIssue) =>
    problems.push(`${file}:${where(positionOf(doc, lines, issue.path))}: ${issue.message}`);
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
        report(doc, {
          path: [],
          message: 'marked "# expose-labs: legacy" but valid on today\'s Kubernetes: remove the marker',
        });
      }
      if (verdict.kind === 'removed') {
        for (const issue of verdict.legacyIssues)
          report(doc, { ...issue, message: `not even valid for its own, removed apiVersion: ${issue.message}` });
      }
    } else if (verdict.kind === 'removed') {
      report(doc, {
        ...verdict.issue,
        message: `${verdict.issue.message}; if this is the post's YAML kept on purpose, mark it with a leading "# expose-labs: legacy" line`,
      });
    } else if (verdict.kind === 'invalid') {
      for (const issue of verdict.issues) report(doc, issue);
    }
  }
  if (manifests === 0) problems.push(`${file}: no manifest in this file`);
  return { legacy };
}
