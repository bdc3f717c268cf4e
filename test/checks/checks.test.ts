import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CheckContext, CheckResult } from '../../src/checks/types.js';
import { certificateNames } from '../../src/checks/peer-certificate.js';
import { tr } from '../../src/core/i18n.js';
import { checkContext, fakeCluster } from './context.js';
import {
  closedPort,
  closingListener,
  httpServer,
  httpsServer,
  roundRobinFront,
  selfSigned,
  silentListener,
  whoamiBody,
  whoamiServer,
  type Listening,
  type WhoamiServer,
} from './servers.js';
import { CHECK_SPECS } from '../../src/checks/specs.js';

// The OS resolver is replaced: no DNS query leaves this machine.
const lookup = vi.hoisted(() => vi.fn());
vi.mock('node:dns/promises', () => ({ lookup, default: { lookup } }));

const { CHECKS } = await import('../../src/checks/registry.js');

async function check(name: string, spec: unknown, ctx: CheckContext = checkContext()): Promise<CheckResult> {
  const def = CHECKS.get(name)!;
  return def.run(CHECK_SPECS.get(def.name)!.parse(spec), ctx);
}

const en = (m: CheckResult['observed'] | undefined) => (m === undefined ? '' : tr(m, 'en'));

let jordyA: WhoamiServer, jordyB: WhoamiServer, jordyC: WhoamiServer, scappy: WhoamiServer;
let lb: Listening & { connections: number }; // L4, SNAT: pods see 127.0.0.99
let single: Listening & { connections: number };
let ingress: Listening & { hits: number };
let l7: Listening;
let closer: Listening;
let onLocalhost: Listening;
let tlsFront: Listening;
let expiredFront: Listening;
let mismatched: Listening; // serves the niniz.com certificate for jordy.niniz.com (a Secret made for another host)
let silent: Listening;
let closing: Listening;
let refusedPort: number;
const niniz = selfSigned(['niniz.com']);
const other = selfSigned(['niniz.com']);
const stale = selfSigned(['old.niniz.com'], { from: new Date('2020-01-01'), to: new Date('2021-01-01') });

beforeAll(async () => {
  jordyA = await whoamiServer('127.0.0.41', 'jordy-6b8d7c9f5-aaaaa');
  jordyB = await whoamiServer('127.0.0.42', 'jordy-6b8d7c9f5-bbbbb');
  jordyC = await whoamiServer('127.0.0.43', 'jordy-6b8d7c9f5-ccccc');
  scappy = await whoamiServer('127.0.0.44', 'scappy-7f9c8d6b4-sssss');
  lb = await roundRobinFront('127.0.0.32', [jordyA, jordyB, jordyC], '127.0.0.99');
  single = await roundRobinFront('127.0.0.38', [jordyA]);
  // An ingress: routes by Host and path like Envoy, 404 with an empty body when no rule matches.
  const state = { hits: 0 };
  const ingressServer = await httpServer('127.0.0.34', (req, res) => {
    state.hits++;
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    const pod =
      host === 'jordy.niniz.com'
        ? 'jordy-6b8d7c9f5-aaaaa'
        : host === 'scappy.niniz.com'
          ? 'scappy-7f9c8d6b4-sssss'
          : undefined;
    if (req.url === '/down') return res.writeHead(503).end('no healthy upstream');
    if (!pod) return res.writeHead(404, { 'content-length': '0' }).end();
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end(
      whoamiBody({
        hostname: pod,
        ips: ['10.244.1.3'],
        remote: `${req.socket.remoteAddress}:${req.socket.remotePort}`,
        req,
      }),
    );
  });
  ingress = Object.assign(ingressServer, {
    get hits() {
      return state.hits;
    },
  });
  // An L7 proxy that picks a pod per request, even on one connection.
  let n = 0;
  l7 = await httpServer('127.0.0.37', (req, res) => {
    res.end(
      whoamiBody({
        hostname: `jordy-l7-${n++ % 2}`,
        ips: [],
        remote: `${req.socket.remoteAddress}:${req.socket.remotePort}`,
        req,
      }),
    );
  });
  closer = await httpServer('127.0.0.39', (req, res) => {
    res.setHeader('Connection', 'close');
    res.end(whoamiBody({ hostname: 'jordy-closer-1', ips: [], remote: `${req.socket.remoteAddress}:1`, req }));
  });
  onLocalhost = await httpServer('127.0.0.1', (req, res) => {
    res.end(whoamiBody({ hostname: 'jordy-local-1', ips: [], remote: `${req.socket.remoteAddress}:1`, req }));
  });
  tlsFront = await httpsServer('127.0.0.33', { 'niniz.com': niniz });
  expiredFront = await httpsServer('127.0.0.45', { 'old.niniz.com': stale });
  mismatched = await httpsServer('127.0.0.46', { 'jordy.niniz.com': niniz });
  silent = await silentListener('127.0.0.35');
  closing = await closingListener('127.0.0.47');
  refusedPort = await closedPort('127.0.0.36');
});

