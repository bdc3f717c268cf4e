import { stripVTControlCharacters } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InterruptedError, UserError } from '../../src/core/errors.js';
import { choosePlain, createReporter, runTaskList } from '../../src/ui/tasks.js';
import { captureOutput } from './capture.js';

const never = new AbortController().signal;

describe('choosePlain', () => {
  const tty = { isTTY: true };
  it('is live only on a terminal outside CI, with a capable TERM and without --verbose', () => {
    expect(choosePlain({ stdout: tty, env: { TERM: 'xterm-256color' } }, false)).toBe(false);
    expect(choosePlain({ stdout: {}, env: {} }, false)).toBe(true);
    expect(choosePlain({ stdout: tty, env: { CI: 'true' } }, false)).toBe(true);
    expect(choosePlain({ stdout: tty, env: { CI: 'false' } }, false)).toBe(false);
    expect(choosePlain({ stdout: tty, env: { TERM: 'dumb' } }, false)).toBe(true);
    expect(choosePlain({ stdout: tty, env: {} }, true)).toBe(true);
  });
});

describe('createReporter (plain)', () => {
  it('prints ▶ / ✔ with the duration, notes indented, and returns the value', async () => {
    const { out, stdout } = captureOutput('en');
    const reporter = createReporter(out, { plain: true });
    const value = await reporter.task({ ko: '클러스터 만들기', en: 'Create the cluster' }, async (signal) => {
      expect(signal.aborted).toBe(false);
      reporter.note('kind create cluster --name expose-labs');
      return 42;
    });
    reporter.note({ ko: '끝', en: 'done' });
    expect(value).toBe(42);
    expect(stdout.text).toMatch(
      /^▶ Create the cluster\n {2}kind create cluster --name expose-labs\n✔ Create the cluster \(\d+\.\d s\)\ndone\n$/,
    );
  });

  it('prints ✖ with the localized message and rethrows the same error', async () => {
    const { out, stdout } = captureOutput('ko');
    const reporter = createReporter(out, { plain: true });
    const error = new UserError({ ko: '포트 80이 이미 사용 중입니다', en: 'port 80 is taken' });
    await expect(reporter.task('Install Contour', async () => Promise.reject(error))).rejects.toBe(error);
    expect(stdout.text).toBe('▶ Install Contour\n✖ Install Contour: 포트 80이 이미 사용 중입니다\n');
  });

  it('hands the given signal to each task', async () => {
    const controller = new AbortController();
    const { out } = captureOutput();
    const reporter = createReporter(out, { plain: true, signal: controller.signal });
    await reporter.task('t', async (signal) => expect(signal).toBe(controller.signal));
  });
});

