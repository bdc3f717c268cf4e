import { Writable } from 'node:stream';
import { PassThrough } from 'node:stream';
import type { ClusterProvider } from '../../src/cluster/types.js';
import { DEFAULT_HOST_PORTS } from '../../src/cluster/types.js';
import type { CommandEnv, GlobalOptions } from '../../src/commands/types.js';
import type { Exec } from '../../src/platform/command.js';
import { Output } from '../../src/ui/output.js';

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** A CommandEnv for running one command's `run` directly: no terminal, no colour, English unless asked. */
export function commandEnv(
  exec: Exec,
  options: Partial<GlobalOptions> = {},
  extra: { provider?: ClusterProvider; interactive?: boolean; signal?: AbortSignal; env?: NodeJS.ProcessEnv } = {},
) {
  const stdout = new Sink();
  const stderr = new Sink();
  const global: GlobalOptions = {
    lang: 'en',
    yes: false,
    dryRun: false,
    json: false,
    verbose: false,
    clusterName: 'expose-labs',
    ports: { ...DEFAULT_HOST_PORTS },
    hostsFile: '/nonexistent/hosts',
    noHosts: false,
    keepOnFailure: false,
    home: '/nonexistent/home',
    ...options,
  };
  const env: CommandEnv = {
    options: global,
    io: { stdout, stderr, stdin: new PassThrough(), env: extra.env ?? {}, argv0: ['node', 'expose-labs'] },
    deps: {
      exec,
      provider: async () => {
        if (!extra.provider) throw new Error('this test gives no provider');
        return extra.provider;
      },
    },
    out: new Output(global.lang, stdout, stderr, false),
    signal: extra.signal ?? new AbortController().signal,
    interactive: extra.interactive ?? false,
  };
  return { env, stdout: () => stdout.text, stderr: () => stderr.text };
}
