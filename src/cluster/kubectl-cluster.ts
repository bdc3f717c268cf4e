import { formatCommand, type CommandResult, type Exec } from '../platform/command.js';
import type { Cluster, HostPorts, KubectlOptions, Reachability } from './types.js';

/**
 * A cluster reached through one kubectl context. Every call starts with `--context <context>`, so nothing the
 * tool runs can land on whatever context the learner's kubeconfig has selected.
 */
export class KubectlCluster implements Cluster {
  private reachable: Promise<Reachability> | undefined;

  constructor(
    readonly name: string,
    readonly context: string,
    readonly ports: HostPorts,
    private readonly exec: Exec,
    private readonly kubectlPath: string,
    private readonly findReachability: () => Promise<Reachability>,
  ) {}

  kubectl(args: readonly string[], options: KubectlOptions = {}): Promise<CommandResult> {
    return this.exec(
      { file: this.kubectlPath, args: this.argv(args), input: options.input, timeoutMs: options.timeoutMs },
      { signal: options.signal },
    );
  }

  watch(
    args: readonly string[],
    onLine: (line: string) => void,
    options: { signal: AbortSignal },
  ): Promise<CommandResult> {
    return this.exec({ file: this.kubectlPath, args: this.argv(args) }, { signal: options.signal, onLine });
  }

  kubectlLine(args: readonly string[]): string {
    return formatCommand({ file: this.kubectlPath, args: this.argv(args) });
  }

  /** Asked once per cluster object (the answer does not change while the tool runs); a failed ask is asked again. */
  reachability(): Promise<Reachability> {
    this.reachable ??= this.findReachability().catch((error: unknown) => {
      this.reachable = undefined;
      throw error;
    });
    return this.reachable;
  }

  private argv(args: readonly string[]): string[] {
    return ['--context', this.context, ...args];
  }
}
