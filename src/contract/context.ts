import type { Cluster } from '../cluster/types.js';
import type { Exec } from '../platform/command.js';
import type { Lang, Message } from '../core/i18n.js';

/** Where the tool keeps and finds its files. */
export interface LabPaths {
  /** Package root: `labs/` and `fixtures/` are resolved against it. */
  root: string;
  /** The learner's workspace: every manifest applied and every file made is written here. */
  workspace: string;
  /** The hosts file that hosts actions edit and name lookups read. */
  hostsFile: string;
  /** Written by `hosts add`, `tls generate` and `verify` in another terminal, so a watching step re-checks at once. */
  nudgeFile?: string;
}

/** Where a message goes: the learner's screen (task list or plain lines) and, with --verbose, more. */
export interface Log {
  info(message: Message): void;
  /** The command about to run, exactly as a learner could type it. */
  command(line: string): void;
  /** Output of a command the learner asked to see (e.g. `kubectl get node -o wide`). */
  output(text: string): void;
  warn(message: Message): void;
  verbose(message: Message): void;
}

/** Everything actions and checks may use. Built by a command; passed down, never global. */
export interface LabContext {
  lang: Lang;
  cluster: Cluster;
  /** Runs processes other than kubectl (docker for the network vantage point, sudo for the hosts file). */
  exec: Exec;
  paths: LabPaths;
  /** The learner cannot edit the hosts file: checks use a Host header, SNI and a resolve address instead. */
  noHosts: boolean;
  dryRun: boolean;
  signal: AbortSignal;
  log: Log;
  /** [node, cli script] (CommandEnv.io.argv0): how hosts actions re-invoke `hosts-write` under sudo. Default: process.argv. */
  argv0?: string[];
  /** A person at the keyboard who can answer a password prompt (only `prepare` hooks ask). Default: false. */
  interactive?: boolean;
}
