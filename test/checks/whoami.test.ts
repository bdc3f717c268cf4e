import { describe, expect, it } from 'vitest';
import { parseWhoami, podBelongsTo } from '../../src/checks/whoami.js';

// As traefik/whoami v1.11.0 writes it: Fprintln lines, then Go's Request.Write (CRLF).
const BODY =
  'Name: jordy\nHostname: jordy-6b8d7c9f5-x2x4q\nIP: 127.0.0.1\nIP: ::1\nIP: 10.244.1.3\nIP: fe80::a8d2:5ff:fe3c:1b2\n' +
  'RemoteAddr: 10.244.1.1:48372\nGET /jordy HTTP/1.1\r\nHost: niniz.com\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\nX-Forwarded-For: 172.18.0.1\r\n\r\n';

describe('whoami body', () => {
  it('reads pod, addresses, the remote address and the request as the pod saw it', () => {
    expect(parseWhoami(BODY)).toEqual({
      name: 'jordy',
      hostname: 'jordy-6b8d7c9f5-x2x4q',
      ips: ['127.0.0.1', '::1', '10.244.1.3', 'fe80::a8d2:5ff:fe3c:1b2'],
      remoteAddress: '10.244.1.1',
      remotePort: 48372,
      requestLine: 'GET /jordy HTTP/1.1',
      headers: [
        ['Host', 'niniz.com'],
        ['User-Agent', 'curl/8.5.0'],
        ['Accept', '*/*'],
        ['X-Forwarded-For', '172.18.0.1'],
      ],
    });
  });

  it('reads an IPv6 RemoteAddr and an app started without --name', () => {
    const w = parseWhoami('Hostname: scappy-1\nRemoteAddr: [::ffff:172.18.0.1]:5000\nGET / HTTP/1.1\r\n\r\n');
    expect(w).toMatchObject({ hostname: 'scappy-1', remoteAddress: '172.18.0.1', remotePort: 5000 });
    expect(w?.name).toBeUndefined();
  });

  it('is undefined for anything else (an Envoy 404 body, HTML)', () => {
    expect(parseWhoami('')).toBeUndefined();
    expect(parseWhoami('<html><body>default backend - 404</body></html>')).toBeUndefined();
  });

  it('matches pods to their Deployment by the name prefix', () => {
    expect(podBelongsTo('jordy-6b8d7c9f5-x2x4q', 'jordy')).toBe(true);
    expect(podBelongsTo('jordyx-1', 'jordy')).toBe(false);
    expect(podBelongsTo('scappy-1', 'jordy')).toBe(false);
  });
});
