import { render } from '@inquirer/testing';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { createAsker, type TextQuestion } from '../../src/ui/prompts.js';

/** Asker.text (the room's display name): typed on a terminal, refused while invalid, never answered by --yes. */
const NAME: TextQuestion = {
  message: { ko: '방에서 보일 이름', en: 'Your name in the room' },
  flag: '--room-name',
  validate: (value) => (value.trim() ? undefined : { ko: '이름을 써 주세요.', en: 'Type a name.' }),
};

const textVia = (q: TextQuestion, context?: { input?: NodeJS.ReadableStream; output?: NodeJS.WritableStream }) =>
  Object.assign(createAsker({ lang: 'en', interactive: true, yes: true, ...context }).text(q), {
    cancel: () => undefined,
  });

describe('Asker.text', () => {
  it('asks, refuses an invalid answer with its reason, returns the typed one', async () => {
    const { answer, events, getScreen } = await render(textVia, NAME);
    expect(getScreen()).toContain('Your name in the room');
    events.keypress('enter');
    await new Promise((r) => setTimeout(r, 20));
    expect(getScreen()).toContain('Type a name.');
    events.type('Mina');
    events.keypress('enter');
    await expect(answer).resolves.toBe('Mina');
  });

  it('without a terminal it names the flag, even with --yes', async () => {
    const asker = createAsker({ lang: 'en', interactive: false, yes: true });
    await expect(asker.text(NAME)).rejects.toBeInstanceOf(UserError);
    await expect(asker.text(NAME)).rejects.toThrow(/--room-name/);
  });
});
