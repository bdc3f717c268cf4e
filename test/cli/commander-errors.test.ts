import { Command, InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { commanderErrorText } from '../../src/cli-commands.js';

/** What commander itself writes for a bad command line, caught instead of printed. */
function commanderSays(build: (program: Command) => void, argv: string[]): string {
  let said = '';
  const program = new Command('expose-labs').exitOverride().configureOutput({
    writeErr: () => undefined,
    outputError: (text) => {
      said += text;
    },
  });
  build(program);
  try {
    program.parse(argv, { from: 'user' });
  } catch {
    // exitOverride throws after outputError has written the line read below.
  }
  return said;
}

describe("commander's errors in Korean", () => {
  it('names a missing argument without a two-form particle', () => {
    const said = commanderSays((p) => p.command('probe <url>').action(() => undefined), ['probe']);
    expect(commanderErrorText(said, 'ko')).toContain("오류: 필요한 인자가 빠졌습니다: 'url'");
  });

  it('names a rejected option value', () => {
    const said = commanderSays(
      (p) =>
        p.option('--lang <lang>', 'language', () => {
          throw new InvalidArgumentError('use ko or en');
        }),
      ['--lang', 'fr'],
    );
    expect(commanderErrorText(said, 'ko')).toContain("오류: 옵션 '--lang <lang>' 에는 'fr' 값을 쓸 수 없습니다.");
  });

  it('suggests one command, or several', () => {
    const one = commanderSays((p) => p.command('status').action(() => undefined), ['statsu']);
    expect(commanderErrorText(one, 'ko')).toContain('(혹시 status 말인가요?)');
    const several = commanderSays(
      (p) => {
        p.command('show').action(() => undefined);
        p.command('shop').action(() => undefined);
      },
      ['shox'],
    );
    expect(commanderErrorText(several, 'ko')).toContain('(혹시 이 가운데 하나인가요? shop, show)');
  });
});
