import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_HOST_PORTS } from './cluster/types.js';
import type { CommandEnv, CommandInput, CommandRun, Deps, GlobalOptions, Io } from './commands/types.js';
import { EXIT, InterruptedError, UserError } from './errors.js';
import { defaultHome, defaultHostsFile, packageRoot } from './platform/paths.js';
import { detectLang, tr, type Lang } from './ui/i18n.js';
import { colorEnabled, Output } from './ui/output.js';

/**
 * argv → command. Commands are imported only when chosen, so `--help` loads nothing but commander.
 * Help texts are English (commander has one help text); everything a learner reads during a lab is in both languages.
 */
interface CommandSpec {
  name: string;
  /** Loads the module under src/commands/ that exports `run` (a literal import, so tools can see it). */
  load: () => Promise<{ run: CommandRun }>;
  summary: string;
  hidden?: boolean;
  options?: Option[];
}

const port = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError('not a port number (1-65535).');
  return n;
};
const positiveInt = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('not a positive whole number.');
  return n;
};
const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

const json = () => new Option('--json', 'print machine-readable JSON');

const COMMANDS: CommandSpec[] = [
  {
    name: 'start [lab]',
    load: () => import('./commands/start.js'),
    summary: 'check the machine, create or reuse the cluster, and walk through the labs',
    options: [
      new Option('--auto', 'presenter mode: run every step with its explanation, no questions'),
      new Option('--pause', 'with --auto: wait for Enter between steps'),
      new Option('--recreate', 'recreate the cluster when its configuration differs'),
      new Option('--skip-doctor', 'do not run the machine checks first'),
    ],
  },
  { name: 'list', load: () => import('./commands/list.js'), summary: 'list the labs and their steps', options: [json()] },
  { name: 'show <lab>', load: () => import('./commands/show.js'), summary: 'read a lab offline: its steps, manifests, commands and checks' },
  {
    name: 'status',
    load: () => import('./commands/status.js'),
    summary: 'show progress per lab',
    options: [json(), new Option('--report <file>', 'write a report (.md or .json) of finished steps and what each check saw')],
  },
  { name: 'verify [target]', load: () => import('./commands/verify.js'), summary: 'run the checks of a lab or lab/step (default: the current step)', options: [json()] },
  { name: 'hint [target]', load: () => import('./commands/hint.js'), summary: 'show the hint for the current step (or lab/step)' },
  { name: 'solve [target]', load: () => import('./commands/solve.js'), summary: 'show the solution and run it for the current step (or lab/step)' },
  { name: 'reset [lab]', load: () => import('./commands/reset.js'), summary: 'undo what a lab made and forget its progress (default: all labs)' },
  { name: 'goto <target>', load: () => import('./commands/goto.js'), summary: 'reset a lab and replay its earlier steps to catch up at lab/step' },
  { name: 'down', load: () => import('./commands/down.js'), summary: 'remove the cluster, helper containers, hosts entries and workspace secrets' },
  {
    name: 'doctor',
    load: () => import('./commands/doctor.js'),
    summary: 'check Docker, kind, kubectl, ports and limits; say how to fix what is missing',
    options: [json(), new Option('--fix', 'download a missing kind or kubectl (pinned, checksum-verified) into the cache')],
  },
  {
    name: 'test [lab]',
    load: () => import('./commands/test.js'),
    summary: 'self-test labs on the cluster: checks fail before each step and pass after it',
    options: [json(), new Option('--junit <file>', 'also write a JUnit XML report')],
  },
  {
    name: 'tls <action>',
    load: () => import('./commands/tls.js'),
    summary: 'tls generate: make an RSA-2048 key and a self-signed certificate',
    options: [
      new Option('--host <name>', 'host name for CN and subjectAltName (repeatable)').argParser(collect),
      new Option('--days <n>', 'validity in days').argParser(positiveInt).default(360),
      new Option('--out <dir>', 'folder for the key and certificate (default: the workspace)'),
      new Option('--name <base>', 'file base name (default: the first host up to its first dot)'),
      json(),
    ],
  },
  {
    name: 'hosts <action> [names...]',
    load: () => import('./commands/hosts.js'),
    summary: 'hosts add|remove|show: manage the marked block of the hosts file',
    options: [new Option('--address <ip>', 'address for added names').default('127.0.0.1')],
  },
  {
    name: 'hosts-write',
    load: () => import('./commands/hosts-write.js'),
    summary: 'internal: write the hosts file from stdin (run under sudo by the tool itself)',
    hidden: true,
    options: [new Option('--file <path>'), new Option('--expect-sha256 <hash>')],
  },
  { name: 'pack <dir>', load: () => import('./commands/pack.js'), summary: 'save every pinned image and manifest into a folder for offline workshops' },
  { name: 'unpack <dir>', load: () => import('./commands/unpack.js'), summary: 'load a pack so that start works without network' },
  {
    name: 'probe <url>',
    load: () => import('./commands/probe.js'),
    summary: 'a curl that knows the labs: which pod answered, spread, certificate, kind of failure',
    options: [
      new Option('--resolve <addr>', 'connect to this address instead of resolving the URL host (like curl --resolve)'),
      new Option('--host <name>', 'Host header (and SNI) to send'),
      new Option('--connections <n>', 'number of requests').argParser(positiveInt).default(1),
      new Option('--keepalive', 'send all requests on one connection'),
      new Option('--insecure', 'accept any certificate (like curl -k); the certificate is still shown'),
      new Option('--expect-status <code>', 'exit 1 unless every answer has this status').argParser(positiveInt),
      new Option('--timeout <ms>', 'per-request timeout in milliseconds').argParser(positiveInt).default(3000),
      json(),
    ],
  },
  {
    name: 'convert <file>',
    load: () => import('./commands/convert.js'),
    summary: 'rewrite an extensions/v1beta1 Ingress as networking.k8s.io/v1 (stdout)',
    options: [new Option('--class <name>', 'also set spec.ingressClassName (e.g. contour)')],
  },
];

