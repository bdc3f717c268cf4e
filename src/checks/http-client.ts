import { connect as netConnect, isIP, type Socket } from 'node:net';
import { checkServerIdentity, connect as tlsConnect, type TLSSocket } from 'node:tls';
import { InterruptedError } from '../core/errors.js';
import { classifySocketError, ProbeFailure, type Failure } from './failure.js';
import {
  exceeded,
  HEAD_END,
  MalformedResponse,
  MAX_ANSWER_BYTES,
  MAX_HEAD_BYTES,
  parseResponse,
  type HttpResponse,
} from './http-parser.js';
import { describeCertificate, type CertificateInfo } from './peer-certificate.js';
import { normalizeAddress } from './address.js';

/**
 * A small HTTP/1.1 client on raw sockets, so that every phase has its own timeout and every failure its own
 * name: refused, dropped before or after the connect, reset, TLS, and so that keep-alive is one socket for sure.
 */
export interface Endpoint {
  /** An IP address (names are resolved before, see resolve-name.ts). */
  address: string;
  port: number;
  /** Present for https. */
  tls?: { servername?: string; insecure: boolean };
}

export interface RequestHead {
  method: string;
  /** Path and query, e.g. `/jordy?x=1`. */
  path: string;
  /** The Host header. */
  host: string;
  /** Ask the server to close after the answer (each request on its own connection). */
  close?: boolean;
}

export interface ConnectionInfo {
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  certificate?: CertificateInfo;
  /** Why the certificate is not trusted (with insecure, the connection goes on anyway). */
  trustError?: string;
}

export interface Deadline {
  timeoutMs: number;
  signal?: AbortSignal;
}

const USER_AGENT = 'expose-labs-probe';

/** Run `start` with a timer and an abort signal; `settle` is called exactly once. */
function guarded<T>(
  deadline: Deadline,
  onTimeout: () => unknown,
  onAbort: () => void,
  start: (settle: (error: unknown, value?: T) => void) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const settle = (error: unknown, value?: T) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      deadline.signal?.removeEventListener('abort', abort);
      if (error) reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
      else resolve(value as T);
    };
    const abort = () => {
      onAbort();
      settle(new InterruptedError());
    };
    const timer = setTimeout(() => settle(onTimeout()), deadline.timeoutMs);
    if (deadline.signal?.aborted) return abort();
    deadline.signal?.addEventListener('abort', abort, { once: true });
    start(settle);
  });
}

function connectTcp(address: string, port: number, deadline: Deadline): Promise<Socket> {
  const socket = netConnect({ host: address, port });
  return guarded<Socket>(
    deadline,
    () => {
      socket.destroy();
      return new ProbeFailure({
        kind: 'dropped',
        phase: 'connect',
        detail: `no answer to the connection attempt within ${deadline.timeoutMs} ms`,
      });
    },
    () => socket.destroy(),
    (settle) => {
      socket.once('connect', () => settle(undefined, socket));
      socket.once('error', (error) => {
        socket.destroy();
        settle(new ProbeFailure(classifySocketError(error, 'connect')));
      });
    },
  );
}

function handshake(
  raw: Socket,
  options: { servername?: string; insecure: boolean; address: string },
  deadline: Deadline,
): Promise<{ socket: TLSSocket; info: Pick<ConnectionInfo, 'certificate' | 'trustError'> }> {
  const servername = options.servername && isIP(options.servername) === 0 ? options.servername : undefined;
  const socket = tlsConnect({ socket: raw, servername, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] });
  return guarded(
    deadline,
    () => {
      const silent = raw.bytesRead === 0;
      socket.destroy();
      return new ProbeFailure(
        silent
          ? {
              kind: 'dropped',
              phase: 'handshake',
              detail: `connected, but no TLS answer within ${deadline.timeoutMs} ms`,
            }
          : {
              kind: 'tls',
              phase: 'handshake',
              detail: `the TLS handshake did not finish within ${deadline.timeoutMs} ms`,
            },
      );
    },
    () => socket.destroy(),
    (settle) => {
      socket.once('secureConnect', () => {
        const x509 = socket.getPeerX509Certificate();
        const certificate = x509 ? describeCertificate(x509) : undefined;
        let trustError = socket.authorized ? undefined : String(socket.authorizationError ?? 'not trusted');
        if (!trustError) {
          const mismatch = checkServerIdentity(options.servername ?? options.address, socket.getPeerCertificate());
          if (mismatch) trustError = mismatch.message;
        }
        if (trustError && !options.insecure) {
          socket.destroy();
          return settle(new ProbeFailure({ kind: 'tls', phase: 'verify', detail: trustError }, certificate));
        }
        settle(undefined, { socket, info: { certificate, trustError } });
      });
      socket.once('error', (error: NodeJS.ErrnoException) => {
        socket.destroy();
        const closed = error.code === 'ECONNRESET' || error.code === 'EPIPE';
        settle(
          new ProbeFailure({
            kind: 'tls',
            phase: 'handshake',
            detail: closed
              ? 'the server closed the connection during the TLS handshake'
              : (error.code ?? error.message),
          }),
        );
      });
    },
  );
}

/**
 * The bytes of the answer being read: kept as chunks and joined only when a parse can succeed (a head or a chunked
 * body ended in the new bytes, the announced length arrived, the peer closed), never beyond MAX_ANSWER_BYTES.
 */
