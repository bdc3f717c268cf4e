import { copyFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { makeFolders } from '../platform/folders.js';

/**
 * Where a fixture lives in the learner's workspace: the same path without the leading `fixtures/`, so the file the
 * learner opens is exactly the one applied.
 */
export function workspacePath(workspace: string, fixture: string): string {
  const inside = fixture.replace(/^fixtures[\\/]/, '');
  return join(workspace, ...inside.split(/[\\/]/));
}

export async function copyToWorkspace(root: string, workspace: string, fixture: string): Promise<string> {
  const target = workspacePath(workspace, fixture);
  if (relative(workspace, target).startsWith('..' + sep))
    throw new Error(`fixture path escapes the workspace: ${fixture}`);
  await makeFolders(dirname(target));
  await copyFile(join(root, fixture), target);
  return target;
}
