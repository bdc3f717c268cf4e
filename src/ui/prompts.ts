import { confirm as confirmPrompt, input as inputPrompt, select as selectPrompt } from '@inquirer/prompts';
import pc from 'picocolors';
import { InterruptedError, UsageError, type UserError } from '../core/errors.js';
import { tr, type Lang, type Message } from '../core/i18n.js';
import { lineConfirm, lineEnter, lineSelect, lineText } from './line-prompts.js';

export interface SelectChoice<T> {
  name: Message;
  value: T;
  description?: Message;
  /** true, or the reason it cannot be chosen now. */
  disabled?: boolean | Message;
}

export interface SelectQuestion<T> {
  message: Message;
  choices: SelectChoice<T>[];
  /** The flag (or argument) that answers this question without a terminal, named in the error. */
  flag: string;
  default?: T;
}

export interface ConfirmQuestion {
  message: Message;
  default: boolean;
  /** The flag that answers it without a terminal (usually `--yes`). */
  flag: string;
}

export interface TextQuestion {
  message: Message;
  /** The flag that answers it without a terminal. */
  flag: string;
  /** The reason an answer is refused, or undefined when it is fine. */
  validate: (value: string) => Message | undefined;
}

/** Every question the tool asks goes through here, so that none ever waits without a terminal. */
export interface Asker {
  select<T>(q: SelectQuestion<T>): Promise<T>;
  /** With `--yes` the answer is yes without asking. */
  confirm(q: ConfirmQuestion): Promise<boolean>;
  /** Waits for Enter on a terminal; returns at once without one. */
  pressEnter(message: Message): Promise<void>;
  /** A short answer typed by the learner (never answered by `--yes`). */
  text(q: TextQuestion): Promise<string>;
}

export interface AskerContext {
  lang: Lang;
  /** A person at a terminal (stdin and stdout are TTYs). */
  interactive: boolean;
  yes: boolean;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** Accessible mode: questions as numbered lines, answered by a typed line (no redrawing prompt). */
  accessible?: boolean;
  /** The command's Ctrl-C signal: a Ctrl-C that arrives while a question is open ends it as an interruption (a
   * question asked as a line stops waiting). */
  signal?: AbortSignal;
}

const ANSWERS = { yes: { ko: '예', en: 'Yes' }, no: { ko: '아니요', en: 'No' } } as const;

const KEY_ACTIONS: Record<string, Record<Lang, string>> = {
  navigate: { ko: '이동', en: 'navigate' },
  select: { ko: '선택', en: 'select' },
};

export function createAsker(ctx: AskerContext): Asker {
  const { lang } = ctx;
  const context = {
    ...(ctx.input ? { input: ctx.input } : {}),
    ...(ctx.output ? { output: ctx.output } : {}),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  };

  // Without a terminal the missing answer is a missing flag: a usage problem (exit 2).
  const noTerminal = (question: Message, flag: string): UserError =>
    new UsageError(
      {
        ko: `답이 필요한 질문이지만 물어볼 터미널이 없습니다: ${tr(question, 'ko')} — ${flag} 옵션으로 답을 주세요.`,
        en: `This needs an answer, but there is no terminal to ask on: ${tr(question, 'en')} — pass ${flag}.`,
      },
      {
        ko: `터미널에서 실행하거나 ${flag} 옵션을 붙여 다시 실행하세요.`,
        en: `Run it in a terminal, or run it again with ${flag}.`,
      },
    );

  const lines = { input: ctx.input ?? process.stdin, output: ctx.output ?? process.stdout, lang, signal: ctx.signal };

  return {
    async select<T>(q: SelectQuestion<T>): Promise<T> {
      if (ctx.signal?.aborted) throw new InterruptedError();
      if (!ctx.interactive) throw noTerminal(q.message, q.flag);
      if (ctx.accessible) {
        const choices = q.choices.map((c) => ({
          name: tr(c.name, lang) + (c.description === undefined ? '' : ` — ${tr(c.description, lang)}`),
          value: c.value,
          disabled:
            c.disabled === undefined || c.disabled === false
              ? undefined
              : c.disabled === true
                ? tr({ ko: '지금은 안 됨', en: 'not now' }, lang)
                : tr(c.disabled, lang),
        }));
        return lineSelect(lines, tr(q.message, lang), choices, q.default);
      }
      return ask(() =>
        selectPrompt<T>(
          {
            message: tr(q.message, lang),
            choices: q.choices.map((choice) => ({
              name: tr(choice.name, lang),
              value: choice.value,
              ...(choice.description === undefined ? {} : { description: tr(choice.description, lang) }),
              ...(choice.disabled === undefined
                ? {}
                : { disabled: typeof choice.disabled === 'boolean' ? choice.disabled : tr(choice.disabled, lang) }),
            })),
            ...(q.default === undefined ? {} : { default: q.default }),
            theme: {
              style: {
                keysHelpTip: (keys: [string, string][]) =>
                  keys
                    .map(([key, action]) => `${pc.bold(key)} ${pc.dim(KEY_ACTIONS[action]?.[lang] ?? action)}`)
                    .join(pc.dim(' • ')),
              },
            },
          },
          context,
        ),
      );
    },

    async confirm(q: ConfirmQuestion): Promise<boolean> {
      if (ctx.signal?.aborted) throw new InterruptedError();
      if (ctx.yes) return true;
      if (!ctx.interactive) throw noTerminal(q.message, q.flag);
      if (ctx.accessible) return lineConfirm(lines, tr(q.message, lang), q.default);
      return ask(() =>
        confirmPrompt(
          {
            message: tr(q.message, lang),
            default: q.default,
            // The answer echoed after the question, in the learner's language (inquirer writes Yes/No).
            transformer: (answer: boolean) => tr(answer ? ANSWERS.yes : ANSWERS.no, lang),
          },
          context,
        ),
      );
    },

    async pressEnter(message: Message): Promise<void> {
      if (!ctx.interactive) return;
      if (ctx.accessible) return lineEnter(lines, tr(message, lang));
      // Whatever is typed before Enter is not an answer: show nothing of it.
      await ask(() => inputPrompt({ message: tr(message, lang), transformer: () => '' }, context));
    },

    async text(q: TextQuestion): Promise<string> {
      if (ctx.signal?.aborted) throw new InterruptedError();
      if (!ctx.interactive) throw noTerminal(q.message, q.flag);
      if (ctx.accessible) return lineText(lines, tr(q.message, lang), q.validate);
      return ask(() =>
        inputPrompt(
          {
            message: tr(q.message, lang),
            validate: (value) => {
              const problem = q.validate(value);
              return problem === undefined ? true : tr(problem, lang);
            },
          },
          context,
        ),
      );
    },
  };
}

/** Ctrl-C inside a prompt (inquirer's ExitPromptError, or a cancelled prompt) is an interruption: exit 130. */
async function ask<T>(prompt: () => Promise<T>): Promise<T> {
  try {
    return await prompt();
  } catch (error) {
    if (error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError')) {
      throw new InterruptedError();
    }
    throw error;
  }
}
