import type { GlobalOptions } from './types.js';
import type { Exec } from '../platform/command.js';
import { defaultCache } from '../platform/paths.js';
import type { KindSettings } from '../cluster/kind/settings.js';
import type { ClusterOptions, ClusterProvider } from '../cluster/types.js';

/** The cluster options of the global flags. */
export function clusterOptions(options: GlobalOptions): ClusterOptions {
  return {
    name: options.clusterName,
    ports: options.ports,
    context: options.context,
    keepOnFailure: options.keepOnFailure,
    yes: options.yes,
    dryRun: options.dryRun,
    verbose: options.verbose,
  };
}

/**
 * The kind provider, or the existing-context provider when `--context` is given. `kind` and `kubectl` are
 * taken from the tool's cache (where `doctor --fix` puts them) first, then from PATH.
 */
export async function defaultProvider(
  options: GlobalOptions,
  exec: Exec,
  overrides: Partial<KindSettings> = {},
): Promise<ClusterProvider> {
  const cacheDir = overrides.cacheDir ?? options.cacheDir ?? defaultCache();
  // Loaded here, not at the top: commands that only read labs (list, show, status) never pay for the providers.
  const { resolveTool } = await import('../cluster/tools.js');
  if (options.context) {
    const { ExistingContextProvider } = await import('../cluster/existing/provider.js');
    return new ExistingContextProvider(exec, resolveTool('kubectl', cacheDir, overrides.platform));
  }
  const [{ KindProvider }, { kindSettings }] = await Promise.all([
    import('../cluster/kind/provider.js'),
    import('../cluster/kind/settings.js'),
  ]);
  return new KindProvider(kindSettings({ ...overrides, exec, home: options.home, cacheDir }));
}
