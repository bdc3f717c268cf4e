import { isIP } from 'node:net';
import type { Dependency, DependencyContext } from '../contract/dependencies.js';
import { isLoopback, splitHostPort, unbracket } from './address.js';

/** A value still holding a dynamic placeholder (`<name>` once static ones are filled) is read from the cluster. */
const UNFILLED = /<[^>]+>/;

function hostOfUrl(url: string): string | undefined {
  if (UNFILLED.test(url)) return undefined;
  try {
    return unbracket(new URL(url).hostname);
  } catch {
    return undefined;
  }
}

/**
 * What a request to `host` (a URL's or `host:port`'s) depends on: the hosts file when the name is looked up there.
 * It is cheap when it leaves from this machine (in-process sockets, no container) to an address known without a
 * lookup: a name may go on to DNS, which is no cheap thing to ask four times a second (its change is the hosts
 * file's, which is watched).
 */
export function requestDependencies(
  target: { host: string | undefined; resolve?: string },
  ctx: DependencyContext,
): Dependency[] {
  const out: Dependency[] = [];
  const { host, resolve } = target;
  const looked = resolve !== undefined && resolve !== '' ? resolve : host;
  if (looked === undefined || UNFILLED.test(looked)) return out;
  const literal = isIP(looked) !== 0;
  if (!literal && !ctx.noHosts) out.push({ type: 'file', path: ctx.hostsFile });
  const known = literal || ctx.noHosts;
  // Under --no-hosts a name goes to 127.0.0.1 (resolve-name.ts), which `auto` reaches from the host.
  const loopback = literal ? isLoopback(looked) : ctx.noHosts;
  const fromHost = ctx.vantage === 'host' || (ctx.vantage === 'auto' && loopback);
  if (known && fromHost) out.push({ type: 'cheap' });
  return out;
}

/** For the checks whose spec has a `url` (and maybe `resolve`). */
export function urlDependencies(spec: { url: string; resolve?: string }, ctx: DependencyContext): Dependency[] {
  return requestDependencies({ host: hostOfUrl(spec.url), resolve: spec.resolve }, ctx);
}

/** For the checks whose spec has an `address` (`host:port`). */
export function addressDependencies(spec: { address: string }, ctx: DependencyContext): Dependency[] {
  const parts = UNFILLED.test(spec.address) ? undefined : splitHostPort(spec.address);
  return requestDependencies({ host: parts?.host }, ctx);
}
