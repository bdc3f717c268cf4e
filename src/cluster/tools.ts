import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { GoPlatform, ToolName } from './versions.js';

/** Where `doctor --fix` puts kind and kubectl: inside the tool's own cache, never a system folder. */
export function toolBinDir(cacheDir: string): string {
  return join(cacheDir, 'bin');
}

export function toolFileName(tool: ToolName, platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? `${tool}.exe` : tool;
}

/**
 * The program to run for `tool`: the copy `doctor --fix` downloaded (pinned, checked) comes first, then
 * whatever PATH finds. Returns a bare name for PATH so printed commands stay short.
 */
export function resolveTool(
  tool: ToolName,
  cacheDir: string,
  platform: NodeJS.Platform = process.platform,
  exists: (path: string) => boolean = existsSync,
): string {
  const cached = join(toolBinDir(cacheDir), toolFileName(tool, platform));
  return exists(cached) ? cached : tool;
}

/** This machine in the names download URLs use; undefined where kind or kubectl publish no binary. */
export function goPlatform(
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
): GoPlatform | undefined {
  const os = platform === 'win32' ? 'windows' : platform === 'darwin' || platform === 'linux' ? platform : undefined;
  const cpu = arch === 'x64' ? 'amd64' : arch === 'arm64' ? 'arm64' : undefined;
  if (!os || !cpu) return undefined;
  const name = `${os}/${cpu}`;
  const known: readonly string[] = ['linux/amd64', 'linux/arm64', 'darwin/amd64', 'darwin/arm64', 'windows/amd64'];
  return known.includes(name) ? (name as GoPlatform) : undefined;
}
