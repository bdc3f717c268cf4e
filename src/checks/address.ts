import { BlockList, isIP } from 'node:net';

/** `host:port` or `[v6]:port` → parts; undefined when it is not that shape. */
export function splitHostPort(value: string): { host: string; port: number } | undefined {
  const match = /^\[([^\]]+)\]:(\d+)$/.exec(value) ?? /^([^:\s]+):(\d+)$/.exec(value);
  if (!match) return undefined;
  const port = Number(match[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  return { host: match[1]!, port };
}

/** `host:port` with brackets around an IPv6 address, as curl and URLs write it. */
export function joinHostPort(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

/** URL hostnames keep IPv6 brackets; sockets want them off. */
export function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** `::ffff:127.0.0.1` is the IPv4 address seen through an IPv6 socket. */
export function normalizeAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

export function isLoopback(address: string): boolean {
  const a = normalizeAddress(address);
  if (isIP(a) === 4) return a.startsWith('127.');
  return a === '::1';
}

/**
 * Is this an address of the lab: the host's loopback (where the port mappings are), or inside one of the
 * cluster's networks (`labNetworks`, CIDRs such as `172.18.0.0/16`)? Checks send traffic nowhere else.
 */
export function isLabAddress(address: string, labNetworks: readonly string[] = []): boolean {
  return isLoopback(address) || inNetworks(address, labNetworks);
}

/** Is the address inside one of these CIDRs? */
export function inNetworks(address: string, networks: readonly string[]): boolean {
  const a = normalizeAddress(address);
  const family = isIP(a);
  if (family === 0) return false;
  const list = new BlockList();
  for (const cidr of networks) {
    const [base, bits] = cidr.split('/');
    const baseFamily = base ? isIP(base) : 0;
    const prefix = Number(bits ?? (baseFamily === 6 ? 128 : 32));
    if (baseFamily === 0 || !Number.isInteger(prefix)) continue;
    list.addSubnet(base!, prefix, baseFamily === 6 ? 'ipv6' : 'ipv4');
  }
  return list.check(a, family === 6 ? 'ipv6' : 'ipv4');
}
