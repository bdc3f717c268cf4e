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
 * What a request to `host` (a URL's or `host:port`'s) depends on: the hosts file when the name is looked up there,
 * and nothing else that can be watched. It is cheap when it leaves from this machine to a known loopback address,
 * or from this machine at all (in-process sockets, no container).
 */
export function requestDependencies(
  target: { host: string | undefined; resolve?: string },
  ctx: DependencyContext,
): Dependency[] {
  const out: Dependency[] = [];
  const { host, resolve } = target;
  const looked = resolve !== undefined && resolve !== '' ? resolve : host;
  if (looked !== undefined && !UNFILLED.test(looked) && isIP(looked) === 0 && !ctx.noHosts)
    out.push({ type: 'file', path: ctx.hostsFile });
  const loopback = looked !== undefined && isIP(looked) !== 0 && isLoopback(looked);
  if (ctx.vantage === 'host' || (ctx.vantage === 'auto' && loopback)) out.push({ type: 'cheap' });
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
