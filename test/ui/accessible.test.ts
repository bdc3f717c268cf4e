import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../../src/core/errors.js';
import { lineConfirm, lineSelect } from '../../src/ui/line-prompts.js';
import { createAsker } from '../../src/ui/prompts.js';
import { colorEnabled } from '../../src/ui/output.js';
import { choosePlain } from '../../src/ui/tasks.js';

function terminal() {
  const input = new PassThrough();
  const output = new PassThrough();
  let written = '';
  output.on('data', (c: Buffer) => (written += c.toString()));
  return { input, output, written: () => written };
}

describe('accessible mode', () => {
  it('turns colour off and the task list into plain lines, even on a terminal', () => {
    const tty = { isTTY: true };
    expect(colorEnabled(tty, { TERM: 'xterm' })).toBe(true);
    expect(colorEnabled(tty, { TERM: 'xterm', ACCESSIBLE: '1' })).toBe(false);
    expect(choosePlain({ stdout: tty, env: { TERM: 'xterm' } }, false)).toBe(false);
    expect(choosePlain({ stdout: tty, env: { TERM: 'xterm', ACCESSIBLE: 'true' } }, false)).toBe(true);
    expect(choosePlain({ stdout: tty, env: { TERM: 'xterm', ACCESSIBLE: '0' } }, false)).toBe(false);
  });

  it('asks as numbered lines: a wrong or unavailable number is asked again, Enter takes the default', async () => {
    const t = terminal();
    const choices = [
      { name: 'Run it for me', value: 'run' },
      { name: 'LoadBalancer', value: 'lb', disabled: 'this cluster has no loadBalancer' },
      { name: 'Quit', value: 'quit' },
    ];
    const first = lineSelect({ ...t, lang: 'en' }, 'What next?', choices, 'quit');
    t.input.write('7\n2\n');
    t.input.write('1\n');
    expect(await first).toBe('run');
    expect(t.written()).toBe(
      [
        'What next?',
        '  1. Run it for me',
        '  2. LoadBalancer (unavailable: this cluster has no loadBalancer)',
        '  3. Quit',
        'Type a number (1-3) and press Enter [default 3]: Not a choice: 7',
        'Type a number (1-3) and press Enter [default 3]: Not a choice: 2',
        'Type a number (1-3) and press Enter [default 3]: ',
      ].join('\n'),
    );
    const second = lineSelect({ ...t, lang: 'ko' }, '어떻게 할까요?', choices, 'quit');
    t.input.write('\n');
    expect(await second).toBe('quit');
    expect(t.written()).toContain('번호(1-3)를 입력하고 Enter [기본 3]: ');
  });

  it('yes/no by a typed line; Ctrl-C (the signal) and the end of input stop the wait', async () => {
    const t = terminal();
    const yes = lineConfirm({ ...t, lang: 'en' }, 'Create the cluster?', false);
    t.input.write('maybe\ny\n');
    expect(await yes).toBe(true);
    const controller = new AbortController();
    const waiting = lineConfirm({ ...t, lang: 'en', signal: controller.signal }, 'Again?', true);
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(InterruptedError);
    const ended = lineConfirm({ ...t, lang: 'en' }, 'Once more?', true);
    t.input.end();
    await expect(ended).rejects.toBeInstanceOf(InterruptedError);
  });

  it('asks for a name as a typed line too, again with the reason while it is refused', async () => {
    const t = terminal();
    const asker = createAsker({ lang: 'en', interactive: true, yes: false, accessible: true, ...t });
    const name = asker.text({
      message: { ko: '이름', en: 'Your name in the room' },
      flag: '--room-name',
      validate: (value) => (value === '' ? { ko: '이름을 적어 주세요.', en: 'Type a name, please.' } : undefined),
    });
    t.input.write('\n');
    t.input.write('  jordy \n');
    expect(await name).toBe('jordy');
    expect(t.written()).toBe('Your name in the room: Type a name, please.\nYour name in the room: ');
  });
});
