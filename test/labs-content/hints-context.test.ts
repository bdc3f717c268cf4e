import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const LABS = new URL('../../labs', import.meta.url).pathname;

/** README promises every kubectl line names the lab's context; the hints are kubectl lines a learner copies too. */
describe('hints name the lab context (issue 12, item 6)', () => {
  it('every kubectl in a hint, in both languages, carries --context', async () => {
    const bare: string[] = [];
    for (const folder of await readdir(LABS)) {
      const lab = parse(await readFile(join(LABS, folder, 'lab.yaml'), 'utf8')) as {
        steps: {
          id: string;
          hint: Record<string, string>;
          mistakes?: { id: string; hint: Record<string, string> }[];
        }[];
      };
      for (const step of lab.steps) {
        for (const [lang, text] of Object.entries(step.hint))
          for (const match of text.matchAll(/\bkubectl (?!--context )[^`\n]*/g))
            bare.push(`${folder}/${step.id} (${lang}): ${match[0]}`);
        // A mistake's hint replaces the step's; its prose may name kubectl, its commands (in backticks) are copied.
        for (const mistake of step.mistakes ?? [])
          for (const [lang, text] of Object.entries(mistake.hint))
            for (const match of text.matchAll(/`kubectl (?!--context )[^`]*`/g))
              bare.push(`${folder}/${step.id}/${mistake.id} (${lang}): ${match[0]}`);
      }
    }
    expect(bare).toEqual([]);
  });
});
