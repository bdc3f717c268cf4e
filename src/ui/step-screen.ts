import { tr, type Lang, type Text } from '../core/i18n.js';
import { renderInline, renderMarkdown } from './markdown.js';
import type { LexedTable } from './markdown-lexer.js';
import type { Colors } from './output.js';
import { displayWidth, padDisplay } from './text-width.js';
import { highlightYaml } from './yaml-highlight.js';

const TEXT = {
  step: (n: number, total: number): Text => ({ ko: `${total}단계 중 ${n}단계`, en: `Step ${n} of ${total}` }),
  file: { ko: '파일', en: 'File' },
  commands: { ko: '명령', en: 'Commands' },
  seen: { ko: '관찰한 것', en: 'Seen' },
  expected: { ko: '기대한 것', en: 'Expected' },
  cause: { ko: '가능한 원인', en: 'Likely cause' },
  mistake: { ko: '흔한 실수', en: 'Known mistake' },
  hint: { ko: '힌트', en: 'Hint' },
  command: { ko: '직접 확인', en: 'Try it' },
} as const;

const CODE_INDENT = '    ';

export interface StepScreenArgs {
  lang: Lang;
  colors: Colors;
  width: number;
  labTitle: string;
  /** Zero-based position of the step in its lab; shown as n/N counting from 1. */
  stepIndex: number;
  stepCount: number;
  title: string;
  explainMd: string;
  /** Fills the explanation's placeholders (after lexing: markdown.ts). */
  fill?: (text: string) => string;
  /** The build's Markdown tokens for the lab's texts. */
  lexed?: LexedTable;
  files: { path: string; content: string }[];
  commands: string[];
  /** The lab's traffic path, already drawn (ui/path-diagram.ts); shown after the explanation. */
  path?: string;
}

/**
 * What a learner sees for a step: a header rule with the lab and "step n of N", the step title, the explanation
 * rendered, each file (highlighted when YAML/JSON) under its path, then the commands as `$ …` lines.
 * Returns lines without a final newline.
 */
export function renderStepScreen(args: StepScreenArgs): string {
  const { colors, lang } = args;
  const width = Math.max(20, args.width);
  const label = `${args.labTitle} · ${tr(TEXT.step(args.stepIndex + 1, args.stepCount), lang)}`;
  // The rule fills the line; when the label alone nearly fills it, the rule is left out rather than wrapped.
  const room = width - displayWidth(label) - 4;
  const rule = room >= 2 ? ` ${colors.dim('━'.repeat(room))}` : '';
  const sections: string[] = [`${colors.dim('━━')} ${colors.cyan(label)}${rule}\n${colors.bold(args.title)}`];
  if (args.explainMd.trim() !== '')
    sections.push(renderMarkdown(args.explainMd, { colors, width, fill: args.fill, lexed: args.lexed }));
  if (args.path) sections.push(args.path);
  for (const file of args.files) {
    const content = file.content.replace(/\r?\n$/, '');
    const body = /\.(ya?ml|json)$/i.test(file.path) ? highlightYaml(content, colors) : content;
    sections.push(
      `${colors.bold(tr(TEXT.file, lang))} ${colors.underline(file.path)}\n${indentLines(body, CODE_INDENT)}`,
    );
  }
  if (args.commands.length > 0) {
    const commands = args.commands.map((command) => CODE_INDENT + colors.dim('$ ') + colors.cyan(command));
    sections.push([colors.bold(tr(TEXT.commands, lang)), ...commands].join('\n'));
  }
  return sections.join('\n\n');
}

export interface CheckFailureArgs {
  lang: Lang;
  colors: Colors;
  title: string;
  observed: string;
  expected: string;
  command: string;
  cause?: string;
  /** The name of the known mistake this observation matches (its hint then replaces the step's). */
  mistake?: string;
  hint?: string;
}

/** A failed check explained: what was seen, what was expected, the likely cause, the hint, the command to try. */
export function renderCheckFailure(args: CheckFailureArgs): string {
  const { colors, lang } = args;
  const rows: [Text, string][] = [
    [TEXT.seen, args.observed],
    [TEXT.expected, args.expected],
  ];
  if (args.cause) rows.push([TEXT.cause, renderInline(args.cause, colors)]);
  if (args.mistake) rows.push([TEXT.mistake, colors.yellow(renderInline(args.mistake, colors))]);
  if (args.hint) rows.push([TEXT.hint, renderInline(args.hint, colors)]);
  rows.push([TEXT.command, colors.dim('$ ') + colors.cyan(args.command)]);
  const labelWidth = Math.max(...rows.map(([label]) => displayWidth(tr(label, lang))));
  const continuation = ' '.repeat(2 + labelWidth + 2);
  const lines = rows.map(
    ([label, value]) =>
      `  ${colors.dim(padDisplay(tr(label, lang), labelWidth))}  ${value.replace(/\n/g, '\n' + continuation)}`,
  );
  return [`${colors.red('✖')} ${colors.bold(args.title)}`, ...lines].join('\n');
}

function indentLines(text: string, indent: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? '' : indent + line))
    .join('\n');
}
