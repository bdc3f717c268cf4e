import { DEFAULT_HOST_PORTS, type ClusterProvider } from '../../src/cluster/types.js';
import type { CommandEnv, GlobalOptions } from '../../src/commands/types.js';
import type { Exec } from '../../src/platform/command.js';
import { Output } from '../../src/ui/output.js';
import { captureIo } from './capture-io.js';

/**
 * A CommandEnv for calling one command's `run` directly: no terminal, no colour, English unless asked, a process
 * runner that fails the test on any call and no cluster unless the test gives them.
 */
export function commandEnv(
  over: {
    options?: Partial<GlobalOptions>;
    exec?: Exec;
    provider?: ClusterProvider;
    stdin?: string;
    interactive?: boolean;
    signal?: AbortSignal;
    env?: NodeJS.ProcessEnv;
  } = {},
) {
  const io = captureIo(over.env);
  if (over.stdin !== undefined) io.io.stdin.end(over.stdin);
  const options: GlobalOptions = {
    lang: 'en',
    yes: false,
    dryRun: false,
    json: false,
    verbose: false,
    clusterName: 'expose-labs',
    ports: { ...DEFAULT_HOST_PORTS },
    hostsFile: '/nonexistent/etc/hosts',
    noHosts: false,
    keepOnFailure: false,
    home: '/nonexistent/home',
    ...over.options,
  };
  const env: CommandEnv = {
    options,
    io: io.io,
    deps: {
      exec:
        over.exec ??
        (async (command) => {
          throw new Error(`unexpected command: ${command.file} ${command.args.join(' ')}`);
        }),
      provider: async () => over.provider ?? Promise.reject(new Error('this test gives no cluster provider')),
    },
    out: new Output(options.lang, io.io.stdout, io.io.stderr, false, options.verbose),
    signal: over.signal ?? new AbortController().signal,
    interactive: over.interactive ?? false,
  };
  return { env, stdout: io.stdout, stderr: io.stderr };
}
