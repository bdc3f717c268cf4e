import type { LabContext } from '../../contract/context.js';
import type { Dependency, DependencyContext } from '../../contract/dependencies.js';
import type { Step } from '../lab.js';
import { fillStatic, placeholders } from '../template.js';

export interface StepDependencies {
  /** Files and cluster objects whose change may change any of the step's checks (deduplicated). */
  watched: Dependency[];
  /** Per check: one attempt costs next to nothing, so it may be repeated on a short constant interval. */
  cheap: boolean[];
}

/** Every string inside a spec, for the placeholders they hold. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** `{{service.NAME.…}}` and `{{ingress.NAME.address}}` read those objects (engine/template.ts): watch them too. */
function placeholderObjects(spec: unknown): Dependency[] {
  const out: Dependency[] = [];
  for (const name of strings(spec).flatMap(placeholders)) {
    const [kind, object] = name.split('.');
    if ((kind === 'service' || kind === 'ingress') && object)
      out.push({ type: 'object', resource: kind, name: object });
  }
  return out;
}

function key(dep: Dependency): string {
  return JSON.stringify(dep);
}

/** Where an `auto` check will send from: the host when it reaches the node network (asked once per cluster). */
async function hostVantage(ctx: LabContext): Promise<boolean> {
  try {
    return (await ctx.cluster.reachability()).hostReachesNodeNetwork;
  } catch {
    return false;
  }
}

/**
 * What a step's outcome depends on, from its own data: each check's and action's `dependsOn` (the actions too: they
 * are what the learner types by hand) and the objects its placeholders read. The engine knows no lab.
 */
export async function stepDependencies(step: Step, ctx: LabContext): Promise<StepDependencies> {
  const base = { hostsFile: ctx.paths.hostsFile, workspace: ctx.paths.workspace, noHosts: ctx.noHosts };
  const auto = step.checks.some((c) => c.from === 'auto') && (await hostVantage(ctx));
  const found: Dependency[] = [];
  const cheap: boolean[] = [];
  for (const check of step.checks) {
    const vantage: DependencyContext['vantage'] = check.from === 'auto' && auto ? 'host' : check.from;
    const own = check.def.dependsOn?.(fillStatic(check.spec, ctx), { ...base, vantage }) ?? [];
    cheap.push(own.some((d) => d.type === 'cheap'));
    found.push(...own, ...placeholderObjects(check.spec));
  }
  for (const action of step.actions) {
    const own = await action.def.dependsOn?.(fillStatic(action.spec, ctx), {
      ...base,
      vantage: 'host',
      root: ctx.paths.root,
    });
    found.push(...(own ?? []), ...placeholderObjects(action.spec));
  }
  const seen = new Set<string>();
  const watched = found.filter((d) => d.type !== 'cheap' && !seen.has(key(d)) && Boolean(seen.add(key(d))));
  return { watched, cheap };
}