function globalOptions(): Option[] {
  return [
    new Option('--lang <lang>', 'language of texts: ko or en').choices(['ko', 'en']),
    new Option('-y, --yes', 'answer yes to every question'),
    new Option('--dry-run', 'print the commands, run none'),
    new Option('--verbose', 'show every command and its output'),
    new Option('--cluster-name <name>', 'kind cluster name').default('expose-labs'),
    new Option('--context <name>', 'use this existing kubectl context instead of a kind cluster'),
    new Option('--http-port <port>', 'host port for the ingress HTTP port 80').argParser(port).default(DEFAULT_HOST_PORTS.http),
    new Option('--https-port <port>', 'host port for the ingress HTTPS port 443').argParser(port).default(DEFAULT_HOST_PORTS.https),
    new Option('--nodeport-port <port>', 'host port for nodePort 30000').argParser(port).default(DEFAULT_HOST_PORTS.nodePort),
    new Option('--worker-a-port <port>', 'host port for nodePort 30080 on worker a').argParser(port).default(DEFAULT_HOST_PORTS.workerA),
    new Option('--worker-b-port <port>', 'host port for nodePort 30080 on worker b').argParser(port).default(DEFAULT_HOST_PORTS.workerB),
    new Option('--hosts-file <path>', 'hosts file to edit and read'),
    new Option('--no-hosts', 'never edit the hosts file: checks send Host headers and SNI instead'),
    new Option('--keep-on-failure', 'keep a half-made cluster for inspection'),
  ];
}

function readVersion(): string {
  return JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')).version;
}

function toGlobal(raw: Record<string, unknown>, io: Io): GlobalOptions {
  const lang: Lang = detectLang(raw.lang as string | undefined, io.env);
  return {
    lang,
    yes: Boolean(raw.yes),
    dryRun: Boolean(raw.dryRun),
    json: Boolean(raw.json),
    verbose: Boolean(raw.verbose),
    clusterName: String(raw.clusterName),
    context: raw.context as string | undefined,
    ports: {
      http: raw.httpPort as number,
      https: raw.httpsPort as number,
      nodePort: raw.nodeportPort as number,
      workerA: raw.workerAPort as number,
      workerB: raw.workerBPort as number,
    },
    hostsFile: (raw.hostsFile as string | undefined) ?? defaultHostsFile(io.env),
    noHosts: raw.hosts === false,
    keepOnFailure: Boolean(raw.keepOnFailure),
    home: defaultHome(io.env),
  };
}

