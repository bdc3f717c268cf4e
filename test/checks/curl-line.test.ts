import { describe, expect, it } from 'vitest';
import { curlLine, describeCurl } from '../../src/checks/curl-line.js';
import { planRequest } from '../../src/checks/target.js';
import { defaultHostsFile } from '../../src/platform/paths.js';

const names = (extra: { noHosts?: boolean } = {}) => ({
  hostsFile: defaultHostsFile(),
  noHosts: extra.noHosts ?? false,
  labNetworks: async () => [],
});

async function plan(spec: Parameters<typeof planRequest>[0], extra: { noHosts?: boolean } = {}) {
  const p = await planRequest(spec, names(extra));
  if (!p.ok) throw new Error(JSON.stringify(p.failure));
  return p.plan;
}

describe('request plans and their curl lines', () => {
  it('http with a Host override: the Host header, SNI-free', async () => {
    const p = await plan({ url: 'http://127.0.0.1:8080/jordy', host: 'jordy.niniz.com' });
    expect(p.endpoint).toEqual({ address: '127.0.0.1', port: 8080 });
    expect(p.head).toEqual({ method: 'GET', path: '/jordy', host: 'jordy.niniz.com' });
    expect(curlLine(p, { include: true })).toBe("curl -sS -i -H 'Host: jordy.niniz.com' http://127.0.0.1:8080/jordy");
  });

  it('https with a Host override: curl --resolve, so that SNI carries the name', async () => {
    const p = await plan({ url: 'https://127.0.0.1:8443/jordy', host: 'niniz.com', insecure: true });
    expect(p.endpoint).toEqual({ address: '127.0.0.1', port: 8443, tls: { servername: 'niniz.com', insecure: true } });
    expect(p.head.host).toBe('niniz.com:8443');
    expect(curlLine(p)).toBe('curl -sS -k --resolve niniz.com:8443:127.0.0.1 https://niniz.com:8443/jordy');
  });

  it('--no-hosts: names go to 127.0.0.1 and the line says so with --resolve', async () => {
    const p = await plan({ url: 'https://niniz.com/jordy' }, { noHosts: true });
    expect(p.endpoint).toEqual({ address: '127.0.0.1', port: 443, tls: { servername: 'niniz.com', insecure: false } });
    expect(p.head.host).toBe('niniz.com');
    expect(curlLine(p)).toBe('curl -sS --resolve niniz.com:443:127.0.0.1 https://niniz.com/jordy');
  });

  it('resolve on an IP URL becomes --connect-to; a container always gets the address pinned', async () => {
    const p = await plan({ url: 'http://127.0.0.1:30000/', resolve: '127.0.0.2' });
    expect(curlLine(p)).toBe('curl -sS --connect-to 127.0.0.1:30000:127.0.0.2:30000 http://127.0.0.1:30000/');
    const q = await plan({ url: 'http://niniz.com/', resolve: '172.18.0.5' });
    expect(curlLine(q, { vantage: { kind: 'network', network: 'kind', image: 'kindest/node:v1.36.1' } })).toBe(
      'docker run --rm --network kind --entrypoint curl kindest/node:v1.36.1 -sS --resolve niniz.com:80:172.18.0.5 http://niniz.com/',
    );
  });

  it('loops for new connections, repeats the URL for one keep-alive connection', async () => {
    const p = await plan({ url: 'http://127.0.0.1:30000/' });
    expect(curlLine(p, { count: 3, grep: 'Hostname' })).toBe(
      'for i in $(seq 1 3); do curl -sS http://127.0.0.1:30000/ | grep Hostname; done',
    );
    expect(curlLine(p, { count: 3, keepAlive: true, grep: 'Hostname' })).toBe(
      'curl -sS http://127.0.0.1:30000/ http://127.0.0.1:30000/ http://127.0.0.1:30000/ | grep Hostname',
    );
  });

  it('HEAD and other methods', async () => {
    expect(curlLine(await plan({ url: 'http://127.0.0.1/', method: 'head' }), { include: true })).toBe(
      'curl -sS -I http://127.0.0.1/',
    );
    expect(curlLine(await plan({ url: 'http://127.0.0.1/', method: 'POST' }))).toBe(
      'curl -sS -X POST http://127.0.0.1/',
    );
  });

  it('describes a spec with its placeholders left in place', () => {
    expect(describeCurl({ url: 'https://127.0.0.1:{{ports.https}}/jordy', host: 'niniz.com', insecure: true })).toBe(
      "curl -sS -k --resolve 'niniz.com:{{ports.https}}:127.0.0.1' 'https://niniz.com:{{ports.https}}/jordy'",
    );
    expect(describeCurl({ url: 'http://{{service.jordy-lb-svc.externalIP}}/' }, { maxTimeMs: 500 })).toBe(
      "curl -sS --max-time 0.5 'http://{{service.jordy-lb-svc.externalIP}}/'",
    );
  });

  it('a URL that is not http(s) is refused before anything is sent', async () => {
    expect(await planRequest({ url: 'ftp://127.0.0.1/' }, names())).toMatchObject({
      ok: false,
      failure: { kind: 'error' },
    });
  });
});
