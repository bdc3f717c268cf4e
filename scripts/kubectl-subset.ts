/**
 * The kubectl calls labs may make (BRIEF: the subset the cluster double understands, so every lab can run its
 * self-test without a real cluster). Returns why `args` falls outside it, or undefined when it fits.
 */

const KINDS = new Set([
  'nodes',
  'node',
  'no',
  'pods',
  'pod',
  'po',
  'services',
  'service',
  'svc',
  'ingresses',
  'ingress',
  'ing',
  'secrets',
  'secret',
  'deployments',
  'deployment',
  'deploy',
  'endpoints',
  'ep',
  // The Gateway API resources cloud-provider-kind installs (the double serves them too).
  'gatewayclasses',
  'gatewayclass',
  'gc',
  'gateways',
  'gateway',
  'gtw',
  'httproutes',
  'httproute',
]);
const VALUE_FLAGS = new Set(['-f', '-l', '-o', '-p', '-n', '--namespace']);

interface Parsed {
  positionals: string[];
  flags: Map<string, string | true>;
}

function parse(args: readonly string[]): Parsed | string {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    if (eq > 0) flags.set(arg.slice(0, eq), arg.slice(eq + 1));
    else if (VALUE_FLAGS.has(arg)) {
      const value = args[++i];
      if (value === undefined) return `${arg} needs a value`;
      flags.set(arg, value);
    } else flags.set(arg, true);
  }
  flags.delete('-n');
  flags.delete('--namespace');
  return { positionals, flags };
}

function onlyFlags(flags: Map<string, string | true>, allowed: string[]): string | undefined {
  const extra = [...flags.keys()].filter((f) => !allowed.includes(f));
  return extra.length ? `flag(s) ${extra.join(', ')} not in the subset` : undefined;
}

function shape(p: Parsed): string | undefined {
  const [verb, ...rest] = p.positionals;
  switch (verb) {
    case 'apply':
      return rest.length === 0 && p.flags.has('-f') ? onlyFlags(p.flags, ['-f']) : 'use `apply -f FILE`';
    case 'create':
      if (rest[0] === 'secret') {
        const ok = rest[1] === 'tls' && rest.length === 3 && p.flags.has('--cert') && p.flags.has('--key');
        return ok ? onlyFlags(p.flags, ['--cert', '--key']) : 'use `create secret tls NAME --cert=F --key=F`';
      }
      return rest.length === 0 && p.flags.has('-f') ? onlyFlags(p.flags, ['-f']) : 'use `create -f FILE`';
    case 'delete':
      if (p.flags.has('-f'))
        return rest.length === 0 ? onlyFlags(p.flags, ['-f', '--ignore-not-found']) : 'use `delete -f FILE`';
      return rest.length === 2 && KINDS.has(rest[0]!)
        ? onlyFlags(p.flags, ['--ignore-not-found'])
        : 'use `delete KIND NAME`';
    case 'get': {
      if (rest.length < 1 || rest.length > 2 || !KINDS.has(rest[0]!))
        return `use \`get KIND [NAME]\` with KIND one of ${[...KINDS].join(', ')}`;
      const output = p.flags.get('-o');
      if (output !== undefined && !['json', 'wide', 'yaml'].includes(String(output)))
        return '-o must be json, wide or yaml';
      return onlyFlags(p.flags, ['-l', '-o']);
    }
    case 'rollout':
      return rest[0] === 'status' && rest.length === 2 && /^deployment\/[a-z0-9-]+$/.test(rest[1]!)
        ? onlyFlags(p.flags, ['--timeout'])
        : 'use `rollout status deployment/NAME [--timeout=D]`';
    case 'patch': {
      const type = p.flags.get('--type');
      if (type !== undefined && type !== 'merge') return 'only --type=merge is in the subset';
      return rest[0] === 'service' && rest.length === 2 && p.flags.has('-p')
        ? onlyFlags(p.flags, ['-p', '--type'])
        : 'use `patch service NAME [--type=merge] -p JSON`';
    }
    default:
      return `kubectl ${verb ?? ''} is not in the subset (apply, create, delete, get, rollout status, patch service)`;
  }
}

export function kubectlSubsetProblem(args: readonly string[]): string | undefined {
  const parsed = parse(args);
  return typeof parsed === 'string' ? parsed : shape(parsed);
}
