import { isatty } from 'node:tty';
import type { Command } from './commander.js';
import { readClusterPorts } from './cluster/remembered-ports.js';
import type { HostPorts } from './cluster/types.js';
import type { CommandEnv, Deps, GlobalOptions, Io } from './commands/types.js';
import { clusterNameProblem, clusterNameWarning } from './core/cluster-name.js';
import { UsageError } from './core/errors.js';
import { detectLang } from './core/i18n.js';
import { defaultCache, defaultHome, defaultHostsFile } from './platform/paths.js';
import { redactSecrets } from './platform/redact.js';
import { colorEnabled, Output } from './ui/output.js';

const PORT_OPTIONS = {
  http: 'httpPort',
  https: 'httpsPort',
  nodePort: 'nodeportPort',
  workerA: 'workerAPort',
  workerB: 'workerBPort',
} as const;

/**
 * Global flags may stand before or after the command (`expose-labs --lang ko start`); a value the learner gave wins
 * over a default. Host ports nobody gave come from the ones the cluster was made with, so `verify` and a later
 * `start` talk to the same ports.
 */
function toGlobal(program: Command, cmd: Command, io: Io): GlobalOptions {
  const given = (key: string): unknown => {
    for (const c of [cmd, program])
      if (c.getOptionValueSource(key) !== undefined && c.getOptionValueSource(key) !== 'default')
        return c.getOptionValue(key);
    return cmd.getOptionValue(key) ?? program.getOptionValue(key);
  };
  const isGiven = (key: string) =>
    [cmd, program].some((c) => c.getOptionValueSource(key) !== undefined && c.getOptionValueSource(key) !== 'default');
  const home = defaultHome(io.env);
  const clusterName = String(given('clusterName'));
  const problem = clusterNameProblem(clusterName);
  if (problem)
    throw new UsageError(problem, {
      ko: '예: --cluster-name expose-labs',
      en: 'For example: --cluster-name expose-labs',
    });
  const saved = readClusterPorts(home, clusterName);
  const ports = Object.fromEntries(
    Object.entries(PORT_OPTIONS).map(([name, key]) => [
      name,
      isGiven(key) || !saved ? given(key) : saved[name as keyof HostPorts],
    ]),
  ) as unknown as HostPorts;
  return {
    lang: detectLang(given('lang') as string | undefined, io.env),
    yes: Boolean(given('yes')),
    dryRun: Boolean(given('dryRun')),
    json: Boolean(given('json')),
    verbose: Boolean(given('verbose')),
    clusterName,
    context: given('context') as string | undefined,
    ports,
    hostsFile: (given('hostsFile') as string | undefined) ?? defaultHostsFile(io.env),
    noHosts: given('hosts') === false,
    keepOnFailure: Boolean(given('keepOnFailure')),
    home,
    cacheDir: defaultCache(io.env),
  };
}

async function defaultDeps(partial: Partial<Deps> | undefined, io: Io, options: GlobalOptions): Promise<Deps> {
  const verbose = () => options.verbose;
  const { createExec, createDryRunExec } = await import('./platform/exec.js');
  const exec =
    partial?.exec ??
    (options.dryRun
      ? createDryRunExec((line) => io.stdout.write(`$ ${line}\n`))
      : createExec({
          onCommand: (line) => {
            if (verbose()) io.stderr.write(`$ ${line}\n`);
          },
          onResult: (_line, result) => {
            if (verbose() && (result.stdout || result.stderr))
              io.stderr.write(redactSecrets(result.stdout + result.stderr));
          },
        }));
  const provider =
    partial?.provider ??
    (async (options: GlobalOptions) => (await import('./commands/providers.js')).defaultProvider(options, exec));
  return { exec, provider };
}

export interface CommandEnvInput {
  program: Command;
  cmd: Command;
  io: Io;
  /** A caller's own stdin (tests) rather than process.stdin, which is not touched until a command reads it. */
  stdinGiven: boolean;
  /** The program's and the command's parsed options, the command's winning. */
  raw: Record<string, unknown>;
  deps: Partial<Deps> | undefined;
  signal: AbortSignal;
}

/**
 * What a chosen command runs with: its options, output, process runner and cluster provider. Apart from cli.ts and
 * loaded only once a command runs, so `--help` and a usage error load none of it.
 */
export async function commandEnv({
  program,
  cmd,
  io,
  stdinGiven,
  raw,
  deps,
  signal,
}: CommandEnvInput): Promise<CommandEnv> {
  // --accessible is ACCESSIBLE=1 for this command: every part that reads the environment sees one switch.
  const commandIo: Io = raw.accessible ? withEnv(io, { ...io.env, ACCESSIBLE: '1' }) : io;
  const options = toGlobal(program, cmd, commandIo);
  const color = colorEnabled(commandIo.stdout, commandIo.env);
  const out = new Output(options.lang, commandIo.stdout, commandIo.stderr, color, options.verbose);
  const long = clusterNameWarning(options.clusterName);
  if (long) out.warn(long);
  const stdinIsTTY = stdinGiven ? Boolean(io.stdin.isTTY) : isatty(0);
  const interactive = stdinIsTTY && Boolean(commandIo.stdout.isTTY) && !commandIo.env.CI;
  return { options, io: commandIo, deps: await defaultDeps(deps, commandIo, options), out, signal, interactive };
}

/** The same streams with another environment; a copy by descriptors keeps `stdin` a getter. */
function withEnv(io: Io, env: NodeJS.ProcessEnv): Io {
  return Object.defineProperties(
    {},
    { ...Object.getOwnPropertyDescriptors(io), env: { value: env, enumerable: true } },
  ) as Io;
}
