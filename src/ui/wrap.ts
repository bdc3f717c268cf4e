import { displayWidth } from './text-width.js';

/**
 * Word-wrap plain lines to the terminal by display width (Hangul takes two columns; colour codes none). The first
 * line starts at `firstIndent`, the rest at `restIndent`, so a hanging indent keeps a list readable. A word longer
 * than the line stays whole: paths and URLs must stay pasteable, and so does a command marked with `unbroken`.
 */
export function wrapText(text: string, width: number, firstIndent = '', restIndent = firstIndent): string {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = out.length === 0 ? firstIndent : restIndent;
    let empty = true;
    for (const word of paragraph.split(' ').filter((w) => w !== '')) {
      const candidate = empty ? line + word : `${line} ${word}`;
      if (!empty && displayWidth(candidate) > width) {
        out.push(line);
        line = restIndent + word;
      } else {
        line = candidate;
      }
      empty = false;
    }
    out.push(line);
  }
  return out.join('\n').replace(/\u00a0/g, ' ');
}

/** Keep a command on one line when the text around it is wrapped (its spaces become no-break until printed). */
export function unbroken(command: string): string {
  return command.replace(/ /g, '\u00a0');
}
