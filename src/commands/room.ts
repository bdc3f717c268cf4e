import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { EXIT, UsageError, UserError } from '../core/errors.js';
import { withParticle } from '../core/korean.js';
import { forgetRoom } from '../room/client.js';
import { statusReport, toImported } from '../room/report.js';
import { eventsFile, startRoomServer } from '../room/server.js';
import { RoomState, type RoomLab } from '../room/state.js';
import { replay } from '../room/store.js';
import { newToken } from '../room/token.js';
import { labsOf } from './session.js';
import { shellQuote } from '../platform/command.js';
import { learnerRoomFiles } from './room-join.js';
import type { CommandEnv, CommandRun } from './types.js';
import { writeFileAtomic } from '../platform/atomic-file.js';
import { makeFolders } from '../platform/folders.js';
import { fileProblem } from '../platform/os-errors.js';
import { toolCommand } from '../platform/invocation.js';

/** What `room serve` keeps beside the event file, so `--resume` keeps the URLs learners already have. */
const roomConfig = z.object({ token: z.string(), adminToken: z.string(), url: z.string().optional() });
type RoomConfig = z.infer<typeof roomConfig>;

const DEFAULT_PORT = 7077;

function roomDir(env: CommandEnv, opts: Record<string, unknown>): string {
  return typeof opts.dir === 'string' ? opts.dir : join(env.options.home, 'room');
}

