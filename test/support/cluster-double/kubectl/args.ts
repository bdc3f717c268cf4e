import { notImplemented } from '../kubectl-errors.js';

/** A kubectl command line split the way cobra/pflag splits it, for the flags the double understands. */
export interface Invocation {
  /** Words that are not flags: `get svc x` → [get, svc, x]. */
  words: string[];
  namespace?: string;
  output?: string;
  selector?: string;
  files: string[];
  patch?: string;
  patchType?: string;
  timeout?: string;
  cert?: string;
  key?: string;
  /** `--from-file=[key=]path`, repeatable (create secret generic). */
  fromFiles: string[];
  ignoreNotFound: boolean;
  /** `-w` / `--watch` (only Cluster.watch serves it: a plain call would never end). */
  watch: boolean;
  /** `--field-selector`: the double knows `metadata.name` and `metadata.namespace`, as every resource does. */
  fieldSelector?: string;
}

type ValueField =
  | 'namespace'
  | 'output'
  | 'selector'
  | 'files'
  | 'patch'
  | 'patchType'
  | 'timeout'
  | 'cert'
  | 'key'
  | 'fieldSelector'
  | 'fromFiles';

const VALUE_FLAGS: Record<string, ValueField> = {
  '-n': 'namespace',
  '--namespace': 'namespace',
  '-o': 'output',
  '--output': 'output',
  '-l': 'selector',
  '--selector': 'selector',
  '-f': 'files',
  '--filename': 'files',
  '-p': 'patch',
  '--patch': 'patch',
  '--type': 'patchType',
  '--timeout': 'timeout',
  '--cert': 'cert',
  '--key': 'key',
  '--field-selector': 'fieldSelector',
  '--from-file': 'fromFiles',
};

const BOOLEAN_FLAGS: Record<string, 'ignoreNotFound' | 'watch'> = {
  '--ignore-not-found': 'ignoreNotFound',
  '-w': 'watch',
  '--watch': 'watch',
};

export function parseArgs(args: readonly string[]): Invocation {
  const invocation: Invocation = { words: [], files: [], fromFiles: [], ignoreNotFound: false, watch: false };
  const set = (field: ValueField, value: string) => {
    if (field === 'files' || field === 'fromFiles') invocation[field].push(value);
    else invocation[field] = value;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      invocation.words.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      invocation.words.push(arg);
      continue;
    }
    const long = arg.startsWith('--');
    const eq = arg.indexOf('=');
    // `-ojson` and `-o=json` are one word for a short flag; `--output=json` for a long one.
    const name = long ? (eq > 0 ? arg.slice(0, eq) : arg) : arg.slice(0, 2);
    const inline = long
      ? eq > 0
        ? arg.slice(eq + 1)
        : undefined
      : arg.length > 2
        ? arg.slice(2).replace(/^=/, '')
        : undefined;
    const flag = BOOLEAN_FLAGS[name];
    if (flag) {
      if (inline !== undefined && inline !== 'true' && inline !== 'false')
        throw notImplemented(args, `${name} takes true or false`);
      invocation[flag] = inline !== 'false';
      continue;
    }
    const field = VALUE_FLAGS[name];
    if (!field) throw notImplemented(args, `flag ${name}`);
    if (inline !== undefined) set(field, inline);
    else if (i + 1 < args.length) set(field, args[++i]!);
    else throw notImplemented(args, `flag ${name} needs a value`);
  }
  return invocation;
}

/** Go's time.ParseDuration for the forms kubectl users write: `90s`, `2m`, `1m30s`, `500ms`, `1h`. */
export function parseDuration(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
  return parts.reduce((sum, p) => sum + Number(p[1]) * unit[p[2] as keyof typeof unit], 0);
}
