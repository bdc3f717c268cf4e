import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Socket } from 'node:net';
import { openConnection } from '../../src/checks/http-client.js';
import { exchangeFromHost } from '../../src/checks/host-exchange.js';
import { parseResponse } from '../../src/checks/http-parser.js';
import { ProbeFailure } from '../../src/checks/failure.js';
import { planRequest } from '../../src/checks/target.js';
import {
  closedPort,
  closingListener,
  httpsServer,
  selfSigned,
  silentListener,
  whoamiServer,
  type Listening,
} from './servers.js';

const names = { hostsFile: '/nonexistent/hosts', noHosts: false, labNetworks: async () => [] };

async function plan(url: string, extra: { host?: string; insecure?: boolean } = {}) {
  const p = await planRequest({ url, ...extra }, names);
  if (!p.ok) throw new Error('plan failed');
  return p.plan;
}

async function failureOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ProbeFailure) return error.failure;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('response parser', () => {
  const head = { head: false, ended: false };
  it('reads a Content-Length body and leaves the rest', () => {
    const buf = Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.1');
    const parsed = parseResponse(buf, head)!;
    expect(parsed.response.body).toBe('hello');
    expect(parsed.response.keepAlive).toBe(true);
    expect(buf.subarray(parsed.consumed).toString()).toBe('HTTP/1.1');
  });
  it('waits for the rest of a body', () => {
    expect(parseResponse(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel'), head)).toBeUndefined();
  });
  it('reads a chunked body with trailers absent and present', () => {
    const plain = parseResponse(
      Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n'),
      head,
    )!;
    expect(plain.response.body).toBe('abcde');
    const trailers = parseResponse(
      Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;x=y\r\nz\r\n0\r\nX-T: 1\r\n\r\n'),
      head,
    )!;
    expect(trailers.response.body).toBe('z');
    expect(
      parseResponse(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nab'), head),
    ).toBeUndefined();
  });
  it('reads a body that runs to the close, and marks the connection spent', () => {
    const buf = Buffer.from('HTTP/1.0 200 OK\r\n\r\nold style');
    expect(parseResponse(buf, head)).toBeUndefined();
    const parsed = parseResponse(buf, { head: false, ended: true })!;
    expect(parsed.response.body).toBe('old style');
    expect(parsed.response.keepAlive).toBe(false);
  });
  it('skips 100 Continue, honours Connection: close, HEAD and 204 have no body', () => {
    const parsed = parseResponse(
      Buffer.from(
        'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n',
      ),
      head,
    )!;
    expect(parsed.response.status).toBe(404);
    expect(parsed.response.keepAlive).toBe(false);
    expect(
      parseResponse(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n'), { head: true, ended: false })!
        .response.body,
    ).toBe('');
    expect(parseResponse(Buffer.from('HTTP/1.1 204 No Content\r\n\r\n'), head)!.response.status).toBe(204);
  });
  it('rejects what is not HTTP', () => {
    expect(() => parseResponse(Buffer.from('SSH-2.0-OpenSSH_9\r\n\r\n'), head)).toThrow(/not an HTTP answer/);
  });
});

describe('raw HTTP client over real sockets', () => {
  let pod: Awaited<ReturnType<typeof whoamiServer>>;
  let silent: Listening;
  let closing: Listening;
  let resetting: Listening;
  let refusedPort: number;
  beforeAll(async () => {
    pod = await whoamiServer('127.0.0.21', 'jordy-5d4f6-aaaaa');
    silent = await silentListener('127.0.0.22');
    closing = await closingListener('127.0.0.23');
    resetting = await closingListener('127.0.0.24', true);
    refusedPort = await closedPort('127.0.0.25');
  });
  afterAll(async () => {
    await Promise.all([pod.close(), silent.close(), closing.close(), resetting.close()]);
  });

  it('keeps one socket for keep-alive requests: the server sees one client port', async () => {
    pod.requests.length = 0;
    const attempts = await exchangeFromHost(await plan(`http://127.0.0.21:${pod.port}/`), {
      count: 4,
      keepAlive: true,
      timeoutMs: 1000,
      stopOnFailure: true,
    });
    expect(attempts.map((a) => a.ok && a.connection)).toEqual([1, 1, 1, 1]);
    expect(new Set(pod.requests.map((r) => r.remotePort)).size).toBe(1);
    expect(pod.requests).toHaveLength(4);
  });

  it('opens a new socket per request without keep-alive: four client ports', async () => {
    pod.requests.length = 0;
    const attempts = await exchangeFromHost(await plan(`http://127.0.0.21:${pod.port}/x?y=1`), {
      count: 4,
      keepAlive: false,
      timeoutMs: 1000,
      stopOnFailure: true,
    });
    expect(attempts.map((a) => a.ok && a.connection)).toEqual([1, 2, 3, 4]);
    expect(new Set(pod.requests.map((r) => r.remotePort)).size).toBe(4);
    expect(pod.requests[0]!.url).toBe('/x?y=1');
  });

  it('sends the Host header it is told and reads the pod from the whoami body', async () => {
    const attempts = await exchangeFromHost(await plan(`http://127.0.0.21:${pod.port}/`, { host: 'jordy.niniz.com' }), {
      count: 1,
      keepAlive: false,
      timeoutMs: 1000,
      stopOnFailure: true,
    });
    const a = attempts[0]!;
    expect(a.ok && a.whoami?.hostname).toBe('jordy-5d4f6-aaaaa');
    expect(a.ok && a.whoami?.headers).toContainEqual(['Host', 'jordy.niniz.com']);
    expect(a.ok && a.whoami?.remoteAddress).toBe('127.0.0.1');
  });

  it('refused: ECONNREFUSED at once', async () => {
    const started = Date.now();
    const failure = await failureOf(openConnection({ address: '127.0.0.25', port: refusedPort }, { timeoutMs: 5000 }));
    expect(failure).toMatchObject({ kind: 'refused', phase: 'connect' });
    // "At once" means before the connect timeout, not within some window a busy machine may miss.
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('dropped: connected, and no byte before the timeout', async () => {
    const started = Date.now();
    const [a] = await exchangeFromHost(await plan(`http://127.0.0.22:${silent.port}/`), {
      count: 1,
      keepAlive: false,
      timeoutMs: 300,
      stopOnFailure: true,
    });
    expect(a).toMatchObject({ ok: false, failure: { kind: 'dropped', phase: 'answer' } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('dropped during the TLS handshake: connected, no TLS answer', async () => {
    const [a] = await exchangeFromHost(await plan(`https://127.0.0.22:${silent.port}/`, { insecure: true }), {
      count: 1,
      keepAlive: false,
      timeoutMs: 300,
      stopOnFailure: true,
    });
    expect(a).toMatchObject({ ok: false, failure: { kind: 'dropped', phase: 'handshake' } });
  });

  it('closed without an answer, and reset, are both "reset"', async () => {
    const [closed] = await exchangeFromHost(await plan(`http://127.0.0.23:${closing.port}/`), {
      count: 1,
      keepAlive: false,
      timeoutMs: 1000,
      stopOnFailure: true,
    });
    expect(closed).toMatchObject({ ok: false, failure: { kind: 'reset', phase: 'answer' } });
    const [reset] = await exchangeFromHost(await plan(`http://127.0.0.24:${resetting.port}/`), {
      count: 1,
      keepAlive: false,
      timeoutMs: 1000,
      stopOnFailure: true,
    });
    expect(reset).toMatchObject({ ok: false, failure: { kind: 'reset' } });
  });

  it('a server that is not HTTP is a protocol failure', async () => {
    const server = createServer((s: Socket) => s.end('SSH-2.0-OpenSSH_9.6\r\n\r\n'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.26', r));
    const port = (server.address() as { port: number }).port;
    const [a] = await exchangeFromHost(await plan(`http://127.0.0.26:${port}/`), {
      count: 1,
      keepAlive: false,
      timeoutMs: 1000,
      stopOnFailure: true,
    });
    expect(a).toMatchObject({ ok: false, failure: { kind: 'protocol' } });
    server.close();
  });

  it('a server that closes after each answer gets a new connection even with keep-alive', async () => {
    const server = createServer((s: Socket) =>
      s.once('data', () => s.end('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok')),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.27', r));
    const port = (server.address() as { port: number }).port;
    const attempts = await exchangeFromHost(await plan(`http://127.0.0.27:${port}/`), {
      count: 3,
      keepAlive: true,
      timeoutMs: 1000,
      stopOnFailure: true,
    });
    expect(attempts.map((a) => a.ok && a.connection)).toEqual([1, 2, 3]);
    server.close();
  });

  it('the abort signal stops a waiting request', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const run = exchangeFromHost(await plan(`http://127.0.0.22:${silent.port}/`), {
      count: 1,
      keepAlive: false,
      timeoutMs: 5000,
      stopOnFailure: true,
      signal: controller.signal,
    });
    await expect(run).rejects.toThrow(/interrupted/);
  });
});

describe('TLS', () => {
  const niniz = selfSigned(['niniz.com']);
  let server: Awaited<ReturnType<typeof httpsServer>>;
  beforeAll(async () => {
    server = await httpsServer('127.0.0.28', { 'niniz.com': niniz });
  });
  afterAll(() => server.close());

  // The server has no fallback certificate, so a finished handshake also proves the SNI name was sent.
  it('insecure: connects to a self-signed server, captures the certificate and says it is self-signed', async () => {
    const connection = await openConnection(
      { address: '127.0.0.28', port: server.port, tls: { servername: 'niniz.com', insecure: true } },
      { timeoutMs: 1000 },
    );
    connection.close();
    expect(connection.info.certificate).toMatchObject({
      subjectCN: 'niniz.com',
      san: ['niniz.com'],
      fingerprint256: niniz.fingerprint256,
      selfSigned: true,
      expired: false,
    });
    expect(connection.info.trustError).toMatch(/SELF_SIGNED/);
  });

  it('without insecure: a verify failure that still carries the certificate', async () => {
    const error = await openConnection(
      { address: '127.0.0.28', port: server.port, tls: { servername: 'niniz.com', insecure: false } },
      { timeoutMs: 1000 },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProbeFailure);
    expect((error as ProbeFailure).failure).toMatchObject({ kind: 'tls', phase: 'verify' });
    expect((error as ProbeFailure).certificate?.fingerprint256).toBe(niniz.fingerprint256);
  });

  it('a name the server has no certificate for fails the handshake', async () => {
    const failure = await failureOf(
      openConnection(
        { address: '127.0.0.28', port: server.port, tls: { servername: 'other.com', insecure: true } },
        { timeoutMs: 1000 },
      ),
    );
    expect(failure).toMatchObject({ kind: 'tls', phase: 'handshake' });
  });

  it('https requests over one keep-alive TLS connection', async () => {
    const attempts = await exchangeFromHost(
      await plan(`https://127.0.0.28:${server.port}/jordy`, { host: 'niniz.com', insecure: true }),
      { count: 3, keepAlive: true, timeoutMs: 1000, stopOnFailure: true },
    );
    expect(attempts.every((a) => a.ok && a.connection === 1 && a.response.status === 200)).toBe(true);
    expect(attempts[0]!.ok && attempts[0]!.whoami?.headers).toContainEqual(['Host', `niniz.com:${server.port}`]);
  });
});

describe('hostile servers', () => {
  /** A server that sends `head` and then body bytes forever (or `total` of them), in chunks of `chunk`. */
  async function flooding(
    address: string,
    head: string,
    chunk = 16 * 1024,
  ): Promise<Listening & { sent: () => number }> {
    let sent = 0;
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.once('data', () => {
        socket.write(head);
        const block = Buffer.alloc(chunk, 0x61);
        const pump = () => {
          while (!socket.destroyed && socket.write(block)) sent += block.length;
          if (!socket.destroyed) socket.once('drain', pump);
        };
        pump();
      });
    });
    await new Promise<void>((r) => server.listen(0, address, r));
    const port = (server.address() as { port: number }).port;
    return {
      address,
      port,
      sent: () => sent,
      close: async () => {
        for (const s of sockets) s.destroy();
        await new Promise<void>((r) => server.close(() => r()));
      },
    };
  }

  it.each([
    [
      'an endless body without a length',
      'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n',
      /the answer exceeded 262144 bytes/,
    ],
    [
      'an endless chunked body',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4000\r\n',
      /the answer exceeded 262144 bytes/,
    ],
    [
      'a Content-Length of 10 GB',
      'HTTP/1.1 200 OK\r\nContent-Length: 10000000000\r\n\r\n',
      /the answer exceeded 262144 bytes/,
    ],
    ['an endless head', 'HTTP/1.1 200 OK\r\nX-Long: ', /the answer exceeded 16384 bytes/],
  ])('%s ends as a protocol failure at the cap, saying so', async (_name, head, said) => {
    const server = await flooding('127.0.0.91', head);
    try {
      const started = Date.now();
      const failure = await failureOf(
        (async () => {
          const connection = await openConnection({ address: server.address, port: server.port }, { timeoutMs: 5000 });
          return connection.request({ method: 'GET', path: '/', host: 'x' }, { timeoutMs: 5000 });
        })(),
      );
      expect(failure).toMatchObject({ kind: 'protocol', phase: 'answer', detail: expect.stringMatching(said) });
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await server.close();
    }
  });

  it('an answer split at every byte is still read whole', async () => {
    const answer = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n';
    const server = createServer((socket) => {
      socket.once('data', () => {
        const bytes = [...answer];
        const next = () => {
          const ch = bytes.shift();
          if (ch === undefined) return;
          socket.write(ch);
          setTimeout(next, 1);
        };
        next();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.92', r));
    const port = (server.address() as { port: number }).port;
    try {
      const connection = await openConnection({ address: '127.0.0.92', port }, { timeoutMs: 5000 });
      const response = await connection.request({ method: 'GET', path: '/', host: 'x' }, { timeoutMs: 5000 });
      expect(response.body).toBe('hello');
      connection.close();
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
