import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Commands return exit codes by name (EXIT in src/core/errors.ts), so the taxonomy is the one place that says them. */
const COMMANDS = join(import.meta.dirname, '../../src/commands');
const LITERAL = /\breturn\s+\d+\s*;|\?\s*\d+\s*:\s*\d+\s*;|=>\s*\d+\s*\)/;

describe('exit codes', () => {
  it('no command returns a literal number', () => {
    const found = readdirSync(COMMANDS)
      .filter((name) => name.endsWith('.ts'))
      .flatMap((name) =>
        readFileSync(join(COMMANDS, name), 'utf8')
          .split('\n')
          .map((line, i) => ({ where: `src/commands/${name}:${i + 1}`, line }))
          .filter(({ line }) => LITERAL.test(line)),
      )
      .map(({ where, line }) => `${where}: ${line.trim()}`);
    expect(found).toEqual([]);
  });

  it('the rule sees a literal return', () => {
    expect(LITERAL.test('  return 0;')).toBe(true);
    expect(LITERAL.test('  return r.ok ? 0 : 1;')).toBe(true);
    expect(LITERAL.test('  return EXIT.ok;')).toBe(false);
  });
});
