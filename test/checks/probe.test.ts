import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_HOST_PORTS } from '../../src/cluster/types.js';
import type { CommandEnv, GlobalOptions } from '../../src/commands/types.js';
import { UsageError } from '../../src/core/errors.js';
import type { Lang } from '../../src/core/i18n.js';
import { Output } from '../../src/ui/output.js';
import { noProcesses } from './context.js';
import {
  closedPort,
  httpServer,
  httpsServer,
  roundRobinFront,
  selfSigned,
  silentListener,
  whoamiServer,
  type Listening,
  type WhoamiServer,
} from './servers.js';

// The OS resolver is replaced: no DNS query leaves this machine.
const lookup = vi.hoisted(() => vi.fn());
vi.mock('node:dns/promises', () => ({ lookup, default: { lookup } }));

const { run } = await import('../../src/commands/probe.js');

let pods: WhoamiServer[];
let front: Listening;
let tlsFront: Listening;
let silent: Listening;
let refusedPort: number;
let hostsFile: string;
const cert = selfSigned(['niniz.com']);

beforeAll(async () => {
  pods = [
    await whoamiServer('127.0.0.71', 'jordy-6b8d7c9f5-aaaaa'),
    await whoamiServer('127.0.0.72', 'jordy-6b8d7c9f5-bbbbb'),
  ];
  front = await roundRobinFront('127.0.0.70', pods);
  tlsFront = await httpsServer('127.0.0.73', { 'niniz.com': cert });
  silent = await silentListener('127.0.0.74');
  refusedPort = await closedPort('127.0.0.75');
  const dir = await mkdtemp(join(tmpdir(), 'probe-'));
  hostsFile = join(dir, 'hosts');
  await writeFile(hostsFile, '127.0.0.70 jordy.niniz.com\n93.184.215.14 niniz.com\n');
});
afterAll(async () => {
  await Promise.all([...pods, front, tlsFront, silent].map((s) => s.close()));
});

