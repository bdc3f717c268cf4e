import { isIP } from 'node:net';
import { defaultHostsFile } from '../platform/paths.js';
import { joinHostPort, unbracket } from './address.js';
import type { Failure } from './failure.js';
import type { Endpoint, RequestHead } from './http-client.js';
import { resolveName, type NameContext, type ResolvedVia } from './resolve-name.js';

/** The request fields shared by http, dropped, spread, sticky, source-ip and probe. */
export interface TargetSpec {
  url: string;
  method?: string;
  /** Host header (and SNI for https). */
  host?: string;
  /** Connect to this address instead of resolving the URL host (curl --resolve). */
  resolve?: string;
  insecure?: boolean;
}

/** Everything needed to send the request, and to print the curl line that sends the same one. */
export interface RequestPlan {
  url: string;
  https: boolean;
  endpoint: Endpoint;
  head: RequestHead;
  via: ResolvedVia;
  insecure: boolean;
  /** Flags pinning the address for curl (`--resolve`, `--connect-to`) as the learner's machine needs them. */
  pinForHost: string[];
  /** The same for a container, which knows neither the hosts file nor the no-hosts rule. */
  pinForNetwork: string[];
  /** `-H 'Host: …'` when the Host header is not the URL's. */
  hostHeaderFlags: string[];
  /** The URL curl should be given (rewritten to the name when SNI must be sent). */
  curlUrl: string;
}

export type PlanResult = { ok: true; plan: RequestPlan } | { ok: false; failure: Failure; url: string };

const PLACEHOLDER = /\{\{\s*[A-Za-z0-9_.-]+\s*\}\}/g;

/** For schemas: does this (possibly templated) string become an http(s) URL once its placeholders are filled? */
export function looksLikeHttpUrl(value: string): boolean {
  try {
    const url = new URL(value.replace(PLACEHOLDER, '1'));
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function pin(urlHost: string, port: number, address: string): string[] {
  const to = isIP(address) === 6 ? `[${address}]` : address;
  if (isIP(urlHost) !== 0) return ['--connect-to', `${joinHostPort(urlHost, port)}:${to}:${port}`];
  return ['--resolve', `${urlHost}:${port}:${to}`];
}

export async function planRequest(spec: TargetSpec, ctx: NameContext): Promise<PlanResult> {
  let url: URL;
  try {
    url = new URL(spec.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
  } catch {
    return {
      ok: false,
      url: spec.url,
      failure: { kind: 'error', phase: 'resolve', detail: `not an http(s) URL: ${spec.url}` },
    };
  }
  const https = url.protocol === 'https:';
  const port = url.port ? Number(url.port) : https ? 443 : 80;
  const urlHost = unbracket(url.hostname);
  const resolution = await resolveName(urlHost, ctx, spec.resolve);
  if (!resolution.ok) return { ok: false, url: spec.url, failure: resolution.failure };
  const { address, via } = resolution;
  const withPort = (name: string) => (url.port ? joinHostPort(name, port) : isIP(name) === 6 ? `[${name}]` : name);
  const path = url.pathname + url.search;
  const insecure = spec.insecure ?? false;
  const method = (spec.method ?? 'GET').toUpperCase();
  const customHostsFile = ctx.hostsFile !== defaultHostsFile();

  // For https, a Host override is also the SNI name: curl can only send it by connecting to that name.
  if (spec.host && https) {
    const flags = pin(spec.host, port, address);
    return {
      ok: true,
      plan: {
        url: spec.url,
        https,
        endpoint: { address, port, tls: { servername: spec.host, insecure } },
        head: { method, path, host: withPort(spec.host) },
        via,
        insecure,
        pinForHost: flags,
        pinForNetwork: flags,
        hostHeaderFlags: [],
        curlUrl: `https://${withPort(spec.host)}${path}`,
      },
    };
  }
  const pinnedByUs = via === 'no-hosts' || via === 'resolve' || (via !== 'literal' && customHostsFile);
  return {
    ok: true,
    plan: {
      url: spec.url,
      https,
      endpoint: {
        address,
        port,
        ...(https ? { tls: { servername: isIP(urlHost) === 0 ? urlHost : undefined, insecure } } : {}),
      },
      head: { method, path, host: spec.host ?? url.host },
      via,
      insecure,
      pinForHost: pinnedByUs ? pin(urlHost, port, address) : [],
      pinForNetwork: via === 'literal' ? [] : pin(urlHost, port, address),
      hostHeaderFlags: spec.host ? ['-H', `Host: ${spec.host}`] : [],
      curlUrl: spec.url,
    },
  };
}

/** Where the request went, for observed texts: `127.0.0.1:8080 (Host: niniz.com)`. */
export function describeEndpoint(plan: RequestPlan): string {
  const where = joinHostPort(plan.endpoint.address, plan.endpoint.port);
  const named = plan.head.host.replace(/:\d+$/, '') !== plan.endpoint.address ? ` (Host: ${plan.head.host})` : '';
  return where + named;
}