describe('runTaskList (plain)', () => {
  it('names each task, shows its command, reports a failure without throwing', async () => {
    const { out, stdout } = captureOutput('en');
    const results = await runTaskList(
      out,
      [
        {
          title: { ko: '서비스가 NodePort다', en: 'the Service is a NodePort' },
          run: async (_signal, update) => {
            update('$ kubectl get service jordy-node-port-svc -o json');
            return 'ok';
          },
        },
        {
          title: 'curl reaches a jordy pod',
          run: async (_signal, update) => {
            update('$ curl -sS http://127.0.0.1:30000/');
            update('$ curl -sS http://127.0.0.1:30000/\nnot yet: connection refused');
            update('$ curl -sS http://127.0.0.1:30000/\nnot yet: connection refused');
            return { failed: { ko: '연결 거부', en: 'connection refused' } };
          },
        },
        { title: 'LoadBalancer spread', run: async () => ({ skipped: 'needs a LoadBalancer' }) },
        {
          title: 'throws',
          run: async () => {
            throw new UserError({ ko: '고장', en: 'broken tool' });
          },
        },
      ],
      { plain: true, signal: never },
    );
    expect(results).toEqual([
      { title: 'the Service is a NodePort', outcome: 'ok' },
      { title: 'curl reaches a jordy pod', outcome: 'failed', message: 'connection refused' },
      { title: 'LoadBalancer spread', outcome: 'skipped', message: 'needs a LoadBalancer' },
      { title: 'throws', outcome: 'failed', message: 'broken tool' },
    ]);
    const text = stdout.text.replace(/\(\d+\.\d s\)/g, '(T)');
    expect(text).toBe(
      [
        '▶ the Service is a NodePort',
        '  $ kubectl get service jordy-node-port-svc -o json',
        '✔ the Service is a NodePort (T)',
        '▶ curl reaches a jordy pod',
        '  $ curl -sS http://127.0.0.1:30000/',
        '  not yet: connection refused',
        '✖ curl reaches a jordy pod: connection refused',
        '▶ LoadBalancer spread',
        '↓ LoadBalancer spread: needs a LoadBalancer',
        '▶ throws',
        '✖ throws: broken tool',
        '',
      ].join('\n'),
    );
  });

  it('numbers the lines of concurrent tasks and keeps results in task order', async () => {
    const { out, stdout } = captureOutput('en');
    let releaseFirst!: () => void;
    const firstMayEnd = new Promise<void>((resolve) => (releaseFirst = resolve));
    const results = await runTaskList(
      out,
      [
        {
          title: 'slow',
          run: async (_signal, update) => {
            update('$ first');
            await firstMayEnd;
            return { failed: 'late' };
          },
        },
        {
          title: 'fast',
          run: async (_signal, update) => {
            update('$ second');
            releaseFirst();
            return 'ok';
          },
        },
      ],
      { plain: true, signal: never, concurrent: true },
    );
    expect(results.map((result) => result.outcome)).toEqual(['failed', 'ok']);
    const lines = stdout.text.trimEnd().split('\n');
    expect(lines).toContain('  [1] $ first');
    expect(lines).toContain('  [2] $ second');
    expect(lines.indexOf(lines.find((line) => line.startsWith('✔ [2] fast'))!)).toBeLessThan(
      lines.indexOf('✖ [1] slow: late'),
    );
  });

  it('falls back to plain lines when stdout is not a terminal, even if plain was not asked for', async () => {
    const descriptor = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY');
    Object.defineProperty(process.stdout, 'isTTY', { value: false, configurable: true });
    try {
      const { out, stdout } = captureOutput('ko');
      await runTaskList(out, [{ title: { ko: '확인', en: 'check' }, run: async () => 'ok' }], {
        plain: false,
        signal: never,
      });
      expect(stdout.text).toMatch(/^▶ 확인\n✔ 확인 \(\d+\.\d s\)\n$/);
    } finally {
      if (descriptor) Object.defineProperty(process.stdout, 'isTTY', descriptor);
      else delete (process.stdout as { isTTY?: boolean }).isTTY;
    }
  });

  it('on Ctrl-C skips tasks not started and throws InterruptedError once the list stopped', async () => {
    const controller = new AbortController();
    const { out } = captureOutput('en');
    let secondRan = false;
    const run = runTaskList(
      out,
      [
        {
          title: 'first',
          run: async (signal) => {
            controller.abort();
            expect(signal.aborted).toBe(true);
            return { failed: 'stopped' };
          },
        },
        {
          title: 'second',
          run: async () => {
            secondRan = true;
            return 'ok';
          },
        },
      ],
      { plain: true, signal: controller.signal },
    );
    await expect(run).rejects.toBeInstanceOf(InterruptedError);
    expect(secondRan).toBe(false);
  });
});

describe('runTaskList and createReporter on a terminal (listr2)', () => {
  let written = '';
  let restore: () => void = () => {};

  beforeEach(() => {
    written = '';
    const descriptor = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY');
    Object.defineProperty(process.stdout, 'isTTY', { value: true, configurable: true });
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written += chunk.toString();
      return true;
    });
    restore = () => {
      write.mockRestore();
      if (descriptor) Object.defineProperty(process.stdout, 'isTTY', descriptor);
      else delete (process.stdout as { isTTY?: boolean }).isTTY;
    };
  });
  afterEach(() => restore());

  it('draws the list, leaves Ctrl-C to us and does not throw for a failed task', async () => {
    const sigintListeners = process.listenerCount('SIGINT');
    const { out } = captureOutput('en');
    const results = await runTaskList(
      out,
      [
        {
          title: 'the Service exists',
          run: async (_signal, update) => {
            update('$ kubectl get service jordy -o json');
            expect(process.listenerCount('SIGINT')).toBe(sigintListeners);
            return 'ok';
          },
        },
        { title: 'curl answers', run: async () => ({ failed: 'connection refused' }) },
      ],
      { plain: false, signal: never },
    );
    expect(results.map((result) => result.outcome)).toEqual(['ok', 'failed']);
    const screen = stripVTControlCharacters(written);
    expect(screen).toContain('the Service exists');
    expect(screen).toContain('$ kubectl get service jordy -o json');
    expect(screen).toContain('connection refused');
  });

  it('reporter rethrows the task error', async () => {
    const { out } = captureOutput('en');
    const reporter = createReporter(out, { plain: false });
    const error = new Error('boom');
    await expect(reporter.task('fails', async () => Promise.reject(error))).rejects.toBe(error);
    await expect(reporter.task('works', async () => 'value')).resolves.toBe('value');
    expect(stripVTControlCharacters(written)).toContain('works');
  });
});
