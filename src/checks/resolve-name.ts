import { isIP } from 'node:net';
import { lookupHostsFile } from '../hosts/lookup.js';
import { isLabAddress, isLoopback } from './address.js';
import { classifySocketError, type Failure } from './failure.js';

/** How the address to connect to was found; decides the curl flags that reproduce it. */
export type ResolvedVia = 'literal' | 'resolve' | 'no-hosts' | 'hosts-file' | 'dns';

export interface NameContext {
  hostsFile: string;
  noHosts: boolean;
  /** The cluster's networks (CIDRs); asked only when an address is not loopback. */
  labNetworks: () => Promise<readonly string[]>;
  /**
   * Hold IPs given literally (in the URL or --resolve) to the same rule as names: `probe`, where a learner types
   * them. Checks leave it off: their addresses come from the lab cluster itself.
   */
  checkLiterals?: boolean;
}

export type NameResolution = { ok: true; address: string; via: ResolvedVia } | { ok: false; failure: Failure };

/** The address under --no-hosts: the host port mappings, with the name kept in Host and SNI. */
export const NO_HOSTS_ADDRESS = '127.0.0.1';

async function pickLabAddress(
  name: string,
  addresses: string[],
  via: ResolvedVia,
  ctx: NameContext,
): Promise<NameResolution> {
  let chosen = addresses.find((a) => isLoopback(a));
  if (!chosen) {
    const networks = await ctx.labNetworks();
    chosen = addresses.find((a) => isLabAddress(a, networks));
  }
  if (chosen) return { ok: true, address: chosen, via };
  const source =
    via === 'hosts-file'
      ? `hosts file ${ctx.hostsFile}`
      : via === 'dns'
        ? 'DNS'
        : via === 'resolve'
          ? '--resolve'
          : 'the address given';
  return {
    ok: false,
    failure: { kind: 'not-lab', phase: 'resolve', detail: `${name} → ${addresses.join(', ')} (${source})` },
  };
}

/**
 * Where to send a request for `host`. `override` (curl --resolve) wins; under --no-hosts a name goes to 127.0.0.1;
 * otherwise the hosts file, then the OS resolver. An address found for a name (and with `checkLiterals`, an IP given
 * literally too) must be loopback or on the lab cluster's networks, else a `not-lab` failure: no request goes to
 * somebody else's server.
 */
export async function resolveName(host: string, ctx: NameContext, override?: string): Promise<NameResolution> {
  if (override !== undefined && override !== '') {
    if (isIP(override) !== 0)
      return ctx.checkLiterals
        ? pickLabAddress(host, [override], 'resolve', ctx)
        : { ok: true, address: override, via: 'resolve' };
    const inner = await resolveName(override, { ...ctx, noHosts: false });
    return inner.ok ? { ok: true, address: inner.address, via: 'resolve' } : inner;
  }
  if (isIP(host) !== 0)
    return ctx.checkLiterals
      ? pickLabAddress(host, [host], 'literal', ctx)
      : { ok: true, address: host, via: 'literal' };
  if (ctx.noHosts) return { ok: true, address: NO_HOSTS_ADDRESS, via: 'no-hosts' };
  const fromFile = await lookupHostsFile(ctx.hostsFile, host);
  if (fromFile.length > 0) return pickLabAddress(host, fromFile, 'hosts-file', ctx);
  let found: { address: string }[];
  try {
    // node:dns only when a name is not in the hosts file: loading it at start costs every command.
    const { lookup } = await import('node:dns/promises');
    found = await lookup(host, { all: true });
  } catch (error) {
    const failure = classifySocketError(error, 'resolve');
    return { ok: false, failure: { kind: 'dns', phase: 'resolve', detail: `${host}: ${failure.detail}` } };
  }
  if (found.length === 0)
    return { ok: false, failure: { kind: 'dns', phase: 'resolve', detail: `${host}: no address` } };
  return pickLabAddress(
    host,
    found.map((f) => f.address),
    'dns',
    ctx,
  );
}