function sink() {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

async function probe(url: string | undefined, opts: Record<string, unknown> = {}, global: Partial<GlobalOptions> = {}) {
  const stdout = sink();
  const stderr = sink();
  const lang: Lang = global.lang ?? 'en';
  const provider = vi.fn(async () => {
    throw new Error('no cluster in this test');
  });
  const env: CommandEnv = {
    options: {
      lang,
      yes: false,
      dryRun: false,
      json: Boolean(opts.json),
      verbose: false,
      clusterName: 'expose-labs',
      ports: DEFAULT_HOST_PORTS,
      hostsFile,
      noHosts: false,
      keepOnFailure: false,
      home: tmpdir(),
      ...global,
    },
    io: { stdout: stdout.stream, stderr: stderr.stream, stdin: process.stdin, env: {}, argv0: ['node', 'expose-labs'] },
    deps: { provider, exec: noProcesses },
    out: new Output(lang, stdout.stream, stderr.stream, false),
    signal: new AbortController().signal,
    interactive: false,
  };
  const code = await run(env, {
    args: url === undefined ? [] : [url],
    opts: { connections: 1, timeout: 3000, ...opts },
  });
  return { code, stdout: stdout.text(), stderr: stderr.text(), provider };
}

describe('expose-labs probe', () => {
  it('new connections: which pod answered each request, a bar chart of the spread, the curl line', async () => {
    const { code, stdout } = await probe(`http://127.0.0.70:${front.port}/`, { connections: 4 });
    expect(code).toBe(0);
    expect(stdout).toContain(`$ for i in $(seq 1 4); do curl -sS -i http://127.0.0.70:${front.port}/; done`);
    expect(stdout).toContain('4 request(s), a new connection each');
    expect(stdout).toMatch(/#1 +conn 1 +HTTP 200 +jordy-6b8d7c9f5-aaaaa/);
    expect(stdout).toMatch(/#2 +conn 2 +HTTP 200 +jordy-6b8d7c9f5-bbbbb/);
    expect(stdout).toContain('Answers per pod');
    // The same chart as a step's checks draw: each bar is the pod's share of all answers.
    expect(stdout).toMatch(/jordy-6b8d7c9f5-aaaaa {2}█+·+ {2}2 +50%/);
    expect(stdout).toMatch(/jordy-6b8d7c9f5-bbbbb {2}█+·+ {2}2 +50%/);
    expect(stdout).toContain('✔ Every request got an answer (HTTP 200)');
  });

  it('--keepalive: one connection, one pod (JSON)', async () => {
    const { code, stdout } = await probe(`http://127.0.0.70:${front.port}/`, {
      connections: 3,
      keepalive: true,
      json: true,
    });
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.requests.map((r: { connection: number }) => r.connection)).toEqual([1, 1, 1]);
    expect(Object.values(report.pods)).toEqual([3]);
    expect(report.command).toBe(`curl -sS -i ${Array(3).fill(`http://127.0.0.70:${front.port}/`).join(' ')}`);
  });

  it('--json has a stable shape', async () => {
    const { stdout } = await probe('http://jordy.niniz.com:' + front.port + '/x', { json: true, expectStatus: 200 });
    const report = JSON.parse(stdout);
    expect(Object.keys(report)).toEqual([
      'url',
      'command',
      'connect',
      'host',
      'servername',
      'keepalive',
      'expectStatus',
      'ok',
      'requests',
      'pods',
      'certificate',
      'failure',
      'receipt',
    ]);
    expect(report).toMatchObject({
      url: `http://jordy.niniz.com:${front.port}/x`,
      connect: { address: '127.0.0.70', port: front.port, via: 'hosts-file' },
      host: `jordy.niniz.com:${front.port}`,
      servername: null,
      keepalive: false,
      expectStatus: 200,
      ok: true,
      certificate: null,
      failure: null,
    });
    expect(Object.keys(report.requests[0])).toEqual(['index', 'connection', 'ms', 'ok', 'status', 'pod', 'remoteAddr']);
    expect(report.requests[0].remoteAddr).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it('https: shows the certificate, says self-signed and untrusted, with --insecure still answers', async () => {
    const { code, stdout } = await probe(`https://127.0.0.73:${tlsFront.port}/jordy`, {
      host: 'niniz.com',
      insecure: true,
    });
    expect(code).toBe(0);
    expect(stdout).toContain(
      `$ curl -sS -i -k --resolve niniz.com:${tlsFront.port}:127.0.0.73 https://niniz.com:${tlsFront.port}/jordy`,
    );
    expect(stdout).toContain('subject   CN=niniz.com');
    expect(stdout).toContain('SAN       niniz.com');
    expect(stdout).toContain(`SHA-256   ${cert.fingerprint256}`);
    expect(stdout).toContain('(self-signed)');
    expect(stdout).toMatch(/not trusted: .*SELF_SIGNED/);
  });

  it('https without --insecure: a TLS failure, the certificate still shown, exit 1', async () => {
    const { code, stdout } = await probe(`https://127.0.0.73:${tlsFront.port}/`, { host: 'niniz.com', json: true });
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.failure).toMatchObject({ kind: 'tls', phase: 'verify' });
    expect(report.certificate).toMatchObject({ fingerprint256: cert.fingerprint256, selfSigned: true, trusted: false });
  });

  it('refused and dropped are named; exit 1', async () => {
    const refused = await probe(`http://127.0.0.75:${refusedPort}/`);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('✖ Failed: connection refused');
    expect(refused.stdout).toContain('Nothing accepts connections');
    const dropped = await probe(`http://127.0.0.74:${silent.port}/`, { timeout: 300, json: true });
    expect(dropped.code).toBe(1);
    expect(JSON.parse(dropped.stdout).failure).toMatchObject({ kind: 'dropped', phase: 'answer' });
    expect(JSON.parse(dropped.stdout).receipt.hops.at(-1)).toMatchObject({ layer: 'kube-proxy', outcome: 'dropped' });
  });

  it('--expect-status: a different status is exit 1', async () => {
    const { code, stdout } = await probe(`http://127.0.0.70:${front.port}/`, { expectStatus: 404 });
    expect(code).toBe(1);
    expect(stdout).toContain('Expected HTTP 404, got HTTP 200');
  });

  it('a name pointing outside the lab is not probed', async () => {
    const { code, stdout, provider } = await probe('http://niniz.com/', { json: true });
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.connect).toBeNull();
    expect(report.requests).toEqual([]);
    expect(report.failure).toMatchObject({
      kind: 'not-lab',
      cause: expect.stringContaining('does not point at the lab yet'),
    });
    expect(provider).toHaveBeenCalled();
  });

  it('a literal address outside the lab gets the same rule as a name: not probed', async () => {
    for (const [url, opts] of [
      ['http://10.0.0.1/', {}],
      ['http://93.184.215.14/', {}],
      ['http://niniz.com/', { resolve: '93.184.215.14' }],
    ] as const) {
      const { code, stdout } = await probe(url, { ...opts, json: true });
      expect(code, url).toBe(1);
      const report = JSON.parse(stdout);
      expect(report.connect, url).toBeNull();
      expect(report.requests, url).toEqual([]);
      expect(report.failure, url).toMatchObject({ kind: 'not-lab' });
    }
  });

  it('--timeout above what a timer can hold (2^31 - 1 ms) is a usage error, not an instant "dropped"', async () => {
    await expect(probe(`http://127.0.0.74:${silent.port}/`, { timeout: 2 ** 31 })).rejects.toBeInstanceOf(UsageError);
    await expect(probe(`http://127.0.0.74:${silent.port}/`, { timeout: 1e12 })).rejects.toThrow(/from 1 to 2147483647/);
  });

  it('speaks Korean', async () => {
    const { stdout } = await probe(`http://127.0.0.75:${refusedPort}/`, {}, { lang: 'ko' });
    expect(stdout).toContain('실패: 연결 거부');
  });

  it('bad input is a usage error, not a stack trace', async () => {
    await expect(probe(undefined)).rejects.toBeInstanceOf(UsageError);
    await expect(probe('ftp://niniz.com/')).rejects.toBeInstanceOf(UsageError);
    await expect(probe('http://x/', { resolve: 'not an ip' })).rejects.toBeInstanceOf(UsageError);
    await expect(probe('http://x/', { host: 'a\r\nX: y' })).rejects.toBeInstanceOf(UsageError);
  });

  it("--resolve also takes curl's name:port:address form", async () => {
    const { code, stdout } = await probe(`http://jordy.niniz.com:${front.port}/`, {
      resolve: `jordy.niniz.com:${front.port}:127.0.0.70`,
      json: true,
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout).connect).toEqual({ address: '127.0.0.70', port: front.port, via: 'resolve' });
  });
});

describe('probe explains from what the socket showed (issue 12, item 3)', () => {
  let python: Listening;
  let closer: Listening;
  let envoyLike: Listening;
  beforeAll(async () => {
    // Python's http.server: its own Server header and an HTML 404 page.
    python = await httpServer('127.0.0.76', (_req, res) => {
      res.writeHead(404, { Server: 'SimpleHTTP/0.6 Python/3.11.2', 'Content-Type': 'text/html' });
      res.end('<html><body><h1>404 Not Found</h1></body></html>');
    });
    closer = await httpServer('127.0.0.77', (_req, res) => {
      res.writeHead(200, { Connection: 'close', 'Content-Type': 'text/plain' });
      res.end('Hostname: jordy-6b8d7c9f5-ccccc\n');
    });
    envoyLike = await httpServer('127.0.0.78', (_req, res) => {
      res.writeHead(404, { server: 'envoy', 'content-length': '0' });
      res.end();
    });
  });
  afterAll(async () => Promise.all([python, closer, envoyLike].map((s) => s.close())));

  it('https to a plain-HTTP port: says the port speaks plain HTTP, not that spec.tls is missing', async () => {
    const { code, stdout } = await probe(`https://127.0.0.76:${python.port}/`, { insecure: true });
    expect(code).toBe(1);
    expect(stdout).toContain('this port speaks plain HTTP');
    expect(stdout).not.toContain('spec.tls');
  });

  it('http to a TLS port: a TLS hello there is answered, so it says use https://, not "no ready pod"', async () => {
    const { code, stdout } = await probe(`http://127.0.0.73:${tlsFront.port}/`, {}, { lang: 'en' });
    expect(code).toBe(1);
    expect(stdout).toContain('This port speaks TLS');
    expect(stdout).not.toContain('no ready pod');
  });

  it("a 404 from a server that is not Envoy is not blamed on Envoy's rules", async () => {
    const py = await probe(`http://127.0.0.76:${python.port}/`, { expectStatus: 200 });
    expect(py.code).toBe(1);
    expect(py.stdout).toContain('did not come from Envoy (server: SimpleHTTP/0.6 Python/3.11.2)');
    expect(py.stdout).not.toContain('no ingress rule');
    const envoy = await probe(`http://127.0.0.78:${envoyLike.port}/`, { expectStatus: 200 });
    expect(envoy.stdout).toContain('no ingress rule matches this host and path');
  });

  it('--keepalive against a server that closes each connection says how many connections it took', async () => {
    const { stdout } = await probe(`http://127.0.0.77:${closer.port}/`, { connections: 5, keepalive: true });
    expect(stdout).toContain('keep-alive asked, but the server closed after each answer: 5 connections');
    expect(stdout).not.toContain('on one connection');
  });

  it('takes a URL without a scheme as http://, as curl does', async () => {
    const { code, stdout } = await probe(`127.0.0.70:${front.port}`);
    expect(code).toBe(0);
    expect(stdout).toContain(`$ curl -sS -i http://127.0.0.70:${front.port}\n`);
  });
});