class AnswerBuffer {
  private chunks: Buffer[] = [];
  length = 0;
  /** Try to parse again once this many bytes are here (from the parser's Content-Length). */
  readonly need: { bytes?: number } = {};
  private fresh = false;
  private headSeen = false;
  /** The last bytes received, so a CRLFCRLF split across chunks is still seen. */
  private tail: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
    const joined = Buffer.concat([this.tail, chunk]);
    if (joined.includes(HEAD_END)) this.fresh = this.headSeen = true;
    this.tail = joined.subarray(-3);
  }

  /** Worth a parse: something that can complete an answer (or break the head's limit) arrived since the last. */
  ready(ended: boolean): boolean {
    if (ended || this.fresh) return true;
    if (!this.headSeen && this.length > MAX_HEAD_BYTES) return true;
    return this.need.bytes !== undefined && this.length >= this.need.bytes;
  }

  bytes(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    this.fresh = false;
    this.need.bytes = undefined;
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  /** Keep what follows `consumed` (the start of a next answer on a kept-alive connection). */
  drop(consumed: number): void {
    const rest = this.bytes().subarray(consumed);
    this.chunks = rest.length ? [rest] : [];
    this.length = rest.length;
    this.fresh = this.headSeen = rest.includes(HEAD_END);
    this.tail = rest.subarray(-3);
  }

  clear(): void {
    this.chunks = [];
    this.length = 0;
    this.fresh = this.headSeen = false;
    this.need.bytes = undefined;
    this.tail = Buffer.alloc(0);
  }
}

/** One open connection; requests go one after another (HTTP/1.1 without pipelining). */
export class HttpConnection {
  private buffer = new AnswerBuffer();
  private ended = false;
  private socketError: unknown;
  private reusable = true;
  private waiter: (() => void) | undefined;

  constructor(
    private readonly socket: Socket,
    readonly info: ConnectionInfo,
  ) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer.push(chunk);
      if (this.waiter) this.waiter();
      // Bytes nobody asked for, beyond any answer's size: the connection is not worth keeping.
      else if (this.buffer.length > MAX_ANSWER_BYTES) this.fail();
    });
    socket.on('end', () => {
      this.ended = true;
      this.waiter?.();
    });
    socket.on('error', (error) => {
      this.socketError = error;
      this.waiter?.();
    });
    socket.on('close', () => {
      this.ended = true;
      this.waiter?.();
    });
  }

  /** False once the server said `Connection: close`, closed, or a request on it failed. */
  get open(): boolean {
    return this.reusable && !this.ended && this.socketError === undefined;
  }

  request(head: RequestHead, deadline: Deadline): Promise<HttpResponse> {
    const lines = [
      `${head.method} ${head.path} HTTP/1.1`,
      `Host: ${head.host}`,
      `User-Agent: ${USER_AGENT}`,
      'Accept: */*',
      ...(head.close ? ['Connection: close'] : []),
    ];
    this.buffer.clear();
    const isHead = head.method.toUpperCase() === 'HEAD';
    return guarded<HttpResponse>(
      deadline,
      () => {
        this.fail();
        return new ProbeFailure(
          this.buffer.length === 0
            ? { kind: 'dropped', phase: 'answer', detail: `connected, but no answer within ${deadline.timeoutMs} ms` }
            : { kind: 'protocol', phase: 'answer', detail: `the answer stopped after ${this.buffer.length} bytes` },
        );
      },
      () => this.fail(),
      (settle) => {
        this.waiter = () => {
          try {
            const ended = this.ended || this.socketError !== undefined;
            if (this.buffer.length > MAX_ANSWER_BYTES) throw new MalformedResponse(exceeded(MAX_ANSWER_BYTES));
            if (!this.buffer.ready(ended)) return;
            const parsed = parseResponse(this.buffer.bytes(), { head: isHead, ended, need: this.buffer.need });
            if (!parsed) return;
            this.waiter = undefined;
            this.buffer.drop(parsed.consumed);
            if (!parsed.response.keepAlive) this.close();
            settle(undefined, parsed.response);
          } catch (error) {
            this.waiter = undefined;
            this.fail();
            settle(new ProbeFailure(this.failureAfter(error)));
          }
        };
        this.socket.write(lines.join('\r\n') + '\r\n\r\n');
        // The server may already have closed (an idle keep-alive connection): let the waiter see it.
        if (this.ended || this.socketError) this.waiter();
      },
    );
  }

  private failureAfter(error: unknown): Failure {
    if (this.buffer.length === 0) {
      if (this.socketError) return classifySocketError(this.socketError, 'answer');
      return { kind: 'reset', phase: 'answer', detail: 'the server closed the connection without answering' };
    }
    return {
      kind: 'protocol',
      phase: 'answer',
      detail: error instanceof MalformedResponse ? error.message : String(error),
    };
  }

  private fail(): void {
    this.reusable = false;
    this.waiter = undefined;
    this.socket.destroy();
  }

  close(): void {
    this.reusable = false;
    this.socket.destroy();
  }
}

/** Connect (and for https shake hands), each phase within `deadline.timeoutMs`. Throws ProbeFailure. */
export async function openConnection(endpoint: Endpoint, deadline: Deadline): Promise<HttpConnection> {
  const raw = await connectTcp(endpoint.address, endpoint.port, deadline);
  const addresses = {
    localAddress: normalizeAddress(raw.localAddress ?? ''),
    localPort: raw.localPort ?? 0,
    remoteAddress: normalizeAddress(raw.remoteAddress ?? endpoint.address),
    remotePort: raw.remotePort ?? endpoint.port,
  };
  if (!endpoint.tls) return new HttpConnection(raw, addresses);
  const secured = await handshake(raw, { ...endpoint.tls, address: endpoint.address }, deadline);
  return new HttpConnection(secured.socket, { ...addresses, ...secured.info });
}

/** Only the TCP connect: for `refused`, which asks about the port and not about HTTP. */
export async function probeConnect(address: string, port: number, deadline: Deadline): Promise<void> {
  const socket = await connectTcp(address, port, deadline);
  socket.destroy();
}
