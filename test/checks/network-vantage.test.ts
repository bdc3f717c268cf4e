import { describe, expect, it } from 'vitest';
import type { Command, CommandResult, Exec } from '../../src/platform/command.js';
import type { CheckContext, CheckResult } from '../../src/checks/types.js';
import { CHECKS } from '../../src/checks/registry.js';
import { tr } from '../../src/core/i18n.js';
import { checkContext, fakeCluster } from './context.js';
import { selfSigned } from './servers.js';
import { CHECK_SPECS } from '../../src/checks/specs.js';

/**
 * The network vantage point by transcript: the exact `docker run … curl …` argv each check builds, answered
 * with curl 7.88 output captured from real runs (addresses changed to the kind network's). A fake Exec that
 * throws on anything else keeps the tests honest.
 */
const IMAGE = 'kindest/node:v1.36.1';
const PREFIX = ['run', '--rm', '--network', 'kind', '--entrypoint', 'curl', IMAGE];
const WRITE_OUT =
  '\\n@@expose-labs@@\\nexitcode=%{exitcode}\\nerrormsg=%{errormsg}\\nhttp_code=%{http_code}\\nremote_ip=%{remote_ip}\\nremote_port=%{remote_port}' +
  '\\nlocal_ip=%{local_ip}\\nlocal_port=%{local_port}\\nnum_connects=%{num_connects}\\ntime_connect=%{time_connect}' +
  '\\ntime_appconnect=%{time_appconnect}\\ntime_total=%{time_total}\\nssl_verify_result=%{ssl_verify_result}\\ncerts=%{certs}\\n@@expose-labs-end@@\\n';

function scripted(expected: string[], result: CommandResult): Exec & { calls: Command[] } {
  const calls: Command[] = [];
  const exec = (async (command: Command) => {
    calls.push(command);
    if (command.file !== 'docker' || JSON.stringify(command.args) !== JSON.stringify(expected)) {
      throw new Error(`unexpected command: ${command.file} ${JSON.stringify(command.args)}`);
    }
    if (calls.length > 1) throw new Error('one docker run per attempt expected');
    return result;
  }) as Exec & { calls: Command[] };
  exec.calls = calls;
  return exec;
}

function networkContext(exec: Exec, extra: Partial<CheckContext> & { hosts?: string } = {}): CheckContext {
  return checkContext({
    vantage: 'network',
    exec,
    timeoutMs: 1000,
    cluster: fakeCluster({
      reachability: {
        hostReachesNodeNetwork: false,
        networkProbe: { network: 'kind', image: IMAGE },
        labNetworks: ['172.18.0.0/16'],
      },
    }),
    ...extra,
  });
}

const result = (stdout: string, stderr: string, exitCode = 0): CommandResult => ({
  exitCode,
  stdout,
  stderr,
  failed: exitCode !== 0,
  timedOut: false,
});

function transfer(o: {
  status?: number;
  body?: string;
  connection?: 'close' | 'keep-alive';
  exit?: number;
  error?: string;
  localPort: number;
  connects: number;
  connect?: string;
  remote?: string;
  certs?: string;
}): string {
  const head =
    o.status === undefined
      ? ''
      : `HTTP/1.1 ${o.status} OK\r\nContent-Type: text/plain; charset=utf-8\r\nDate: Wed, 25 Nov 2026 08:23:46 GMT\r\n` +
        `Connection: ${o.connection ?? 'keep-alive'}\r\nContent-Length: ${Buffer.byteLength(o.body ?? '')}\r\n\r\n${o.body ?? ''}`;
  return (
    `${head}\n@@expose-labs@@\nexitcode=${o.exit ?? 0}\nerrormsg=${o.error ?? ''}\nhttp_code=${o.status ?? '000'}\nremote_ip=${o.remote ?? '172.18.0.5'}\nremote_port=80\n` +
    `local_ip=${o.connects || o.status ? '172.18.0.9' : ''}\nlocal_port=${o.localPort}\nnum_connects=${o.connects}\ntime_connect=${o.connect ?? (o.connects ? '0.000287' : '0.000000')}\n` +
    `time_appconnect=0.000000\ntime_total=0.005842\nssl_verify_result=0\ncerts=${o.certs ?? ''}\n@@expose-labs-end@@\n`
  );
}

const whoami = (pod: string, remote: string) =>
  `Name: jordy\nHostname: ${pod}\nIP: 127.0.0.1\nIP: 10.244.1.3\nRemoteAddr: ${remote}\nGET / HTTP/1.1\r\nHost: 172.18.0.5\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n`;

/** A 200 from whoami on a closed connection; `client` (ip:port) is whom the pod saw, its port curl's own. */
const answered = (pod: string, client: string, remote?: string) =>
  transfer({
    status: 200,
    connection: 'close',
    body: whoami(pod, client),
    localPort: Number(client.split(':')[1]),
    connects: 1,
    remote,
  });

async function check(name: string, spec: unknown, ctx: CheckContext): Promise<CheckResult> {
  const def = CHECKS.get(name)!;
  return def.run(CHECK_SPECS.get(def.name)!.parse(spec), ctx);
}

