import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

// The OS resolver is replaced: tests never send a DNS query off this machine.
const lookup = vi.hoisted(() => vi.fn());
vi.mock('node:dns/promises', () => ({ lookup, default: { lookup } }));

const { resolveName } = await import('../../src/checks/resolve-name.js');
const { isLabAddress } = await import('../../src/checks/address.js');

let hostsFile: string;
beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'resolve-'));
  hostsFile = join(dir, 'hosts');
  await writeFile(
    hostsFile,
    '127.0.0.1 localhost\n127.0.0.1 niniz.com\n172.18.0.5 lb.niniz.com\n93.184.215.14 real.example\n',
  );
});
beforeEach(() => lookup.mockReset());

function ctx(extra: { noHosts?: boolean; networks?: string[] } = {}) {
  const labNetworks = vi.fn(async () => extra.networks ?? []);
  return { hostsFile, noHosts: extra.noHosts ?? false, labNetworks };
}

describe('lab addresses', () => {
  it('loopback and the cluster networks are the lab; the rest is not', () => {
    expect(isLabAddress('127.0.0.1')).toBe(true);
    expect(isLabAddress('127.8.9.10')).toBe(true);
    expect(isLabAddress('::1')).toBe(true);
    expect(isLabAddress('::ffff:127.0.0.1')).toBe(true);
    expect(isLabAddress('172.18.0.5')).toBe(false);
    expect(isLabAddress('172.18.0.5', ['172.18.0.0/16'])).toBe(true);
    expect(isLabAddress('172.19.0.5', ['172.18.0.0/16'])).toBe(false);
    expect(isLabAddress('fc00:f853:ccd:e793::3', ['fc00:f853:ccd:e793::/64'])).toBe(true);
    expect(isLabAddress('93.184.215.14', ['172.18.0.0/16', 'garbage'])).toBe(false);
  });
});

describe('resolveName', () => {
  it('uses an IP as is, without any lookup', async () => {
    const c = ctx();
    expect(await resolveName('172.18.0.9', c)).toEqual({ ok: true, address: '172.18.0.9', via: 'literal' });
    expect(c.labNetworks).not.toHaveBeenCalled();
    expect(lookup).not.toHaveBeenCalled();
  });

  it('an override (curl --resolve) wins', async () => {
    expect(await resolveName('niniz.com', ctx(), '127.0.0.5')).toEqual({
      ok: true,
      address: '127.0.0.5',
      via: 'resolve',
    });
  });

  it('under --no-hosts a name goes to 127.0.0.1', async () => {
    expect(await resolveName('real.example', ctx({ noHosts: true }))).toEqual({
      ok: true,
      address: '127.0.0.1',
      via: 'no-hosts',
    });
  });

  it('reads the hosts file first; loopback needs no cluster network list', async () => {
    const c = ctx();
    expect(await resolveName('NINIZ.com', c)).toEqual({ ok: true, address: '127.0.0.1', via: 'hosts-file' });
    expect(c.labNetworks).not.toHaveBeenCalled();
    expect(lookup).not.toHaveBeenCalled();
  });

  it('a hosts entry inside the cluster network points at the lab', async () => {
    expect(await resolveName('lb.niniz.com', ctx({ networks: ['172.18.0.0/16'] }))).toEqual({
      ok: true,
      address: '172.18.0.5',
      via: 'hosts-file',
    });
  });

  it('a name pointing elsewhere is refused before any request', async () => {
    const result = await resolveName('real.example', ctx({ networks: ['172.18.0.0/16'] }));
    expect(result).toEqual({
      ok: false,
      failure: { kind: 'not-lab', phase: 'resolve', detail: expect.stringContaining('93.184.215.14') },
    });
  });

  it('then asks the OS resolver: a lab answer is used, a stranger is not', async () => {
    lookup.mockResolvedValueOnce([{ address: '127.0.0.1', family: 4 }]);
    expect(await resolveName('jordy.niniz.com', ctx())).toEqual({ ok: true, address: '127.0.0.1', via: 'dns' });
    lookup.mockResolvedValueOnce([{ address: '104.21.3.4', family: 4 }]);
    expect(await resolveName('jordy.niniz.com', ctx())).toMatchObject({ ok: false, failure: { kind: 'not-lab' } });
  });

  it('a name that does not resolve is a DNS failure', async () => {
    lookup.mockRejectedValueOnce(
      Object.assign(new Error('getaddrinfo ENOTFOUND scappy.niniz.com'), { code: 'ENOTFOUND' }),
    );
    expect(await resolveName('scappy.niniz.com', ctx())).toEqual({
      ok: false,
      failure: { kind: 'dns', phase: 'resolve', detail: 'scappy.niniz.com: ENOTFOUND' },
    });
  });
});
