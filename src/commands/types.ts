import type { ClusterProvider, HostPorts } from '../cluster/types.js';
import type { Exec } from '../platform/command.js';
import type { Lang } from '../core/i18n.js';
import type { Output } from '../ui/output.js';

/** Options every command understands (docs/ARCHITECTURE.md, "Command line"). */
export interface GlobalOptions {
  lang: Lang;
  yes: boolean;
  dryRun: boolean;
  json: boolean;
  verbose: boolean;
  clusterName: string;
  /** Existing-context mode: use this kubectl context instead of a kind cluster. */
  context?: string;
  ports: HostPorts;
  hostsFile: string;
  noHosts: boolean;
  keepOnFailure: boolean;
  /** Folder for the learner's workspace and progress; defaults to the user's state folder. */
  home: string;
  /** Folder for downloads and offline packs (EXPOSE_LABS_CACHE); defaults to the user's cache folder. */
  cacheDir?: string;
}

/** The terminal and process the command talks to; injected so tests and the tmux launcher can stand in. */
export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number; rows?: number };
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** The path of the running CLI script (for re-invoking a hidden command under sudo). */
  argv0: string[];
}

/** What the outside world provides; tests replace these, nothing in src/ reads a test switch. */
export interface Deps {
  /** The cluster provider: kind, or an existing context when `--context` is given. */
  provider(options: GlobalOptions): Promise<ClusterProvider>;
  /** Runs every process; `--dry-run` swaps in one that prints instead. */
  exec: Exec;
}

export interface CommandEnv {
  options: GlobalOptions;
  io: Io;
  deps: Deps;
  out: Output;
  /** Aborted on Ctrl-C: pass it to every long operation. */
  signal: AbortSignal;
  /** Is a person at the keyboard? Without a TTY the tool never asks; it names the flag that answers. */
  interactive: boolean;
}

/** Positional arguments and this command's own flags as commander parsed them; each command validates its own. */
export interface CommandInput {
  args: string[];
  opts: Record<string, unknown>;
}

/** Every file in src/commands exports `run` with this shape; the return value is the exit code. */
export type CommandRun = (env: CommandEnv, input: CommandInput) => Promise<number>;
