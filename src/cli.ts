import { Command, CommanderError, Option } from './commander.js';
import {
  commanderErrorText,
  commandTable,
  globalOptions,
  HELP_TITLES,
  langFromArgv,
  optionExtras,
} from './cli-commands.js';
import { setInvocation, toolCommand } from './platform/invocation.js';
import { toolVersion } from './platform/tool-info.js';
import type { CommandInput, Deps, Io } from './commands/types.js';
import { EXIT, InterruptedError, UsageError, UserError } from './core/errors.js';
import { exitCodeOf, unlessAborted } from './platform/interrupts.js';
import { detectLang, tr, type Lang } from './core/i18n.js';
import { displayWidth } from './ui/text-width.js';

/**
 * argv → command. Commands are imported only when chosen, so `--help` loads nothing but commander and the table in
 * cli-commands.ts. Help is in the learner's language (`--lang`, else the environment), like every other text.
 */
/** Headings in the learner's language; wrapping by display width, since Hangul takes two columns. */
function helpConfig(lang: Lang) {
  return {
    styleTitle: (title: string) => (HELP_TITLES[title] ? tr(HELP_TITLES[title], lang) : title),
    optionDescription: (option: Option) => optionExtras(option, lang),
    displayWidth,
    showGlobalOptions: true,
  };
}

export interface MainOptions {
  io?: Partial<Io>;
  deps?: Partial<Deps>;
  /** Aborted by the caller on Ctrl-C; bin.ts wires it to SIGINT. */
  signal?: AbortSignal;
}

/** Run the CLI; returns the exit code. Never throws, never calls process.exit. */
export async function main(argv: string[], options: MainOptions = {}): Promise<number> {
  const io: Io = {
    stdout: options.io?.stdout ?? process.stdout,
    stderr: options.io?.stderr ?? process.stderr,
    // process.stdin is made on first use (a TTY or pipe handle, a few ms), so only the commands that read it pay.
    get stdin() {
      return options.io?.stdin ?? process.stdin;
    },
    env: options.io?.env ?? process.env,
    argv0: options.io?.argv0 ?? process.argv.slice(0, 2),
  };
  const signal = options.signal ?? new AbortController().signal;
  setInvocation({ env: io.env, argv0: io.argv0 });
  let lang: Lang = detectLang(langFromArgv(argv), io.env);
  let verbose = false;
  let exitCode: number = EXIT.ok;

  const program = new Command('expose-labs')
    .description(
      tr(
        {
          ko: '실습: 쿠버네티스 서비스가 클러스터 밖으로 나가는 길을 로컬 kind 클러스터에서 직접 해 봅니다.',
          en: 'Hands-on labs: how Kubernetes Services reach the outside world, on a local kind cluster.',
        },
        lang,
      ),
    )
    .version(toolVersion(), '-v, --version', tr({ ko: '버전 출력', en: 'output the version number' }, lang))
    .helpOption('-h, --help', tr({ ko: '도움말 보기', en: 'display help for command' }, lang))
    .helpCommand('help [command]', tr({ ko: '명령의 도움말 보기', en: 'display help for command' }, lang))
    .configureHelp(helpConfig(lang))
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(commanderErrorText(s, lang)),
    });

  // Global flags live on the program only: commander accepts them before or after the command.
  for (const option of globalOptions(lang)) program.addOption(option);
  // `--json` belongs to the commands that print JSON; before the command it is taken here and handed to them.
  program.addOption(new Option('--json').hideHelp());
  for (const spec of commandTable(lang)) {
    const command = program
      .command(spec.name, { hidden: spec.hidden })
      .description(tr(spec.summary, lang))
      .helpOption('-h, --help', tr({ ko: '도움말 보기', en: 'display help for command' }, lang))
      .configureHelp(helpConfig(lang));
    for (const option of spec.options ?? []) command.addOption(option);
    command.action(async (...params: unknown[]) => {
      const cmd = params[params.length - 1] as Command;
      const raw = { ...program.opts(), ...cmd.opts() };
      if (program.opts().json && !(spec.options ?? []).some((o) => o.long === '--json')) {
        throw new UsageError({
          ko: `${spec.name.split(' ')[0]} 명령에는 --json 이 없습니다.`,
          en: `The ${spec.name.split(' ')[0]} command has no --json.`,
        });
      }
      const { commandEnv } = await import('./command-env.js');
      const env = await commandEnv({
        program,
        cmd,
        io,
        stdinGiven: options.io?.stdin !== undefined,
        raw,
        deps: options.deps,
        signal,
      });
      lang = env.options.lang;
      verbose = env.options.verbose;
      const input: CommandInput = { args: cmd.args, opts: raw };
      exitCode = await unlessAborted(
        spec.load().then((command) => command.run(env, input)),
        signal,
      );
    });
  }

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    return handleError(error, io, lang, verbose, signal);
  }
}

/** The one top-level error handler: a clear message and an exit code, a stack trace only with --verbose. */
function handleError(error: unknown, io: Io, lang: Lang, verbose: boolean, signal: AbortSignal): number {
  if (error instanceof CommanderError) {
    if (
      error.code === 'commander.helpDisplayed' ||
      error.code === 'commander.version' ||
      error.code === 'commander.help'
    )
      return EXIT.ok;
    if (error.exitCode === 0) return EXIT.ok;
    io.stderr.write(
      tr(
        {
          ko: `  사용법: ${toolCommand('--help')} (명령마다 ${toolCommand('<명령> --help')})\n`,
          en: `  Usage: ${toolCommand('--help')} (for one command: ${toolCommand('<command> --help')})\n`,
        },
        lang,
      ),
    );
    return EXIT.usage;
  }
  if (error instanceof InterruptedError || (error instanceof Error && error.name === 'ExitPromptError')) {
    io.stderr.write(
      tr(
        { ko: '\n중단했습니다. 진행 상황은 저장되어 있습니다.\n', en: '\nInterrupted. Your progress is saved.\n' },
        lang,
      ),
    );
    return exitCodeOf(signal);
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