export interface MainOptions {
  io?: Partial<Io>;
  deps?: Partial<Deps>;
  /** Aborted by the caller on Ctrl-C; bin.ts wires it to SIGINT. */
  signal?: AbortSignal;
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
        if (verbose() && (result.stdout || result.stderr)) io.stderr.write(result.stdout + result.stderr);
      },
    }));
  const provider =
    partial?.provider ??
    (async (options: GlobalOptions) => (await import('./cluster/providers.js')).defaultProvider(options, exec));
  return { exec, provider };
}

/** Run the CLI; returns the exit code. Never throws, never calls process.exit. */
export async function main(argv: string[], options: MainOptions = {}): Promise<number> {
  const io: Io = {
    stdout: options.io?.stdout ?? process.stdout,
    stderr: options.io?.stderr ?? process.stderr,
    stdin: options.io?.stdin ?? process.stdin,
    env: options.io?.env ?? process.env,
    argv0: options.io?.argv0 ?? process.argv.slice(0, 2),
  };
  const signal = options.signal ?? new AbortController().signal;
  let lang: Lang = detectLang(undefined, io.env);
  let verbose = false;
  let exitCode: number = EXIT.ok;

  const program = new Command('expose-labs')
    .description('Hands-on labs: how Kubernetes Services reach the outside world, on a local kind cluster.')
    .version(readVersion(), '-v, --version')
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });

  for (const spec of COMMANDS) {
    const command = program.command(spec.name, { hidden: spec.hidden }).description(spec.summary);
    for (const option of [...(spec.options ?? []), ...globalOptions()]) command.addOption(option);
    command.action(async (...params: unknown[]) => {
      const cmd = params[params.length - 1] as Command;
      const raw = cmd.opts();
      const global = toGlobal(raw, io);
      lang = global.lang;
      verbose = global.verbose;
      const color = colorEnabled(io.stdout, io.env);
      const out = new Output(global.lang, io.stdout, io.stderr, color, global.verbose);
      const deps = await defaultDeps(options.deps, io, global);
      const interactive = Boolean(io.stdin.isTTY && io.stdout.isTTY) && !io.env.CI;
      const env: CommandEnv = { options: global, io, deps, out, signal, interactive };
      const input: CommandInput = { args: cmd.args, opts: raw };
      exitCode = await (await spec.load()).run(env, input);
    });
  }

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    return handleError(error, io, lang, verbose);
  }
}

/** The one top-level error handler: a clear message and an exit code, a stack trace only with --verbose. */
function handleError(error: unknown, io: Io, lang: Lang, verbose: boolean): number {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof InterruptedError || (error instanceof Error && error.name === 'ExitPromptError')) {
    io.stderr.write(tr({ ko: '\n중단했습니다. 진행 상황은 저장되어 있습니다.\n', en: '\nInterrupted. Your progress is saved.\n' }, lang));
    return EXIT.interrupted;
  }
  if (error instanceof UserError) {
    io.stderr.write(`✖ ${tr(error.text, lang)}\n`);
    if (error.hint) io.stderr.write(`  ${tr(error.hint, lang)}\n`);
    if (verbose && error.stack) io.stderr.write(error.stack + '\n');
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(
    tr(
      {
        ko: `✖ 예상하지 못한 오류: ${message}\n  --verbose 로 다시 실행하면 자세한 내용이 나옵니다. 버그라면 알려 주세요.\n`,
        en: `✖ Unexpected error: ${message}\n  Run again with --verbose for details. If this is a bug, please report it.\n`,
      },
      lang,
    ),
  );
  if (verbose && error instanceof Error && error.stack) io.stderr.write(error.stack + '\n');
  return EXIT.failure;
}
