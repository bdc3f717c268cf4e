import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import type { Command, CommandResult, Exec } from '../../src/platform/command.js';
import type { HostsSystem } from '../../src/hosts/hosts-file.js';
import type { OsFacts } from '../../src/hosts/os.js';

export const ROOT = resolve(import.meta.dirname, '..', '..');

/** Deterministic random numbers (mulberry32), so a failing generated file can be rebuilt from its seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rand: () => number, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
const utf8AsLatin1 = (s: string) => Buffer.from(s, 'utf8').toString('latin1');

const ADDRESSES = [
  '127.0.0.1',
  '127.0.1.1',
  '::1',
  'fe80::1%lo0',
  '10.0.0.7',
  '2001:db8::42',
  'ff02::2',
  '192.168.1.20',
];
const NAMES = [
  'localhost',
  'ip6-localhost',
  'ip6-loopback',
  'myhost',
  'myhost.lan',
  'printer',
  'niniz.com',
  'jordy.niniz.com',
  'db.internal',
];
const COMMENTS = [
  '# The following lines are desirable for IPv6 capable hosts',
  '#comment without space',
  '# 주석: 한국어 설명',
  '#\tTab comment',
  '# Copyright (c) 1993-2009 Microsoft Corp.',
  '#',
];

/**
 * A hosts file as real systems have them: comments (UTF-8 Korean and a stray latin1 byte), blank and
 * whitespace-only lines, IPv4/IPv6 entries with aliases, spaces or tabs, inline comments, LF/CRLF/mixed line ends,
 * sometimes a BOM, a lone CR, or no final newline. Returned as latin1 text (one char per byte).
 */
export function randomHostsText(rand: () => number): string {
  const style = pick(rand, ['lf', 'lf', 'crlf', 'crlf', 'mixed'] as const);
  const eol = () => (style === 'lf' ? '\n' : style === 'crlf' ? '\r\n' : pick(rand, ['\n', '\r\n']));
  const lines: string[] = [];
  const count = Math.floor(rand() * 14);
  for (let i = 0; i < count; i++) {
    const kind = rand();
    if (kind < 0.3) lines.push(utf8AsLatin1(pick(rand, COMMENTS)));
    else if (kind < 0.4) lines.push(pick(rand, ['', '', '   ', '\t', ' \t ']));
    else if (kind < 0.45) lines.push(`# caf${String.fromCharCode(0xe9)} (latin1 byte)`);
    else {
      const sep = () => pick(rand, [' ', '  ', '\t', '\t\t', ' \t']);
      const names = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(rand, NAMES));
      const inline = rand() < 0.2 ? `${sep()}# inline note` : '';
      const trailing = rand() < 0.15 ? pick(rand, [' ', '\t', '\r']) : '';
      lines.push(
        `${pick(rand, ['', ' ', '\t'])}${pick(rand, ADDRESSES)}${sep()}${names.join(sep())}${inline}${trailing}`,
      );
    }
  }
  let text = lines.map((line) => line + eol()).join('');
  if (rand() < 0.3 && text.length > 0) text = text.slice(0, text.endsWith('\r\n') ? -2 : -1);
  if (rand() < 0.05) text += '\r';
  if (rand() < 0.2) text = '\xef\xbb\xbf' + text;
  return text;
}

export const ADD_NAMES = ['niniz.com', 'jordy.niniz.com', 'scappy.niniz.com', 'basic.jordy.com'];
export const ADD_ADDRESSES = ['127.0.0.1', '::1', '172.18.0.5'];

export function pickNames(rand: () => number): string[] {
  const names = ADD_NAMES.filter(() => rand() < 0.5);
  return names.length ? names : [ADD_NAMES[0]!];
}

export function pickAddress(rand: () => number): string {
  return pick(rand, ADD_ADDRESSES);
}

export async function tempDir(prefix = 'expose-labs-hosts-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** An exec that fails the test on any call: file edits that need no process must start none. */
export const noExec: Exec = async (command) => {
  throw new Error(`unexpected command: ${command.file} ${command.args.join(' ')}`);
};

export const ok = (stdout = ''): CommandResult => ({ exitCode: 0, stdout, stderr: '', failed: false, timedOut: false });
export const fail = (stderr: string, exitCode = 1): CommandResult => ({
  exitCode,
  stdout: '',
  stderr,
  failed: true,
  timedOut: false,
});

/** Records each command and answers from `answer`, which must know every command it is given. */
export function recordingExec(answer: (command: Command) => Promise<CommandResult> | CommandResult) {
  const calls: Command[] = [];
  const exec: Exec = async (command) => {
    calls.push(command);
    return answer(command);
  };
  return { exec, calls };
}

export function facts(over: Partial<OsFacts> = {}): OsFacts {
  return { platform: 'linux', isRoot: false, isWsl: false, selinux: false, hasCommand: () => false, ...over };
}

/** A plain Linux user who can write the file: direct writes, no DNS flush (not the system hosts file). */
export function userSystem(over: Partial<HostsSystem> = {}): HostsSystem {
  return { facts: facts(), systemHostsFile: '/nonexistent/etc/hosts', canWrite: async () => true, ...over };
}

/**
 * Node 20 cannot run .ts: transpile `entries` and every module they import relatively into a folder under
 * node_modules/.cache (so package imports still resolve), for child processes to run.
 */
export async function transpileForChild(entries: string[]): Promise<string> {
  const out = join(ROOT, 'node_modules', '.cache', 'expose-labs-tests', `build-${process.pid}-${Date.now()}`);
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'package.json'), '{"type":"module"}\n');
  const seen = new Set<string>();
  const queue = entries.map((e) => resolve(ROOT, e));
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = await readFile(file, 'utf8');
    const js = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      fileName: file,
    }).outputText;
    for (const match of source.matchAll(/from '(\.{1,2}\/[^']+)\.js'/g))
      queue.push(resolve(dirname(file), `${match[1]}.ts`));
    const target = join(out, relative(ROOT, file)).replace(/\.ts$/, '.js');
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, js);
  }
  return out;
}

export async function removeTree(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
