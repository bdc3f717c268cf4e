import http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Plain node:http/net/tls clients for the double's tests (independent of src/checks on purpose). */

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Local port of the connection the answer came on. */
  localPort: number;
}

export interface RequestOptions {
  host: string;
  port: number;
  path?: string;
  headers?: Record<string, string>;
  /** Default: a new connection for this request only. */
  agent?: http.Agent;
  timeoutMs?: number;
}

export function request(options: RequestOptions): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: options.host,
        port: options.port,
        path: options.path ?? '/',
        headers: options.headers,
        agent: options.agent ?? false,
        timeout: options.timeoutMs ?? 3000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('latin1'),
            localPort: req.socket?.localPort ?? 0,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** `Hostname:`, `RemoteAddr:`, … of a whoami answer. */
export function field(body: string, name: string): string | undefined {
  return new RegExp(`^${name}: (.*?)\\r?$`, 'm').exec(body)?.[1];
}

export type Probe = 'refused' | 'closed' | 'held' | 'answered';

/**
 * What a raw TCP client meets at address:port when it sends an HTTP request: refused at connect, accepted then
 * closed without a byte, accepted and never answered within `waitMs`, or answered.
 */
export function probe(host: string, port: number, waitMs = 400): Promise<Probe> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let connected = false;
    const done = (result: Probe) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done('held'), waitMs);
    socket.on('connect', () => {
      connected = true;
      socket.write(`GET / HTTP/1.1\r\nHost: probe\r\nConnection: close\r\n\r\n`);
    });
    socket.on('data', () => done('answered'));
    socket.on('error', (error: NodeJS.ErrnoException) =>
      done(!connected && error.code === 'ECONNREFUSED' ? 'refused' : 'closed'),
    );
    socket.on('end', () => done('closed'));
  });
}

export interface Handshake {
  ok: boolean;
  fingerprint256?: string;
  error?: string;
}

export function handshake(host: string, port: number, servername?: string): Promise<Handshake> {
  return new Promise((resolve) => {
    const socket = tls.connect({ host, port, servername, rejectUnauthorized: false, timeout: 3000 });
    socket.once('secureConnect', () => {
      const fingerprint256 = socket.getPeerCertificate().fingerprint256;
      socket.destroy();
      resolve({ ok: true, fingerprint256 });
    });
    socket.once('error', (error) => {
      socket.destroy();
      resolve({ ok: false, error: error.message });
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve({ ok: false, error: 'timeout' });
    });
  });
}

/** An HTTPS GET with SNI `servername` (like curl -k --resolve). */
export function httpsRequest(host: string, port: number, servername: string, path = '/'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host, port, servername, rejectUnauthorized: false, timeout: 3000 });
    socket.once('error', reject);
    socket.once('secureConnect', () => {
      const req = http.request({ createConnection: () => socket, path, headers: { Host: servername } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          socket.destroy();
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('latin1'),
            localPort: socket.localPort ?? 0,
          });
        });
      });
      req.on('error', reject);
      req.end();
    });
  });
}

/** Poll `attempt` every 50 ms until it returns a value, or fail after `timeoutMs`. */
export async function eventually<T>(attempt: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await attempt().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A scratch folder for manifests, removed by `dispose`. */
export async function scratch(): Promise<{
  dir: string;
  write(name: string, text: string): Promise<string>;
  dispose(): Promise<void>;
}> {
  const dir = await mkdtemp(path.join(tmpdir(), 'double-'));
  return {
    dir,
    async write(name, text) {
      const file = path.join(dir, name);
      await writeFile(file, text);
      return file;
    },
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
