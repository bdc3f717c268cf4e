import { describe, expect, it } from 'vitest';
import { CommandFailedError, InterruptedError, ToolMissingError } from '../../src/core/errors.js';
import { formatCommand } from '../../src/platform/command.js';
import { createDryRunExec, createExec, run } from '../../src/platform/exec.js';

const node = process.execPath;

describe('exec: the one place that runs processes', () => {
  it('returns output and exit code without throwing on failure', async () => {
    const exec = createExec();
    const ok = await exec({ file: node, args: ['-e', 'process.stdout.write("hi")'] });
    expect(ok).toMatchObject({ exitCode: 0, stdout: 'hi', failed: false });
    const bad = await exec({ file: node, args: ['-e', 'process.stderr.write("nope"); process.exit(3)'] });
    expect(bad).toMatchObject({ exitCode: 3, stderr: 'nope', failed: true });
  });

  it('gives non-interactive children no stdin, so a child that reads it cannot hang', async () => {
    const exec = createExec();
    const start = Date.now();
    const result = await exec({
      file: node,
      args: ['-e', 'let n=0; process.stdin.on("data", d => n += d.length).on("end", () => console.log("eof", n))'],
    });
    expect(result.stdout.trim()).toBe('eof 0');
    expect(Date.now() - start).toBeLessThan(5000);
    const fed = await exec({ file: node, args: ['-e', 'process.stdin.pipe(process.stdout)'], input: 'manifest' });
    expect(fed.stdout).toBe('manifest');
  });

  it('names a missing program and how to install it', async () => {
    const exec = createExec();
    const error = await exec({ file: 'kubectl', args: ['version'], env: { PATH: '/nonexistent' } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ToolMissingError);
    expect((error as ToolMissingError).text).toEqual({
      ko: 'kubectl을 찾을 수 없습니다.',
      en: 'kubectl not found.',
    });
    expect(JSON.stringify((error as ToolMissingError).hint)).toContain('https://kubernetes.io/docs/tasks/tools/');
  });

  it('stops the child on abort and reports an interruption', async () => {
    const exec = createExec();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const start = Date.now();
    await expect(
      exec({ file: node, args: ['-e', 'setTimeout(() => {}, 60000)'] }, { signal: controller.signal }),
    ).rejects.toBeInstanceOf(InterruptedError);
    expect(Date.now() - start).toBeLessThan(5000);
  });

  it('run() turns a failure into a message with the command line and stderr', async () => {
    const error = await run(createExec(), { file: node, args: ['-e', 'console.error("boom"); process.exit(2)'] }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CommandFailedError);
    expect((error as CommandFailedError).message).toMatch(/exit 2.*\n.*boom/);
  });

  it('--dry-run prints each command, pasteable, and runs none', async () => {
    const lines: string[] = [];
    const exec = createDryRunExec((line) => lines.push(line));
    const result = await exec({
      file: 'kubectl',
      args: ['--context', 'kind-expose-labs', 'apply', '-f', '/tmp/my dir/svc.yaml'],
    });
    expect(result).toMatchObject({ exitCode: 0, failed: false });
    expect(lines).toEqual(["kubectl --context kind-expose-labs apply -f '/tmp/my dir/svc.yaml'"]);
    expect(formatCommand({ file: 'echo', args: ["it's"] })).toBe(`echo 'it'\\''s'`);
  });
});
