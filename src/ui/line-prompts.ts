import { InterruptedError } from '../core/errors.js';
import { tr, type Lang, type Message } from '../core/i18n.js';

/**
 * Questions as plain lines, for screen readers (accessible mode): the choices are printed once, numbered, and the
 * answer is a line typed in the terminal's own line editing. Nothing is redrawn, no cursor is moved.
 */
class LineQueue {
  private buffer = '';
  private readonly lines: string[] = [];
  private waiter: ((line: string | undefined) => void) | undefined;
  private cancel: (() => void) | undefined;
  private ended = false;

  constructor(private readonly input: NodeJS.ReadableStream) {
    input.setEncoding('utf8');
    input.on('data', (chunk: string) => {
      this.buffer += chunk;
      for (let at = this.buffer.indexOf('\n'); at >= 0; at = this.buffer.indexOf('\n')) {
        this.lines.push(this.buffer.slice(0, at).replace(/\r$/, ''));
        this.buffer = this.buffer.slice(at + 1);
      }
      this.deliver();
    });
    input.on('end', () => {
      this.ended = true;
      this.deliver();
    });
  }

  private deliver(): void {
    if (!this.waiter) return;
    const line = this.lines.shift();
    if (line === undefined && !this.ended) return;
    const resolve = this.waiter;
    this.waiter = undefined;
    this.cancel?.();
    // Not reading between questions, so an idle prompt never keeps the process alive.
    this.input.pause();
    resolve(line);
  }

  /** The next line; undefined at the end of input. Ctrl-C (the signal) stops the wait. */
  next(signal?: AbortSignal): Promise<string | undefined> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new InterruptedError());
      const abort = () => {
        this.waiter = undefined;
        this.input.pause();
        reject(new InterruptedError());
      };
      signal?.addEventListener('abort', abort, { once: true });
      this.cancel = () => signal?.removeEventListener('abort', abort);
      this.waiter = resolve;
      this.input.resume();
      this.deliver();
    });
  }
}

const queues = new WeakMap<NodeJS.ReadableStream, LineQueue>();

async function readLine(io: LineIo): Promise<string> {
  let queue = queues.get(io.input);
  if (!queue) queues.set(io.input, (queue = new LineQueue(io.input)));
  const line = await queue.next(io.signal);
  // The input closed (Ctrl-D): nobody is there to answer.
  if (line === undefined) throw new InterruptedError();
  return line.trim();
}

export interface LineIo {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  lang: Lang;
  signal?: AbortSignal;
}

export interface LineChoice<T> {
  name: string;
  value: T;
  /** Why it cannot be chosen now. */
  disabled?: string;
}

const TEXT = {
  pick: (n: number, fallback?: number): Message => ({
    ko: `번호(1-${n})를 입력하고 Enter${fallback ? ` [기본 ${fallback}]` : ''}: `,
    en: `Type a number (1-${n}) and press Enter${fallback ? ` [default ${fallback}]` : ''}: `,
  }),
  unavailable: (why: string): Message => ({ ko: `고를 수 없음: ${why}`, en: `unavailable: ${why}` }),
  notChoice: (answer: string): Message => ({
    ko: `고를 수 있는 번호가 아닙니다: ${answer}`,
    en: `Not a choice: ${answer}`,
  }),
  yesNo: (yes: boolean): Message => ({
    ko: `(y/n) [기본 ${yes ? 'y' : 'n'}]: `,
    en: `(y/n) [default ${yes ? 'y' : 'n'}]: `,
  }),
} as const;

export async function lineSelect<T>(io: LineIo, message: string, choices: LineChoice<T>[], fallback?: T): Promise<T> {
  const { output, lang } = io;
  output.write(`${message}\n`);
  choices.forEach((c, i) =>
    output.write(`  ${i + 1}. ${c.name}${c.disabled ? ` (${tr(TEXT.unavailable(c.disabled), lang)})` : ''}\n`),
  );
  const defaultIndex = fallback === undefined ? -1 : choices.findIndex((c) => c.value === fallback && !c.disabled);
  for (;;) {
    output.write(tr(TEXT.pick(choices.length, defaultIndex >= 0 ? defaultIndex + 1 : undefined), lang));
    const answer = await readLine(io);
    if (answer === '' && defaultIndex >= 0) return choices[defaultIndex]!.value;
    const n = Number(answer);
    const chosen = Number.isInteger(n) ? choices[n - 1] : undefined;
    if (chosen && !chosen.disabled) return chosen.value;
    output.write(`${tr(TEXT.notChoice(answer), lang)}\n`);
  }
}

export async function lineConfirm(io: LineIo, message: string, fallback: boolean): Promise<boolean> {
  for (;;) {
    io.output.write(`${message} ${tr(TEXT.yesNo(fallback), io.lang)}`);
    const answer = (await readLine(io)).toLowerCase();
    if (answer === '') return fallback;
    if (['y', 'yes', '예', 'ㅇ'].includes(answer)) return true;
    if (['n', 'no', '아니오', 'ㄴ'].includes(answer)) return false;
  }
}

export async function lineEnter(io: LineIo, message: string): Promise<void> {
  io.output.write(`${message}\n`);
  await readLine(io);
}

/** A short typed answer, asked again with the reason while `validate` refuses it. */
export async function lineText(
  io: LineIo,
  message: string,
  validate: (value: string) => Message | undefined,
): Promise<string> {
  for (;;) {
    io.output.write(`${message}: `);
    const answer = await readLine(io);
    const problem = validate(answer);
    if (problem === undefined) return answer;
    io.output.write(`${tr(problem, io.lang)}\n`);
  }
}
