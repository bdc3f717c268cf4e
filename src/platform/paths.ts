import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let ownRoot: string | undefined;

/** The package root (where labs/ and fixtures/ live), from src/ under vitest or dist/src/ when built. */
export function packageRoot(from?: string): string {
  if (from === undefined) return (ownRoot ??= findPackageRoot(fileURLToPath(import.meta.url)));
  return findPackageRoot(from);
}

function findPackageRoot(from: string): string {
  let dir = dirname(from);
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'expose-labs') return dir;
      } catch {
        // An unreadable package.json further down is not ours: keep walking up.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('expose-labs: cannot find the package root');
    dir = parent;
  }
}

/** Per-user state folder: progress and the workspace live under `<state>/<cluster name>/`. */
export function defaultHome(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.EXPOSE_LABS_HOME) return env.EXPOSE_LABS_HOME;
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'expose-labs');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'expose-labs');
  return join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'expose-labs');
}

/** Downloaded tools (kind, kubectl from `doctor --fix`) and fetched manifests. */
export function defaultCache(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.EXPOSE_LABS_CACHE) return env.EXPOSE_LABS_CACHE;
  if (platform === 'win32')
    return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'expose-labs', 'cache');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'expose-labs');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'expose-labs');
}

export function defaultHostsFile(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (platform === 'win32') return join(env.SystemRoot ?? 'C:\\Windows', 'System32', 'drivers', 'etc', 'hosts');
  return '/etc/hosts';
}

/** Where this cluster's progress file, workspace folder and nudge file (platform/nudge.ts) live. */
export function clusterHome(
  home: string,
  clusterName: string,
): { progressFile: string; workspace: string; nudgeFile: string } {
  const base = join(home, clusterName);
  return {
    progressFile: join(base, 'progress.json'),
    workspace: join(base, 'workspace'),
    nudgeFile: join(base, 'nudge'),
  };
}
