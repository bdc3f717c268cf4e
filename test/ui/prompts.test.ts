import { PassThrough } from 'node:stream';
import { render } from '@inquirer/testing';
import { describe, expect, it } from 'vitest';
import { InterruptedError, UserError } from '../../src/core/errors.js';
import type { Lang } from '../../src/core/i18n.js';
import { createAsker, type Asker, type ConfirmQuestion, type SelectQuestion } from '../../src/ui/prompts.js';

type Context = { input?: NodeJS.ReadableStream; output?: NodeJS.WritableStream };
type Prompt<Value, Question> = (q: Question, context?: Context) => Promise<Value> & { cancel: () => void };

/**
 * One of our Asker methods as an inquirer-style prompt, so @inquirer/testing drives it through its streams.
 * (`cancel` is only there for render's type; it is deprecated and never called.)
 */
function asPrompt<Question, Value>(
  ask: (asker: Asker, q: Question) => Promise<Value>,
  lang: Lang,
  yes = false,
): Prompt<Value, Question> {
  return (q, context) =>
    Object.assign(ask(createAsker({ lang, interactive: true, yes, ...context }), q), { cancel: () => undefined });
}
const selectVia = (lang: Lang) => asPrompt((asker, q: SelectQuestion<string>) => asker.select(q), lang);
const confirmVia = (lang: Lang, yes = false) => asPrompt((asker, q: ConfirmQuestion) => asker.confirm(q), lang, yes);

const MENU: SelectQuestion<string> = {
  message: { ko: '무엇을 할까요?', en: 'What next?' },
  flag: '--action',
  choices: [
    {
      name: { ko: '대신 실행', en: 'Run it for me' },
      value: 'run',
      description: { ko: '명령을 실행합니다', en: 'Runs the commands' },
    },
    { name: { ko: '직접 실행', en: "I'll run it myself" }, value: 'self' },
    { name: { ko: '건너뛰기', en: 'Skip' }, value: 'skip', disabled: { ko: '(마지막 단계)', en: '(last step)' } },
    { name: { ko: '힌트', en: 'Hint' }, value: 'hint' },
  ],
};

describe('Asker on a terminal (@inquirer/testing)', () => {
  it('select shows localized choices and key help, and returns the chosen value', async () => {
    const { answer, events, getScreen } = await render(selectVia('ko'), MENU);
    const screen = getScreen();
    expect(screen).toContain('무엇을 할까요?');
    expect(screen).toContain('대신 실행');
    expect(screen).toContain('명령을 실행합니다');
    expect(screen).toContain('(마지막 단계)');
    expect(screen).toContain('이동');
    events.keypress('down');
    events.keypress('down'); // skips the disabled choice
    events.keypress('enter');
    await expect(answer).resolves.toBe('hint');
  });

  it('select starts on the default', async () => {
    const { answer, events } = await render(selectVia('en'), { ...MENU, default: 'self' });
    events.keypress('enter');
    await expect(answer).resolves.toBe('self');
  });

  it('confirm takes y/n and its default', async () => {
    const question: ConfirmQuestion = {
      message: { ko: '클러스터를 만들까요?', en: 'Create the cluster?' },
      default: true,
      flag: '--yes',
    };
    const first = await render(confirmVia('en'), question);
    expect(first.getScreen()).toContain('Create the cluster?');
    first.events.type('n');
    first.events.keypress('enter');
    await expect(first.answer).resolves.toBe(false);

    const second = await render(confirmVia('en'), question);
    second.events.keypress('enter');
    await expect(second.answer).resolves.toBe(true);
  });

  it('confirm echoes the answer in the learner language (inquirer writes Yes/No)', async () => {
    const question: ConfirmQuestion = { message: { ko: '만들까요?', en: 'Create?' }, default: true, flag: '--yes' };
    const ko = await render(confirmVia('ko'), question);
    ko.events.keypress('enter');
    await expect(ko.answer).resolves.toBe(true);
    expect(ko.getScreen()).toMatch(/만들까요\? 예$/m);
    expect(ko.getScreen()).not.toContain('Yes');
    const no = await render(confirmVia('ko'), question);
    no.events.type('n');
    no.events.keypress('enter');
    await expect(no.answer).resolves.toBe(false);
    expect(no.getScreen()).toMatch(/만들까요\? 아니요$/m);
  });

  it('--yes answers confirm without asking', async () => {
    const { answer, getFullOutput } = await render(confirmVia('en', true), {
      message: 'Delete the cluster?',
      default: false,
      flag: '--yes',
    });
    await expect(answer).resolves.toBe(true);
    expect(getFullOutput()).toBe('');
  });

  it('pressEnter waits for Enter', async () => {
    const pressEnter = asPrompt((asker, message: string) => asker.pressEnter(message), 'en');
    const { answer, events, getScreen } = await render(pressEnter, 'Press Enter for the next step');
    expect(getScreen()).toContain('Press Enter for the next step');
    let done = false;
    void answer.then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(done).toBe(false);
    events.keypress('enter');
    await expect(answer).resolves.toBeUndefined();
  });

  it('Ctrl-C inside a prompt becomes InterruptedError', async () => {
    const { answer, events } = await render(selectVia('en'), MENU);
    events.keypress({ name: 'c', ctrl: true });
    await expect(answer).rejects.toBeInstanceOf(InterruptedError);
  });
});

describe('Asker without a terminal', () => {
  /** An input that never delivers a key: a prompt reading it would hang the test. */
  const silentInput = (): PassThrough => new PassThrough();
  /** Settles with the result or the error, or 'waited' if the call was still pending after 200 ms. */
  const settleQuickly = (promise: Promise<unknown>): Promise<unknown> =>
    Promise.race([
      promise.catch((caught: unknown) => caught),
      new Promise((resolve) => setTimeout(() => resolve('waited'), 200)),
    ]);

  it('select throws a UserError naming the flag, at once', async () => {
    const asker = createAsker({
      lang: 'en',
      interactive: false,
      yes: true,
      input: silentInput(),
      output: new PassThrough(),
    });
    const error = await settleQuickly(asker.select(MENU));
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).text).toEqual({
      ko: expect.stringContaining('--action'),
      en: expect.stringContaining('--action'),
    });
    expect((error as UserError).message).toContain('What next?');
  });

  it('confirm returns true with --yes, else throws a UserError naming the flag (ko and en)', async () => {
    const question: ConfirmQuestion = {
      message: { ko: '다시 만들까요?', en: 'Recreate it?' },
      default: false,
      flag: '--recreate',
    };
    await expect(createAsker({ lang: 'ko', interactive: false, yes: true }).confirm(question)).resolves.toBe(true);
    const error = await settleQuickly(
      createAsker({ lang: 'ko', interactive: false, yes: false, input: silentInput() }).confirm(question),
    );
    expect(error).toBeInstanceOf(UserError);
    const { text, hint } = error as UserError;
    expect(typeof text === 'object' && text.ko).toContain('--recreate');
    expect(typeof text === 'object' && text.ko).toContain('다시 만들까요?');
    expect(typeof text === 'object' && text.en).toContain('pass --recreate');
    expect(hint).toBeDefined();
  });

  it('pressEnter returns at once', async () => {
    const asker = createAsker({ lang: 'en', interactive: false, yes: false, input: silentInput() });
    expect(await settleQuickly(asker.pressEnter('Press Enter'))).toBeUndefined();
  });
});
