import type { GlobalOptions } from './types.js';
import type { Exec } from '../platform/command.js';
import { createDryRunExec } from '../platform/exec.js';
import { defaultCache } from '../platform/paths.js';
import { ExistingContextProvider } from '../cluster/existing/provider.js';
import { KindProvider } from '../cluster/kind/provider.js';
import { kindSettings, type KindSettings } from '../cluster/kind/settings.js';
import { resolveTool } from '../cluster/tools.js';
import type { ClusterOptions, ClusterProvider } from '../cluster/types.js';
import type { Reporter } from '../core/reporter.js';

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
  const cacheDir = overrides.cacheDir ?? defaultCache();
  if (options.context) return new ExistingContextProvider(exec, resolveTool('kubectl', cacheDir, overrides.platform));
  return new KindProvider(kindSettings({ ...overrides, exec, home: options.home, cacheDir }));
}

/**
 * `start --dry-run`: print the kind config and every command `up` would run, and run none. Works without
 * Docker: the dry-run exec answers every probe with empty output (no cluster yet), downloads are only named,
 * and a taken host port is reported instead of stopping the plan.
 */
export async function planUp(
  options: GlobalOptions,
  reporter: Reporter,
  print: (line: string) => void,
  signal: AbortSignal,
  overrides: Partial<KindSettings> = {},
): Promise<void> {
  const exec = createDryRunExec(print);
  const dry: GlobalOptions = { ...options, dryRun: true };
  const provider = await defaultProvider(dry, exec, overrides);
  await provider.up({ ...clusterOptions(dry), recreate: false }, reporter, signal);
}
