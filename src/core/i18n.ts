/** Every text a learner reads exists in Korean and English. */
export type Lang = 'ko' | 'en';

export interface Text {
  ko: string;
  en: string;
}

/** A learner-facing message: fixed text in both languages, or a plain string (commands, file names, data). */
export type Message = Text | string;

export function tr(message: Message, lang: Lang): string {
  return typeof message === 'string' ? message : message[lang];
}

export function isLang(value: unknown): value is Lang {
  return value === 'ko' || value === 'en';
}

/** `--lang`, else EXPOSE_LABS_LANG, else the locale (LC_ALL, LC_MESSAGES, LANG), else English. */
export function detectLang(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): Lang {
  const given = flag?.toLowerCase();
  if (isLang(given)) return given;
  if (isLang(env.EXPOSE_LABS_LANG)) return env.EXPOSE_LABS_LANG;
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^ko\b|^ko_/i.test(locale) ? 'ko' : 'en';
}
