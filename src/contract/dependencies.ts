/**
 * What a step's outcome depends on, declared by each check and action from its own spec, so the engine can re-check
 * when that changes instead of on a clock (engine/watch). The engine knows no lab: this is all it watches.
 */
export type Dependency =
  /** A file on this machine (the hosts file, a certificate in the workspace). */
  | { type: 'file'; path: string }
  /**
   * Cluster objects as kubectl names them: `resource` is a kubectl resource type (`ingress`, `service`,
   * `deployment.apps`); without `name`, every object of that type in the namespace.
   */
  | { type: 'object'; resource: string; name?: string; namespace?: string }
  /** An attempt costs next to nothing (a loopback connect, a file read): it may simply be repeated often. */
  | { type: 'cheap' };

/** What a check or action may look at to say what it depends on. Its spec has static placeholders filled. */
export interface DependencyContext {
  hostsFile: string;
  workspace: string;
  noHosts: boolean;
  /** Where a network check's traffic will leave from, when already known: `host` means in-process sockets. */
  vantage: 'host' | 'network' | 'auto';
}
