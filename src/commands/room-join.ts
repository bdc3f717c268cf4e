import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { UsageError } from '../core/errors.js';
import { NO_ROOM, type EventSink, type LearnerEvent } from '../core/learner-events.js';
import { tr, type Text } from '../core/i18n.js';
import { withParticle } from '../core/korean.js';
import type { DoctorReport } from '../cluster/doctor/run.js';
import type { CheckOutcome } from '../engine/runner.js';
import { checkTitle } from '../engine/runner.js';
import { clusterHome, packageRoot } from '../platform/paths.js';
import { failureKind, maskAddresses } from '../room/failure-kind.js';
import {
  parseJoinUrl,
  readMembership,
  roomFiles,
  RoomClient,
  writeMembership,
  type Membership,
  type RoomFiles,
} from '../room/client.js';
import { displayName } from '../room/schema.js';
import type { Asker } from '../ui/prompts.js';
import type { CommandEnv } from './types.js';
import { toolCommand } from '../platform/invocation.js';

export function learnerRoomFiles(env: CommandEnv): RoomFiles {
  return roomFiles(dirname(clusterHome(env.options.home, env.options.clusterName).progressFile));
}

export function toolVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** A step's check outcomes as the room receives them: verdict, kind of failure, what was seen without addresses. */
export function checkEvent(lab: string, step: string, outcomes: CheckOutcome[]): LearnerEvent {
  return {
    type: 'check',
    lab,
    step,
    passed: outcomes.every((o) => o.result.verdict === 'pass'),
    checks: outcomes.slice(0, 12).map(({ check, result }) => {
      const observed = tr(result.observed, 'en');
      const failure = result.verdict === 'pass' ? undefined : failureKind(observed);
      return {
        title: maskAddresses(checkTitle(check, 'en')).slice(0, 160),
        verdict: result.verdict,
        ...(failure ? { failure } : {}),
        observed: maskAddresses(observed).slice(0, 200),
      };
    }),
  };
}

/** `doctor` as the room sees it: ready or not, and how many problems and warnings (not which). */
export function doctorEvent(report: DoctorReport): LearnerEvent {
  return {
    type: 'doctor',
    ok: report.ok,
    failures: report.checks.filter((c) => c.status === 'fail').length,
    warnings: report.checks.filter((c) => c.status === 'warn').length,
  };
}

const NEVER: Text = {
  ko: '보내지 않는 것: 파일 내용, 키와 인증서, kubeconfig, 입력한 명령, 주소(연결 자체가 보여 주는 것 말고는), 사용자 이름과 컴퓨터 이름.',
  en: 'Never sent: file contents, keys and certificates, kubeconfig, commands you type, addresses (beyond what the connection itself shows), your user or machine name.',
};

/** Exactly what will leave this laptop: one event of each kind, as the room will receive it. */
function consentText(client: RoomClient, membership: Membership): Text {
  const samples: LearnerEvent[] = [
    { type: 'hello', version: toolVersion() },
    { type: 'doctor', ok: true, failures: 0, warnings: 1 },
    { type: 'step', lab: 'nodeport', step: 'create-service', index: 0, count: 2 },
    {
      type: 'check',
      lab: 'nodeport',
      step: 'create-service',
      passed: false,
      checks: [
        { title: 'GET http://<addr>:30000/', verdict: 'not-yet', failure: 'refused', observed: 'connection refused' },
      ],
    },
    { type: 'hint', lab: 'nodeport', step: 'create-service' },
  ];
  const lines = samples.map((s) => '  ' + JSON.stringify(client.wire(s))).join('\n');
  return {
    ko: `실습 진행 상황을 강사의 방(${membership.url})으로 보냅니다. 이름: ${membership.name}\n보내는 것은 이런 이벤트뿐입니다 (실습/단계에 들어감, 확인 결과와 실패의 종류, 힌트, 풀이 보기, 건너뛰기, goto, 실습 끝냄, doctor 요약, 도구 버전):\n${lines}\n${NEVER.ko}\n그만두려면: ${toolCommand()} room leave`,
    en: `Your lab progress goes to the instructor's room (${membership.url}) as: ${membership.name}\nOnly events like these are sent (step entered, check verdicts with the kind of failure, hint, solution shown, skip, goto, lab finished, doctor summary, tool version):\n${lines}\n${NEVER.en}\nTo stop: ${toolCommand()} room leave`,
  };
}

