import { PassThrough, Writable } from 'node:stream';

/** A terminal stand-in for `main(argv, {io})`: collects what the CLI writes; stdin is not a TTY unless asked. */
export function captureIo(env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const out = new Writable({
    write(chunk, _enc, done) {
      stdout += String(chunk);
      done();
    },
  }) as Writable & { isTTY?: boolean; columns?: number };
  const err = new Writable({
    write(chunk, _enc, done) {
      stderr += String(chunk);
      done();
    },
  });
  const stdin = new PassThrough() as PassThrough & { isTTY?: boolean };
  return {
    io: { stdout: out, stderr: err, stdin, env: { NO_COLOR: '1', ...env }, argv0: ['node', 'expose-labs'] },
    stdout: () => stdout,
    stderr: () => stderr,
  };
}