afterAll(async () => {
  await Promise.all(
    [
      jordyA,
      jordyB,
      jordyC,
      scappy,
      lb,
      single,
      ingress,
      l7,
      closer,
      onLocalhost,
      tlsFront,
      expiredFront,
      mismatched,
      silent,
      closing,
    ].map((s) => s.close()),
  );
});

describe('http', () => {
  it('passes on the right host, status, pod, body and header, and names the pod', async () => {
    const r = await check('http', {
      url: `http://127.0.0.34:${ingress.port}/`,
      host: 'jordy.niniz.com',
      status: 200,
      pod: 'jordy',
      bodyContains: 'Hostname: jordy',
      bodyMatches: 'RemoteAddr: 127\\.0\\.0\\.1:\\d+',
      headers: { 'content-type': '^text/plain' },
    });
    expect(r.verdict).toBe('pass');
    expect(r.pods).toEqual(['jordy-6b8d7c9f5-aaaaa']);
    expect(en(r.observed)).toContain(`HTTP 200 from 127.0.0.34:${ingress.port} (Host: jordy.niniz.com)`);
    expect(r.command).toBe(`curl -sS -i -H 'Host: jordy.niniz.com' http://127.0.0.34:${ingress.port}/`);
  });

  it('404 from the ingress is not yet: no rule for this host', async () => {
    const r = await check('http', { url: `http://127.0.0.34:${ingress.port}/`, status: 200, pod: 'jordy' });
    expect(r.verdict).toBe('not-yet');
    expect(en(r.observed)).toContain('status 404');
    expect(en(r.cause)).toMatch(/no ingress rule matches this host and path/);
    expect(tr(r.cause!, 'ko')).toContain('Ingress');
  });

  it('503 is not yet: no ready endpoints', async () => {
    const r = await check('http', { url: `http://127.0.0.34:${ingress.port}/down`, host: 'jordy.niniz.com' });
    expect(r.verdict).toBe('not-yet');
    expect(en(r.cause)).toMatch(/no ready endpoints/);
  });

  it('the other app answering is wrong', async () => {
    const r = await check('http', {
      url: `http://127.0.0.34:${ingress.port}/`,
      host: 'scappy.niniz.com',
      pod: 'jordy',
    });
    expect(r.verdict).toBe('wrong');
    expect(en(r.observed)).toContain('answered by pod scappy-7f9c8d6b4-sssss');
  });

  it('a status list, and a body that does not match, are compared', async () => {
    expect((await check('http', { url: `http://127.0.0.34:${ingress.port}/`, status: [404, 200] })).verdict).toBe(
      'pass',
    );
    const r = await check('http', {
      url: `http://127.0.0.34:${ingress.port}/`,
      host: 'jordy.niniz.com',
      bodyContains: 'Hostname: scappy',
    });
    expect(r.verdict).toBe('wrong');
  });

  it('refused on a mapped port: nothing listens behind it; elsewhere: nothing accepts', async () => {
    const ctx = checkContext({ cluster: fakeCluster({ ports: { nodePort: refusedPort } }) });
    const r = await check('http', { url: `http://127.0.0.36:${refusedPort}/` }, ctx);
    expect(r.verdict).toBe('not-yet');
    expect(en(r.observed)).toContain('connection refused');
    expect(en(r.cause)).toMatch(/mapped into a kind node, but nothing listens behind it/);
    const unmapped = await check('http', { url: `http://127.0.0.36:${refusedPort}/` });
    expect(en(unmapped.cause)).toBe('Nothing accepts connections on this address and port.');
  });

  it("closed at once on a mapped port (Docker's port proxy with nothing behind it): not yet, nothing listens", async () => {
    const ctx = checkContext({ cluster: fakeCluster({ ports: { http: closing.port } }) });
    const r = await check('http', { url: `http://127.0.0.47:${closing.port}/`, host: 'jordy.niniz.com' }, ctx);
    expect(r.verdict).toBe('not-yet');
    expect(en(r.observed)).toContain('connection closed without an answer');
    expect(en(r.cause)).toMatch(/Docker's port proxy took the connection, but nothing listens behind it/);
  });

  it('a name is looked up in the hosts file', async () => {
    const ctx = checkContext({ hosts: '127.0.0.34 jordy.niniz.com\n' });
    const r = await check('http', { url: `http://jordy.niniz.com:${ingress.port}/`, pod: 'jordy' }, ctx);
    expect(r.verdict).toBe('pass');
    expect(r.command).toBe(
      `curl -sS -i --resolve jordy.niniz.com:${ingress.port}:127.0.0.34 http://jordy.niniz.com:${ingress.port}/`,
    );
  });

  it('a name that points outside the lab: not yet, and no request is sent', async () => {
    const ctx = checkContext({ hosts: '93.184.215.14 jordy.niniz.com\n' });
    const before = ingress.hits;
    const r = await check('http', { url: `http://jordy.niniz.com:${ingress.port}/` }, ctx);
    expect(r.verdict).toBe('not-yet');
    expect(en(r.cause)).toMatch(/does not point at the lab yet: add the hosts entry/);
    expect(tr(r.cause!, 'ko')).toMatch(/hosts 항목을 추가하세요/);
    expect(ingress.hits).toBe(before);
  });

  it('a name that does not resolve: not yet, no hosts entry', async () => {
    lookup.mockRejectedValueOnce(Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' }));
    const r = await check('http', { url: 'http://scappy.niniz.com/' });
    expect(r.verdict).toBe('not-yet');
    expect(en(r.cause)).toMatch(/no hosts entry/);
  });

  it('under --no-hosts a name goes to 127.0.0.1 with its Host header', async () => {
    const r = await check(
      'http',
      { url: `http://jordy.niniz.com:${onLocalhost.port}/`, pod: 'jordy' },
      checkContext({ noHosts: true }),
    );
    expect(r.verdict).toBe('pass');
    expect(r.command).toContain(`--resolve jordy.niniz.com:${onLocalhost.port}:127.0.0.1`);
  });

  it('https: insecure passes and says self-signed; without insecure the certificate is not trusted', async () => {
    const url = `https://127.0.0.33:${tlsFront.port}/jordy`;
    const ok = await check('http', { url, host: 'niniz.com', insecure: true, pod: 'jordy' });
    expect(ok.verdict).toBe('pass');
    expect(en(ok.observed)).toContain('self-signed certificate');
    expect(ok.command).toBe(
      `curl -sS -i -k --resolve niniz.com:${tlsFront.port}:127.0.0.33 https://niniz.com:${tlsFront.port}/jordy`,
    );
    const strict = await check('http', { url, host: 'niniz.com' });
    expect(strict.verdict).toBe('wrong');
    expect(en(strict.observed)).toContain('certificate not trusted');
  });

  it('https for a name without a certificate: TLS failure, no certificate for this name', async () => {
    const r = await check('http', {
      url: `https://127.0.0.33:${tlsFront.port}/`,
      host: 'scappy.niniz.com',
      insecure: true,
    });
    expect(r.verdict).toBe('not-yet');
    expect(en(r.observed)).toContain('TLS handshake failed');
    expect(en(r.cause)).toMatch(/no certificate for this name/);
  });
});

describe('tls', () => {
  it('passes on the expected fingerprint, CN, SAN and validity', async () => {
    const r = await check('tls', {
      address: `127.0.0.33:${tlsFront.port}`,
      servername: 'niniz.com',
      fingerprint256: niniz.fingerprint256.toLowerCase(),
      subjectCN: 'niniz.com',
      sanContains: ['niniz.com'],
      notExpired: true,
    });
    expect(r.verdict).toBe('pass');
    expect(en(r.observed)).toContain(niniz.fingerprint256);
    expect(en(r.observed)).toContain('self-signed');
    expect(r.command).toBe(
      `curl -sS -k -v -o /dev/null --resolve niniz.com:${tlsFront.port}:127.0.0.33 https://niniz.com:${tlsFront.port}/`,
    );
  });

  it('compares with a certificate file in the workspace: the same passes, another is wrong', async () => {
    const ctx = checkContext();
    await writeFile(join(ctx.paths.workspace, 'niniz.cert'), niniz.certPem);
    await writeFile(join(ctx.paths.workspace, 'other.cert'), other.certPem);
    expect(
      (
        await check(
          'tls',
          { address: `127.0.0.33:${tlsFront.port}`, servername: 'niniz.com', certFile: 'niniz.cert' },
          ctx,
        )
      ).verdict,
    ).toBe('pass');
    const wrong = await check(
      'tls',
      {
        address: `127.0.0.33:${tlsFront.port}`,
        servername: 'niniz.com',
        certFile: join(ctx.paths.workspace, 'other.cert'),
      },
      ctx,
    );
    expect(wrong.verdict).toBe('wrong');
    expect(en(wrong.observed)).toContain(`different fingerprint (expected ${other.fingerprint256})`);
    const missing = await check(
      'tls',
      { address: `127.0.0.33:${tlsFront.port}`, servername: 'niniz.com', certFile: 'nope.cert' },
      ctx,
    );
    expect(missing.verdict).toBe('not-yet');
  });

  it('a name the server has no certificate for is not yet; a wrong SAN or CN is wrong', async () => {
    const none = await check('tls', { address: `127.0.0.33:${tlsFront.port}`, servername: 'scappy.niniz.com' });
    expect(none.verdict).toBe('not-yet');
    expect(en(none.cause)).toMatch(/no certificate for this name/);
    const san = await check('tls', {
      address: `127.0.0.33:${tlsFront.port}`,
      servername: 'niniz.com',
      sanContains: ['www.niniz.com'],
      subjectCN: 'www.niniz.com',
    });
    expect(san.verdict).toBe('wrong');
    expect(en(san.observed)).toContain('SAN lacks www.niniz.com');
    expect(en(san.observed)).toContain('CN is niniz.com');
  });

  it('a certificate made for another name than the one asked is wrong', async () => {
    const r = await check('tls', { address: `127.0.0.46:${mismatched.port}`, servername: 'jordy.niniz.com' });
    expect(r.verdict).toBe('wrong');
    expect(en(r.observed)).toContain('not made for jordy.niniz.com');
  });

  it('matches names by subjectAltName, a wildcard covering one label', () => {
    const info = { san: ['*.niniz.com', 'niniz.com'] } as Parameters<typeof certificateNames>[0];
    expect(certificateNames(info, 'jordy.niniz.com')).toBe(true);
    expect(certificateNames(info, 'a.jordy.niniz.com')).toBe(false);
    expect(certificateNames(info, 'NINIZ.com')).toBe(true);
    expect(certificateNames(info, 'scappy.com')).toBe(false);
  });

  it('an expired certificate fails notExpired', async () => {
    const r = await check('tls', {
      address: `127.0.0.45:${expiredFront.port}`,
      servername: 'old.niniz.com',
      notExpired: true,
    });
    expect(r.verdict).toBe('wrong');
    expect(en(r.observed)).toContain('expired');
  });

  it('nothing listening is refused, not a certificate problem', async () => {
    const r = await check('tls', { address: `127.0.0.36:${refusedPort}`, servername: 'niniz.com' });
    expect(r.verdict).toBe('not-yet');
    expect(en(r.observed)).toContain('connection refused');
  });
});

describe('refused and dropped are told apart', () => {
  it('refused passes on a closed port, and is wrong where a listener accepts', async () => {
    const r = await check('refused', { address: `127.0.0.36:${refusedPort}` });
    expect(r.verdict).toBe('pass');
    expect(r.command).toBe(`curl -sS --connect-timeout 1 http://127.0.0.36:${refusedPort}/`);
    const accepted = await check('refused', { address: `127.0.0.35:${silent.port}` });
    expect(accepted.verdict).toBe('wrong');
    expect(en(accepted.observed)).toContain('the connection was accepted');
  });

  it('dropped passes on silence, and is wrong on a refusal or an answer', async () => {
    const started = Date.now();
    const r = await check('dropped', { url: `http://127.0.0.35:${silent.port}/`, timeoutMs: 300 });
    expect(r.verdict).toBe('pass');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(r.command).toBe(`curl -sS --max-time 0.3 http://127.0.0.35:${silent.port}/`);
    const refused = await check('dropped', { url: `http://127.0.0.36:${refusedPort}/`, timeoutMs: 300 });
    expect(refused.verdict).toBe('wrong');
    expect(en(refused.cause)).toMatch(/Refused, not dropped/);
    const answered = await check('dropped', { url: `http://127.0.0.41:${jordyA.port}/`, timeoutMs: 300 });
    expect(answered.verdict).toBe('wrong');
    expect(answered.pods).toEqual(['jordy-6b8d7c9f5-aaaaa']);
  });
});

describe('spread and sticky (the browser-versus-curl lesson)', () => {
  it('new connections through an L4 front reach several pods', async () => {
    const r = await check('spread', { url: `http://127.0.0.32:${lb.port}/`, requests: 6, atLeast: 3, pod: 'jordy' });
    expect(r.verdict).toBe('pass');
    expect(new Set(r.pods)).toEqual(new Set([jordyA.hostname, jordyB.hostname, jordyC.hostname]));
    expect(r.command).toBe(`for i in $(seq 1 6); do curl -sS http://127.0.0.32:${lb.port}/ | grep Hostname; done`);
  });

  it('one pod behind the front is not yet for atLeast 2; the wrong app is wrong', async () => {
    const r = await check('spread', { url: `http://127.0.0.38:${single.port}/`, requests: 4, atLeast: 2 });
    expect(r.verdict).toBe('not-yet');
    expect(en(r.observed)).toContain('4 requests → 1 pods');
    const wrongApp = await check('spread', {
      url: `http://127.0.0.32:${lb.port}/`,
      requests: 3,
      atLeast: 1,
      pod: 'scappy',
    });
    expect(wrongApp.verdict).toBe('wrong');
  });

  it('one keep-alive connection through the L4 front stays on one pod', async () => {
    const before = lb.connections;
    const r = await check('sticky', { url: `http://127.0.0.32:${lb.port}/`, requests: 5 });
    expect(r.verdict).toBe('pass');
    expect(r.pods).toHaveLength(5);
    expect(new Set(r.pods).size).toBe(1);
    expect(lb.connections - before).toBe(1);
    expect(r.command).toBe(`curl -sS ${Array(5).fill(`http://127.0.0.32:${lb.port}/`).join(' ')} | grep Hostname`);
  });

  it('an L7 proxy choosing per request, or a server closing each connection, is not sticky', async () => {
    const l7r = await check('sticky', { url: `http://127.0.0.37:${l7.port}/`, requests: 4 });
    expect(l7r.verdict).toBe('wrong');
    expect(en(l7r.cause)).toMatch(/L7 proxy/);
    const closed = await check('sticky', { url: `http://127.0.0.39:${closer.port}/`, requests: 3 });
    expect(closed.verdict).toBe('wrong');
    expect(en(closed.observed)).toContain('closed the connection after request 1');
  });
});

describe('source-ip', () => {
  it('kept when the pod sees the client address, rewritten behind SNAT', async () => {
    const kept = await check('source-ip', { url: `http://127.0.0.41:${jordyA.port}/`, expect: 'kept' });
    expect(kept.verdict).toBe('pass');
    expect(en(kept.observed)).toContain('saw 127.0.0.1, the client was 127.0.0.1 (kept)');
    const rewritten = await check('source-ip', { url: `http://127.0.0.32:${lb.port}/`, expect: 'rewritten' });
    expect(rewritten.verdict).toBe('pass');
    expect(en(rewritten.observed)).toContain('saw 127.0.0.99');
    const wrong = await check('source-ip', { url: `http://127.0.0.32:${lb.port}/`, expect: 'kept' });
    expect(wrong.verdict).toBe('wrong');
    expect(en(wrong.cause)).toMatch(/externalTrafficPolicy: Cluster/);
    expect(wrong.command).toBe(`curl -sS http://127.0.0.32:${lb.port}/ | grep RemoteAddr`);
  });

  it('compares with the address the cluster says a host client has through the port mappings', async () => {
    const ctx = checkContext({ cluster: fakeCluster({ reachability: { hostClientAddress: '172.18.0.1' } }) });
    expect((await check('source-ip', { url: `http://127.0.0.41:${jordyA.port}/`, expect: 'kept' }, ctx)).verdict).toBe(
      'wrong',
    );
  });
});

describe('vantage points', () => {
  it('auto stays on the host for loopback: no process is started', async () => {
    const ctx = checkContext({
      vantage: 'auto',
      cluster: fakeCluster({ reachability: { hostReachesNodeNetwork: false } }),
    });
    expect((await check('http', { url: `http://127.0.0.41:${jordyA.port}/` }, ctx)).verdict).toBe('pass');
  });

  it('network from loopback, or without a probe container, is an environment problem', async () => {
    const loop = await check(
      'http',
      { url: `http://127.0.0.41:${jordyA.port}/` },
      checkContext({ vantage: 'network' }),
    );
    expect(loop.verdict).toBe('broken');
    expect(en(loop.cause)).toMatch(/cannot reach 127\.0\.0\.41/);
    const none = await check('http', { url: 'http://172.18.0.5/' }, checkContext({ vantage: 'network' }));
    expect(none.verdict).toBe('broken');
    expect(en(none.cause)).toMatch(/expose-labs doctor/);
  });
});
