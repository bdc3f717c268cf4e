import type { LabContext } from '../contract/context.js';
import type { Dependency, DependencyContext } from '../contract/dependencies.js';

/** An action as the commands a learner could type (lines.ts), apart from what runs it. */
export interface ActionLines<Spec = unknown> {
  /** The commands a learner could type to do the same, shown before the action runs. Placeholders left in. */
  commands(spec: Spec, ctx: Pick<LabContext, 'cluster' | 'paths' | 'lang'>): string[];
  /** What `undo` would run, for `reset --dry-run` and the learner. Placeholders left in. */
  undoCommands?(spec: Spec, ctx: Pick<LabContext, 'cluster' | 'paths' | 'lang'>): string[];
}

/** One kind of action ("run it for me"), keyed in lab.yaml by `name`; its spec's schema is in specs.ts, by name. */
export interface ActionDefinition<Spec = unknown> extends ActionLines<Spec> {
  name: string;
  /**
   * Runs before any action of the same batch, while the terminal is still free (no task list drawn yet): the place to
   * ask once for what the action will need, such as the sudo password for the hosts file.
   */
  prepare?(spec: Spec, ctx: LabContext): Promise<void>;
  /** Do it. Placeholders are already filled. Throws UserError when it fails. */
  run(spec: Spec, ctx: LabContext): Promise<void>;
  /** Undo it for `reset` (delete what was applied, remove the hosts entry, …). Must be a no-op when nothing is there. */
  undo?(spec: Spec, ctx: LabContext): Promise<void>;
  /** Files (relative to the package root) this action reads, for `lint:labs`. */
  files?(spec: Spec): string[];
  /**
   * What this action changes when the learner does it by hand (the objects a manifest makes, the hosts file), so a
   * step waiting for the learner re-checks when it changes. Static placeholders are filled.
   */
  dependsOn?(spec: Spec, ctx: DependencyContext & { root: string }): Promise<Dependency[]>;
}
