import { existsSync } from 'node:fs';
import { EXIT, UsageError, UserError } from '../core/errors.js';
import { osReason } from '../platform/os-errors.js';
import {
  addHosts,
  readHostsBlock,
  removeHosts,
  type HostsEditOptions,
  type HostsEditResult,
} from '../hosts/hosts-file.js';
import { sendNudge } from '../platform/nudge.js';
import { clusterHome } from '../platform/paths.js';
import type { CommandEnv, CommandRun } from './types.js';
import { toolCommand } from '../platform/invocation.js';
import { withParticle } from '../core/korean.js';

const USAGE = {
  ko: `사용법: ${toolCommand()} hosts add [--address IP] 이름… | hosts remove [이름…] | hosts show [이름…]`,
  en: `Usage: ${toolCommand()} hosts add [--address IP] NAME… | hosts remove [NAME…] | hosts show [NAME…]`,
};

/** The commands that ran are already shown by the exec under --verbose; warnings are for everyone. */
async function report(env: CommandEnv, result: HostsEditResult): Promise<void> {
  for (const warning of result.warnings) env.out.warn(warning);
  // A session watching a step in another terminal re-checks now rather than on its next look.
  if (result.changed) await sendNudge(clusterHome(env.options.home, env.options.clusterName).nudgeFile);
}

async function show(env: CommandEnv, names: string[]): Promise<number> {
  const file = env.options.hostsFile;
  if (!existsSync(file))
    throw new UserError(
      { ko: `hosts 파일이 없습니다: ${file}`, en: `There is no hosts file at ${file}.` },
      { ko: '다른 파일이면 --hosts-file 로 알려 주세요.', en: 'If yours is elsewhere, name it with --hosts-file.' },
    );
  const wanted = names.map((n) => n.toLowerCase());
  const entries = (await readHostsBlock(file))
    .map((e) => ({ address: e.address, names: wanted.length ? e.names.filter((n) => wanted.includes(n)) : e.names }))
    .filter((e) => e.names.length > 0);
  if (entries.length === 0) {
    env.out.print({ ko: `${file}에 expose-labs 항목이 없습니다.`, en: `No expose-labs entries in ${file}.` });
    return EXIT.ok;
  }
  env.out.print({ ko: `${file}의 expose-labs 항목:`, en: `expose-labs entries in ${file}:` });
  for (const e of entries) env.out.print(`  ${e.address} ${e.names.join(' ')}`);
  return EXIT.ok;
}

/**
 * Before the file is changed: can anything be reported? (`> /dev/full` fails even an empty write.) Otherwise the
 * edit would happen and the command still exit 1 when it says what it did.
 */
async function outputWorks(stream: NodeJS.WritableStream): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const failed = (error: Error) => reject(error);
    stream.once('error', failed);
    stream.write('', () =>
      setImmediate(() => {
        stream.removeListener('error', failed);
        resolve();
      }),
    );
  }).catch((error: unknown) => {
    const reason = osReason(error);
    throw new UserError({ ko: `출력을 쓸 수 없습니다: ${reason.ko}`, en: `Cannot write the output: ${reason.en}` });
  });
}

/** `expose-labs hosts add|remove|show`: the tool's marked block of the hosts file, nothing else in it. */
export const run: CommandRun = async (env, input) => {
  const [action, ...names] = input.args;
  const { out } = env;
  const file = env.options.hostsFile;
  if (action === 'show') return show(env, names);
  if (action !== 'add' && action !== 'remove') {
    throw new UsageError(
      { ko: `알 수 없는 hosts 명령입니다: ${action ?? ''}`, en: `Unknown hosts command: ${action ?? ''}` },
      USAGE,
    );
  }
  const address = (input.opts.address as string | undefined) ?? '127.0.0.1';
  if (action === 'add' && names.length === 0)
    throw new UsageError({ ko: '추가할 이름을 주세요.', en: 'Give the names to add.' }, USAGE);

  if (env.options.dryRun || env.options.noHosts) {
    const why = env.options.dryRun ? '--dry-run' : '--no-hosts';
    if (action === 'add') {
      out.print({
        ko: `${why}: ${withParticle(file, '을/를')} 고치지 않습니다. 추가될 줄:`,
        en: `${why}: ${file} is not changed. Lines that would be added:`,
      });
      for (const name of names) out.print(`  ${address} ${name}`);
    } else {
      out.print(
        names.length
          ? {
              ko: `${why}: ${withParticle(file, '을/를')} 고치지 않습니다. 지워질 이름: ${names.join(', ')}`,
              en: `${why}: ${file} is not changed. Names that would be removed: ${names.join(', ')}`,
            }
          : {
              ko: `${why}: ${withParticle(file, '을/를')} 고치지 않습니다. expose-labs 블록 전체가 지워질 것입니다.`,
              en: `${why}: ${file} is not changed. The whole expose-labs block would be removed.`,
            },
      );
    }
    return EXIT.ok;
  }

  await outputWorks(env.io.stdout);
  const o: HostsEditOptions = {
    file,
    exec: env.deps.exec,
    argv0: env.io.argv0,
    interactive: env.interactive,
    signal: env.signal,
    onWait: (message) => env.out.warn(message),
  };
  if (action === 'add') {
    const result = await addHosts({ ...o, address, names });
    await report(env, result);
    out.print(
      result.changed
        ? { ko: `${file}에 추가했습니다:`, en: `Added to ${file}:` }
        : { ko: `${file}에 이미 있습니다:`, en: `Already in ${file}:` },
    );
    for (const name of names) out.print(`  ${address} ${name.toLowerCase()}`);
    return EXIT.ok;
  }
  const result = await removeHosts({ ...o, names });
  await report(env, result);
  const what = names.length ? names.join(', ') : undefined;
  if (!result.changed)
    out.print({
      ko: `${file}에서 지울 expose-labs 항목이 없습니다.`,
      en: `No expose-labs entries to remove from ${file}.`,
    });
  else if (what) out.print({ ko: `${file}에서 지웠습니다: ${what}`, en: `Removed from ${file}: ${what}` });
  else
    out.print({ ko: `${file}에서 expose-labs 블록을 지웠습니다.`, en: `Removed the expose-labs block from ${file}.` });
  return EXIT.ok;
};