/** What varies in the curl argv a check builds; connect 1 s and max 2 s are what the 1000 ms check timeout gives. */
interface Curl {
  urls: string[];
  insecure?: boolean;
  connect?: string;
  max?: string;
  resolve?: string;
  /** `-H 'Connection: close'`, so each URL is a new connection; only sticky leaves it out. */
  close?: boolean;
}

/** The exact argv after `docker`: the options in the order the check must put them. */
const curlArgv = ({ urls, insecure = false, connect = '1', max = '2', resolve, close = true }: Curl): string[] => [
  ...PREFIX,
  '-sS',
  '-v',
  '-i',
  ...(insecure ? ['-k'] : []),
  '--connect-timeout',
  connect,
  '--max-time',
  max,
  ...(resolve ? ['--resolve', resolve] : []),
  ...(close ? ['-H', 'Connection: close'] : []),
  '-w',
  WRITE_OUT,
  ...urls,
];

interface Case {
  name: string;
  check: string;
  spec: unknown;
  curl: Curl;
  answer: CommandResult;
  ctx?: Partial<CheckContext> & { hosts?: string };
  /** Compared with toMatchObject: only the fields a case names are checked. */
  expect: {
    verdict: CheckResult['verdict'];
    pods?: string[];
    observed?: unknown;
    cause?: unknown;
    command?: string;
    timeoutMs?: number;
  };
}

const cert = selfSigned(['niniz.com']);
const certs = `Subject:CN = niniz.com\nIssuer:CN = niniz.com\nVersion:2\nSignature Algorithm:sha256WithRSAEncryption\nX509v3 Subject Alternative Name:DNS:niniz.com\n${cert.certPem}\n`;
const docker = `docker run --rm --network kind --entrypoint curl ${IMAGE} -sS`;
const three = ['http://172.18.0.5/', 'http://172.18.0.5/', 'http://172.18.0.5/'];

/** The dropped check with a 400 ms timeout: one probe, two ways of not being answered. */
const dropped = {
  check: 'dropped',
  spec: { url: 'http://172.18.0.4:30080/', timeoutMs: 400 },
  curl: { urls: ['http://172.18.0.4:30080/'], connect: '0.4', max: '0.8' },
};