async function chooseName(env: CommandEnv, asker: Asker, given: unknown): Promise<string> {
  const check = (value: string) =>
    displayName.safeParse(value).success
      ? undefined
      : { ko: '이름은 1~40자, 제어 문자 없이 써 주세요.', en: 'A name is 1 to 40 characters, no control characters.' };
  if (typeof given === 'string') {
    const problem = check(given);
    if (problem) throw new UsageError(problem);
    return given.trim();
  }
  if (!env.interactive)
    throw new UsageError(
      { ko: '방에서 보일 이름이 필요합니다.', en: 'The room needs a display name.' },
      { ko: '--room-name <이름> 을 붙이세요.', en: 'Pass --room-name <name>.' },
    );
  return (
    await asker.text({
      message: {
        ko: '방에서 보일 이름 (실명이 아니어도 됩니다)',
        en: 'Your name in the room (need not be your real name)',
      },
      flag: '--room-name',
      validate: check,
    })
  ).trim();
}

/** The room remembered for this cluster, for commands that report without asking (`goto`). */
export function rememberedRoom(env: CommandEnv): EventSink {
  const files = learnerRoomFiles(env);
  const membership = readMembership(files);
  return membership ? new RoomClient(membership, files) : NO_ROOM;
}

/**
 * The room this session reports to: joined now with `--room` (after the learner agrees to what is sent), or the
 * one remembered for this cluster, or none. Nothing is sent to any room the learner did not name.
 */
export async function joinRoom(env: CommandEnv, asker: Asker, opts: Record<string, unknown>): Promise<EventSink> {
  const files = learnerRoomFiles(env);
  const remembered = readMembership(files);
  if (typeof opts.room !== 'string') {
    if (!remembered) return NO_ROOM;
    env.out.print({
      ko: `진행 상황을 방(${remembered.url})에 ${withParticle(remembered.name, '으로/로')} 보냅니다 (그만두기: ${toolCommand()} room leave).`,
      en: `Reporting to the room ${remembered.url} as ${remembered.name} (stop: ${toolCommand()} room leave).`,
    });
    return started(new RoomClient(remembered, files));
  }
  const join = parseJoinUrl(opts.room);
  if (!join)
    throw new UsageError(
      { ko: `방 주소가 아닙니다: ${opts.room}`, en: `Not a room join URL: ${opts.room}` },
      {
        ko: '강사의 room serve 가 출력한 주소를 그대로 쓰세요 (예: http://192.168.0.10:7077/?t=…).',
        en: 'Use the URL the instructor’s room serve printed (e.g. http://192.168.0.10:7077/?t=…).',
      },
    );
  if (remembered && remembered.url === join.url && remembered.token === join.token && opts.roomName === undefined)
    return started(new RoomClient(remembered, files));
  const membership: Membership = {
    ...join,
    seat: remembered?.seat ?? randomUUID(),
    name: await chooseName(env, asker, opts.roomName),
  };
  const client = new RoomClient(membership, files);
  env.out.print(consentText(client, membership));
  const agreed = await asker.confirm({
    message: { ko: '이 내용을 방으로 보낼까요?', en: 'Send these to the room?' },
    default: true,
    flag: '--yes',
  });
  if (!agreed) {
    env.out.print({ ko: '방에 아무것도 보내지 않습니다.', en: 'Nothing is sent to the room.' });
    return NO_ROOM;
  }
  await writeMembership(files, membership);
  return started(client);
}

function started(client: RoomClient): EventSink {
  client.emit({ type: 'hello', version: toolVersion() });
  return client;
}
