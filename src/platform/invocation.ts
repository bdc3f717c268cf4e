import { accessSync, constants, realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Every command the tool prints must run as printed. README installs with `npm ci && npx expose-labs start`, which
 * puts nothing named `expose-labs` on PATH, so a printed `expose-labs doctor` would fail there; after `npm link` or a
 * global install the bare name works and is what the learner typed. This decides once per run which prefix is true.
 */
export type ToolPrefix = 'npx expose-labs' | 'expose-labs';

export interface InvocationFacts {
  env: NodeJS.ProcessEnv;
  /** [node, the running script] as in process.argv. */
  argv0: string[];
}

const real = (path: string): string | undefined => {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
};

/** Is an `expose-labs` found on PATH this very script (a link to it, as npm link and npm -g make)? */
function onPathIsThisScript(env: NodeJS.ProcessEnv, script: string | undefined): boolean {
  const self = script && real(script);
  if (!self) return false;
  const names = process.platform === 'win32' ? ['expose-labs.cmd', 'expose-labs'] : ['expose-labs'];
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of names) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
      } catch {
        continue;
      }
      return real(candidate) === self;
    }
  }
  return false;
}

/**
 * `npx expose-labs` when started through npx / npm exec (npm sets npm_command=exec for both) or when no
 * `expose-labs` on PATH is this script; `expose-labs` when the first one on PATH is.
 */
export function detectToolPrefix(facts: InvocationFacts): ToolPrefix {
  if (facts.env.npm_command === 'exec' || facts.env.npm_lifecycle_event === 'npx') return 'npx expose-labs';
  return onPathIsThisScript(facts.env, facts.argv0[1]) ? 'expose-labs' : 'npx expose-labs';
}

let facts: InvocationFacts | undefined;
let prefix: ToolPrefix | undefined;

/**
 * Called once by the CLI's entry with the process it runs in; texts then ask `toolCommand`. The PATH is searched
 * only when a text first needs the prefix (`--help` needs none).
 */
export function setInvocation(given: InvocationFacts): void {
  facts = given;
  prefix = undefined;
}

/** A command of this tool as the learner can type it here: `toolCommand('doctor --fix')` → `npx expose-labs doctor --fix`. */
export function toolCommand(rest = ''): string {
  prefix ??= detectToolPrefix(facts ?? { env: process.env, argv0: process.argv });
  return rest ? `${prefix} ${rest}` : prefix;
}