const CASES: Case[] = [
  {
    name: 'spread: one container, N URLs, Connection: close; pods read from each transfer',
    check: 'spread',
    spec: { url: 'http://172.18.0.5/', requests: 3, atLeast: 2, pod: 'jordy' },
    curl: { urls: three },
    answer: result(
      answered('jordy-6b8d7c9f5-aaaaa', '10.244.1.1:55422') +
        answered('jordy-6b8d7c9f5-bbbbb', '10.244.2.1:55424') +
        answered('jordy-6b8d7c9f5-aaaaa', '10.244.1.1:55426'),
      '*   Trying 172.18.0.5:80...\n* Connected to 172.18.0.5 (172.18.0.5) port 80 (#0)\n',
    ),
    expect: {
      verdict: 'pass',
      pods: ['jordy-6b8d7c9f5-aaaaa', 'jordy-6b8d7c9f5-bbbbb', 'jordy-6b8d7c9f5-aaaaa'],
      timeoutMs: 3 * 2 * 1000 + 30_000,
      command: `for i in $(seq 1 3); do ${docker} http://172.18.0.5/ | grep Hostname; done`,
    },
  },
  {
    name: 'sticky: curl reuses its connection for several URLs (num_connects 1, then 0)',
    check: 'sticky',
    spec: { url: 'http://172.18.0.5/', requests: 3 },
    curl: { urls: three, close: false },
    answer: result(
      [1, 0, 0]
        .map((connects) =>
          transfer({
            status: 200,
            body: whoami('jordy-6b8d7c9f5-ccccc', '10.244.2.1:55430'),
            localPort: 55430,
            connects,
          }),
        )
        .join(''),
      '* Re-using existing connection #0 with host 172.18.0.5\n',
    ),
    expect: {
      verdict: 'pass',
      observed: expect.stringContaining('1 connection, 3 requests → 1 pod'),
      command: `${docker} ${three.join(' ')} | grep Hostname`,
    },
  },
  {
    name: 'refused: curl exit 7 with "Connection refused" in its verbose output',
    check: 'refused',
    spec: { address: '172.18.0.3:31999' },
    curl: { urls: ['http://172.18.0.3:31999/'] },
    answer: result(
      transfer({
        exit: 7,
        error: "Failed to connect to 172.18.0.3 port 31999 after 0 ms: Couldn't connect to server",
        localPort: 0,
        connects: 0,
        remote: '',
      }),
      "*   Trying 172.18.0.3:31999...\n* connect to 172.18.0.3 port 31999 failed: Connection refused\n* Failed to connect to 172.18.0.3 port 31999 after 0 ms: Couldn't connect to server\n* Closing connection 0\ncurl: (7) Failed to connect to 172.18.0.3 port 31999 after 0 ms: Couldn't connect to server\n",
      7,
    ),
    expect: { verdict: 'pass', command: `${docker} --connect-timeout 1 http://172.18.0.3:31999/` },
  },
  {
    name: 'dropped: curl exit 28 after connecting (time_connect > 0) is silence, not a refusal',
    ...dropped,
    answer: result(
      transfer({
        exit: 28,
        error: 'Operation timed out after 800 milliseconds with 0 bytes received',
        localPort: 52854,
        connects: 1,
        connect: '0.002108',
        remote: '172.18.0.4',
      }),
      '*   Trying 172.18.0.4:30080...\n* Connected to 172.18.0.4 (172.18.0.4) port 30080 (#0)\n* Operation timed out after 800 milliseconds with 0 bytes received\ncurl: (28) Operation timed out after 800 milliseconds with 0 bytes received\n',
      28,
    ),
    expect: { verdict: 'pass', observed: expect.stringContaining('connected, but no answer') },
  },
  {
    name: 'dropped before connecting: exit 28 with time_connect 0',
    ...dropped,
    answer: result(
      transfer({
        exit: 28,
        error: 'Connection timed out after 400 milliseconds',
        localPort: 0,
        connects: 0,
        remote: '',
      }),
      'curl: (28) Connection timed out after 400 milliseconds\n',
      28,
    ),
    expect: { verdict: 'pass', observed: expect.stringContaining('no answer to the connection attempt (dropped)') },
  },
  {
    name: 'source-ip: the container address (local_ip) is the client on this path',
    check: 'source-ip',
    spec: { url: 'http://172.18.0.4:30080/', expect: 'kept' },
    curl: { urls: ['http://172.18.0.4:30080/'] },
    answer: result(answered('jordy-6b8d7c9f5-aaaaa', '172.18.0.9:41000', '172.18.0.4'), ''),
    expect: {
      verdict: 'pass',
      observed: expect.stringContaining('saw 172.18.0.9, the client was 172.18.0.9 (kept)'),
    },
  },
  {
    name: 'http with a name: the container gets --resolve, since it knows neither the hosts file nor --no-hosts',
    check: 'http',
    spec: { url: 'http://niniz.com/jordy', status: 200 },
    curl: { urls: ['http://niniz.com/jordy'], resolve: 'niniz.com:80:172.18.0.5' },
    answer: result(transfer({ status: 404, connection: 'close', body: '', localPort: 41002, connects: 1 }), ''),
    ctx: { hosts: '172.18.0.5 niniz.com\n' },
    expect: { verdict: 'not-yet', cause: expect.stringMatching(/no ingress rule/) },
  },
  {
    name: 'tls: the certificate comes from curl %{certs}',
    check: 'tls',
    spec: { address: '172.18.0.5:443', servername: 'niniz.com', fingerprint256: cert.fingerprint256 },
    curl: { urls: ['https://niniz.com/'], insecure: true, resolve: 'niniz.com:443:172.18.0.5' },
    answer: result(transfer({ status: 404, connection: 'close', localPort: 41004, connects: 1, certs }), ''),
    expect: {
      verdict: 'pass',
      command: `${docker} -k -v -o /dev/null --resolve niniz.com:443:172.18.0.5 https://niniz.com/`,
    },
  },
  {
    name: 'tls handshake failure: curl exit 35',
    check: 'tls',
    spec: { address: '172.18.0.5:443', servername: 'scappy.com' },
    curl: { urls: ['https://scappy.com/'], insecure: true, resolve: 'scappy.com:443:172.18.0.5' },
    answer: result(
      transfer({
        exit: 35,
        error: 'OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to scappy.com:443',
        localPort: 41006,
        connects: 1,
      }),
      '',
      35,
    ),
    expect: { verdict: 'not-yet', cause: expect.stringMatching(/no certificate for this name/) },
  },
  {
    name: "docker itself failing is an environment problem, with docker's message",
    check: 'http',
    spec: { url: 'http://172.18.0.5/' },
    curl: { urls: ['http://172.18.0.5/'] },
    answer: result('', 'docker: Error response from daemon: network kind not found.\n', 125),
    expect: { verdict: 'broken', cause: expect.stringContaining('network kind not found') },
  },
  {
    name: 'auto goes to the network only when the host cannot reach a node address',
    check: 'http',
    spec: { url: 'http://172.18.0.5/', pod: 'jordy' },
    curl: { urls: ['http://172.18.0.5/'] },
    answer: result(answered('jordy-6b8d7c9f5-aaaaa', '172.18.0.9:1'), ''),
    ctx: { vantage: 'auto' },
    expect: { verdict: 'pass' },
  },
];

describe('network vantage point (docker run … curl, by transcript)', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const exec = scripted(curlArgv(c.curl), c.answer);
    const r = await check(c.check, c.spec, networkContext(exec, c.ctx));
    // One docker run per attempt: a second one (or a first with another argv) throws in the fake.
    expect(exec.calls).toHaveLength(1);
    expect({
      verdict: r.verdict,
      pods: r.pods,
      observed: tr(r.observed, 'en'),
      cause: r.cause && tr(r.cause, 'en'),
      command: r.command,
      timeoutMs: exec.calls[0]!.timeoutMs,
    }).toMatchObject(c.expect);
  });
});
