import { connect, createServer } from 'node:net';
import { UserError } from '../core/errors.js';
import type { Text } from '../core/i18n.js';
import type { HostPorts } from './types.js';
import { toolCommand } from '../platform/invocation.js';

/**
 * `free`: bind worked; `taken`: someone listens; `denied`: nobody listens, but this user may not bind it
 * (below 1024: Linux without the capability, or macOS on a specific address; whether the engine can depends on
 * who binds it, which doctor decides per engine); `unknown`: neither bind nor knock told.
 */
export type PortState = 'free' | 'taken' | 'denied' | 'unknown';
export type PortProbe = (port: number) => Promise<PortState>;

/** The flag that sets each host port (src/cli.ts). */
export const PORT_FLAGS: Record<keyof HostPorts, string> = {
  http: '--http-port',
  https: '--https-port',
  nodePort: '--nodeport-port',
  workerA: '--worker-a-port',
  workerB: '--worker-b-port',
};

export const PORT_KEYS = Object.keys(PORT_FLAGS) as (keyof HostPorts)[];

/**
 * Try to listen on 127.0.0.1:port, where kind will publish it, and let go at once. Where this user may not
 * bind the port, knock instead: an answer means it is taken, a refusal that it is free but `denied` to this user.
 */
export const probePort: PortProbe = (port) =>
  new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') resolve('taken');
      else void knock(port).then((knocked) => resolve(portState(error.code, knocked)));
    });
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      server.close(() => resolve('free'));
    });
  });

/**
 * A bind that failed with `code`, then a knock: an answer means taken; a refusal means free, or `denied` when
 * the bind was refused for permission (EACCES, EPERM), not read as free as it once was.
 */
export function portState(code: string | undefined, knocked: PortState): PortState {
  if (code === 'EADDRINUSE') return 'taken';
  const denied = code === 'EACCES' || code === 'EPERM';
  return denied && knocked === 'free' ? 'denied' : knocked;
}

function knock(port: number): Promise<PortState> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    const done = (state: PortState) => {
      socket.destroy();
      resolve(state);
    };
    socket.setTimeout(500, () => done('unknown'));
    socket.once('connect', () => done('taken'));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code === 'ECONNREFUSED' ? 'free' : 'unknown'));
  });
}

export interface TakenPort {
  key: keyof HostPorts;
  port: number;
  flag: string;
}

export async function findTakenPorts(ports: HostPorts, probe: PortProbe): Promise<TakenPort[]> {
  const taken: TakenPort[] = [];
  for (const key of PORT_KEYS) {
    if ((await probe(ports[key])) === 'taken') taken.push({ key, port: ports[key], flag: PORT_FLAGS[key] });
  }
  return taken;
}

/** A port above the privileged range a learner can usually take instead. */
export function suggestedPort(port: number): number {
  return port < 1024 ? 8000 + port : port + 100;
}

export function portTakenMessage(taken: TakenPort): Text {
  return {
    ko: `호스트 포트 ${taken.port}(${taken.flag})를 127.0.0.1에서 이미 다른 프로그램이 쓰고 있습니다.`,
    en: `Host port ${taken.port} (${taken.flag}) is already in use on 127.0.0.1.`,
  };
}

export function portTakenError(taken: TakenPort[]): UserError {
  const lines = taken.map((t) => portTakenMessage(t));
  const flags = taken.map((t) => `${t.flag} ${suggestedPort(t.port)}`).join(' ');
  return new UserError(
    { ko: lines.map((l) => l.ko).join('\n'), en: lines.map((l) => l.en).join('\n') },
    {
      ko: `그 프로그램을 끄거나 다른 포트를 고르세요. 예: ${toolCommand()} start ${flags}`,
      en: `Stop that program, or pick other ports, e.g. ${toolCommand()} start ${flags}`,
    },
  );
}

/** Two mappings on one host port make kind fail half-way: refuse before anything starts. */
export function assertDistinctPorts(ports: HostPorts): void {
  const seen = new Map<number, keyof HostPorts>();
  for (const key of PORT_KEYS) {
    const other = seen.get(ports[key]);
    if (other) {
      throw new UserError(
        {
          ko: `${PORT_FLAGS[other]}와 ${PORT_FLAGS[key]}가 같은 포트 ${ports[key]}입니다.`,
          en: `${PORT_FLAGS[other]} and ${PORT_FLAGS[key]} are both port ${ports[key]}.`,
        },
        { ko: '호스트 포트는 모두 달라야 합니다.', en: 'Each host port must be different.' },
      );
    }
    seen.set(ports[key], key);
  }
}