function readConfig(dir: string): RoomConfig | undefined {
  const file = join(dir, 'room.json');
  if (!existsSync(file)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  const parsed = roomConfig.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

async function writeConfig(dir: string, config: RoomConfig): Promise<void> {
  await writeFileAtomic(join(dir, 'room.json'), Buffer.from(JSON.stringify(config, null, 2) + '\n'), {
    mode: 0o600,
    replaceMode: true,
  });
}

async function roomLabs(): Promise<RoomLab[]> {
  return (await labsOf()).map((lab) => ({
    id: lab.id,
    title: lab.title,
    steps: lab.steps.map((s) => ({ id: s.id, title: s.title })),
  }));
}

/** One interface, never all of them unasked: the first private IPv4 address, where a room's laptops are. */
function defaultBind(): string | undefined {
  for (const addresses of Object.values(networkInterfaces()))
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return undefined;
}

async function serve(env: CommandEnv, opts: Record<string, unknown>): Promise<number> {
  const { out } = env;
  const dir = roomDir(env, opts);
  await makeFolders(dir, 0o700).catch((error: unknown) => {
    throw fileProblem(dir, error, 'write');
  });
  const resume = Boolean(opts.resume);
  const file = eventsFile(dir);
  let config = resume ? readConfig(dir) : undefined;
  if (resume && !config)
    throw new UserError(
      { ko: `${dir}에는 이어서 열 방이 없습니다.`, en: `There is no room to resume in ${dir}.` },
      { ko: '--resume 없이 새 방을 여세요.', en: 'Open a new room without --resume.' },
    );
  if (!resume && existsSync(file) && statSync(file).size > 0) {
    const aside = join(dir, `events-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`);
    await rename(file, aside);
    out.print({
      ko: `지난 방의 이벤트는 ${withParticle(aside, '으로/로')} 옮겼습니다 (이어서 열려면 --resume).`,
      en: `The last room's events were moved to ${aside} (to continue it, use --resume).`,
    });
  }
  const token = typeof opts.token === 'string' ? opts.token : (config?.token ?? newToken());
  if (!/^[A-Za-z0-9_-]{8,200}$/.test(token))
    throw new UsageError({
      ko: '--token 은 8자 이상의 영문, 숫자, -, _ 입니다.',
      en: '--token is 8 or more letters, digits, - or _.',
    });
  config = { token, adminToken: config?.adminToken ?? newToken() };
  const bind = typeof opts.bind === 'string' ? opts.bind : defaultBind();
  const host = bind ?? '127.0.0.1';
  if (!bind)
    out.warn({
      ko: '네트워크 인터페이스를 찾지 못해 이 컴퓨터 안(127.0.0.1)에서만 엽니다. --bind <주소> 로 고르세요.',
      en: 'No network interface found: the room opens on this machine only (127.0.0.1). Choose one with --bind <address>.',
    });
  if (host === '0.0.0.0' || host === '::')
    out.warn({
      ko: `--bind ${host}: 이 컴퓨터의 모든 네트워크 인터페이스에서 방을 엽니다.`,
      en: `--bind ${host}: the room listens on every network interface of this machine.`,
    });
  const port = typeof opts.port === 'number' ? opts.port : DEFAULT_PORT;
  const server = await startRoomServer({
    dir,
    labs: await roomLabs(),
    host,
    port,
    token: config.token,
    adminToken: config.adminToken,
    resume,
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE' || error.code === 'EADDRNOTAVAIL' || error.code === 'EACCES')
      throw new UserError(
        {
          ko: `${host}:${port}에서 열 수 없습니다 (${error.code}).`,
          en: `Cannot listen on ${host}:${port} (${error.code}).`,
        },
        { ko: '--port 나 --bind 로 다른 곳을 고르세요.', en: 'Choose another with --port or --bind.' },
      );
    throw error;
  });
  // Listening everywhere: tell learners an address they can reach, not 0.0.0.0.
  const url = new URL(server.url);
  if (host === '0.0.0.0' || host === '::') url.hostname = defaultBind() ?? '127.0.0.1';
  const base = url.origin;
  await writeConfig(dir, { ...config, url: base });
  if (resume)
    out.print({
      ko: `방을 이어서 엽니다: 이벤트 ${server.state.events}개를 다시 읽었습니다${server.replayed.tornBytes ? ' (끝의 잘린 줄 하나는 확인 응답 전이라 버렸습니다)' : ''}.`,
      en: `Resuming the room: ${server.state.events} events replayed${server.replayed.tornBytes ? ' (a cut-off last line, never acknowledged, was dropped)' : ''}.`,
    });
  const joinUrl = `${base}/?t=${config.token}`;
  out.print({ ko: '학습자에게 알려 줄 줄:', en: 'The line for learners:' });
  // Quoted: zsh (macOS's shell) takes the `?` of the URL for a pattern and refuses the line unquoted.
  out.print(`  ${toolCommand(`start --room ${shellQuote(joinUrl)}`)}`);
  out.print({ ko: '강사용 페이지 (공유하지 마세요):', en: 'Your page (do not share it):' });
  out.print(`  ${base}/#token=${config.adminToken}`);
  out.print({ ko: '끝내려면 Ctrl-C (데이터는 남습니다: --resume).', en: 'Ctrl-C to stop (the data stays: --resume).' });
  await new Promise<void>((resolve) => {
    if (env.signal.aborted) resolve();
    env.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.close();
  out.print({ ko: `방을 닫았습니다: ${dir}`, en: `Room closed: ${dir}` });
  return EXIT.ok;
}

async function leave(env: CommandEnv): Promise<number> {
  const files = learnerRoomFiles(env);
  if (!existsSync(files.membership)) {
    env.out.print({ ko: '들어가 있는 방이 없습니다.', en: 'You are not in a room.' });
    return EXIT.ok;
  }
  const unsent = await forgetRoom(files);
  env.out.print({
    ko: `방에서 나왔습니다. 더는 아무것도 보내지 않습니다${unsent ? ` (보내지 못한 이벤트 ${unsent}개는 지웠습니다)` : ''}.`,
    en: `You left the room; nothing more is sent${unsent ? ` (${unsent} unsent events were dropped)` : ''}.`,
  });
  return EXIT.ok;
}

/** The same name always gets the same seat, so handing in a report twice replaces it. */
function seatOf(name: string): string {
  const hex = createHash('sha256').update(`expose-labs import ${name}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

async function importReports(env: CommandEnv, files: string[], opts: Record<string, unknown>): Promise<number> {
  if (files.length === 0)
    throw new UsageError({ ko: '가져올 report.json 을 주세요.', en: 'Name the report.json files to import.' });
  if (typeof opts.name === 'string' && files.length > 1)
    throw new UsageError({ ko: '--name 은 파일 하나에만 씁니다.', en: '--name goes with a single file.' });
  const dir = roomDir(env, opts);
  const config = readConfig(dir);
  if (!config?.url)
    throw new UserError(
      { ko: `${dir}에서 연 방이 없습니다.`, en: `No room has been served from ${dir}.` },
      { ko: `먼저 ${toolCommand()} room serve 를 실행하세요.`, en: `Run ${toolCommand()} room serve first.` },
    );
  for (const file of files) {
    let report;
    try {
      report = statusReport.parse(JSON.parse(await readFile(file, 'utf8')));
    } catch {
      throw new UserError({
        ko: `${file}: status --report로 만든 .json 보고서가 아닙니다.`,
        en: `${file}: not a .json report from status --report.`,
      });
    }
    const name = typeof opts.name === 'string' ? opts.name : basename(file).replace(/\.json$/i, '');
    const body = JSON.stringify(toImported(report, name.slice(0, 40), seatOf(name)));
    const res = await fetch(`${config.url}/api/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${config.adminToken}`, 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(5000),
    }).catch(() => undefined);
    if (!res)
      throw new UserError(
        { ko: `방(${config.url})이 응답하지 않습니다.`, en: `The room at ${config.url} does not answer.` },
        {
          ko: `${toolCommand()} room serve --resume 로 방을 다시 여세요.`,
          en: `Open it again with ${toolCommand()} room serve --resume.`,
        },
      );
    if (!res.ok)
      throw new UserError({
        ko: `${file}: 방이 거절했습니다 (${res.status}).`,
        en: `${file}: refused by the room (${res.status}).`,
      });
    env.out.print({ ko: `가져왔습니다: ${name} (${file})`, en: `Imported: ${name} (${file})` });
  }
  return EXIT.ok;
}

/** From the event file alone, so the data can be taken home even when no server runs. */
async function exportRoom(env: CommandEnv, target: string | undefined, opts: Record<string, unknown>): Promise<number> {
  if (!target || !/\.(csv|json)$/i.test(target))
    throw new UsageError({
      ko: 'room export <파일.csv 또는 파일.json>',
      en: 'room export <file.csv or file.json>',
    });
  const dir = roomDir(env, opts);
  const { records } = await replay(eventsFile(dir));
  const state = new RoomState(await roomLabs(), { minStuckMs: 5 * 60_000 });
  for (const record of records) state.apply(record);
  await writeFile(
    target,
    target.toLowerCase().endsWith('.csv') ? state.csv() : JSON.stringify(state.report(Date.now()), null, 2) + '\n',
  );
  env.out.print({ ko: `내보냈습니다: ${target}`, en: `Exported: ${target}` });
  return EXIT.ok;
}

/** `room serve | leave | import <report.json…> | export <file>`. */
export const run: CommandRun = async (env, { args, opts }) => {
  const [action, ...rest] = args;
  switch (action) {
    case 'serve':
      return serve(env, opts);
    case 'leave':
      return leave(env);
    case 'import':
      return importReports(env, rest, opts);
    case 'export':
      return exportRoom(env, rest[0], opts);
    default:
      throw new UsageError({
        ko: `room 다음에는 serve, leave, import, export 중 하나: ${action}`,
        en: `room takes serve, leave, import or export, not: ${action}`,
      });
  }
};
