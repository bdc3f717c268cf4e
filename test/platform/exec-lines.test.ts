import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../../src/core/errors.js';
import { createExec } from '../../src/platform/exec.js';

const node = process.execPath;

/** A long-running command (`kubectl get --watch`) read line by line as it prints, and ended by its signal. */
describe('exec with onLine', () => {
  it('hands on each line as it comes (LF or CRLF, split across writes), keeping none in memory', async () => {
    const lines: string[] = [];
    const result = await createExec()(
      {
        file: node,
        args: [
          '-e',
          'process.stdout.write("service/a\\nserv"); setTimeout(() => process.stdout.write("ice/b\\r\\n"), 50)',
        ],
      },
      { onLine: (line) => lines.push(line) },
    );
    expect(lines).toEqual(['service/a', 'service/b']);
    expect(result).toMatchObject({ exitCode: 0, stdout: '', failed: false });
  });

  it('hands on a last line that has no line end', async () => {
    const lines: string[] = [];
    await createExec()(
      { file: node, args: ['-e', 'process.stdout.write("service/a\\nservice/b")'] },
      { onLine: (line) => lines.push(line) },
    );
    expect(lines).toEqual(['service/a', 'service/b']);
  });

  it('a line arrives while the process still runs, and aborting ends the process with InterruptedError', async () => {
    const controller = new AbortController();
    let seen: (line: string) => void = () => {};
    const first = new Promise<string>((resolve) => (seen = resolve));
    const running = createExec()(
      { file: node, args: ['-e', 'console.log("ingress/x"); setInterval(() => {}, 1000)'] },
      { signal: controller.signal, onLine: (line) => seen(line) },
    );
    expect(await first).toBe('ingress/x');
    controller.abort();
    await expect(running).rejects.toBeInstanceOf(InterruptedError);
  });
});
