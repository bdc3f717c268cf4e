/**
 * Which rule of an Ingress (networking.k8s.io/v1) a request matches, the way Contour v1.33.6 builds Envoy routes
 * from it (internal/dag/ingress_processor.go, internal/sorter/sorter.go @ v1.33.6). Rules go to one virtual host per
 * host, rules without a host and the defaultBackend (a `/` rule without a host) to `*`; Envoy picks the virtual host
 * first (the exact name, else a `*.` wildcard for one label, else `*`) and only then a route in it, so a path no rule
 * of that host has gets 404 even where the `*` host would answer. Within the host Exact comes first, then the longest
 * path; Prefix compares whole path elements (`/jordy` matches `/jordy/hello`, not `/jordyx`); ImplementationSpecific
 * is a prefix of the string, or a regular expression over the whole path when it holds one of `^+*[]%`.
 */

export interface IngressBackend {
  service: string;
  port: number | string;
}

export interface IngressRuleMatch {
  host?: string;
  path: string;
  pathType: string;
  backend: IngressBackend;
}

interface IngressPath {
  path?: string;
  pathType?: string;
  backend?: { service?: { name: string; port?: { number?: number; name?: string } } };
}

export interface IngressSpec {
  defaultBackend?: IngressPath['backend'];
  rules?: { host?: string; http?: { paths?: IngressPath[] } }[];
}

const REGEX_CHARS = /[\^+*[\]%]/;

function hostMatches(rule: string | undefined, host: string): boolean {
  if (!rule) return true;
  if (rule.startsWith('*.')) {
    const dot = host.indexOf('.');
    return dot > 0 && host.slice(dot + 1) === rule.slice(2).toLowerCase();
  }
  return rule.toLowerCase() === host;
}

/** The virtual host Envoy picks for `host`: 2 its own name, 1 a wildcard, 0 `*`. */
const hostRank = (rule: string | undefined): number => (rule ? (rule.startsWith('*.') ? 1 : 2) : 0);

function pathMatches(type: string, rulePath: string, path: string): boolean {
  if (type === 'Exact') return rulePath === path;
  if (type === 'ImplementationSpecific') {
    if (!REGEX_CHARS.test(rulePath)) return path.startsWith(rulePath);
    try {
      return new RegExp(`^(?:${rulePath})$`).test(path);
    } catch {
      return false;
    }
  }
  const want = rulePath.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  return want.every((part, i) => have[i] === part);
}

/**
 * sorter.go's route order: Exact, then regular expressions (longest first), then prefixes longest first (Prefix
 * without its trailing slashes), a segment prefix before a string prefix of the same text.
 */
function routeRank(type: string, rulePath: string): number {
  if (type === 'Exact') return 3e6;
  if (type === 'ImplementationSpecific')
    return REGEX_CHARS.test(rulePath) ? 2e6 + rulePath.length : rulePath.length * 2;
  const prefix = rulePath === '/' ? '/' : rulePath.replace(/\/+$/, '');
  return prefix.length * 2 + (prefix === '/' ? 0 : 1);
}

const backendOf = (b: IngressPath['backend']): IngressBackend | undefined =>
  b?.service ? { service: b.service.name, port: b.service.port?.number ?? b.service.port?.name ?? '' } : undefined;

/** The rule this host and path reach, or undefined (Envoy's 404). */
export function matchIngress(spec: IngressSpec, host: string, path: string): IngressRuleMatch | undefined {
  const name = host.toLowerCase();
  const rules: { host?: string; paths: IngressPath[]; fallback?: boolean }[] = (spec.rules ?? [])
    .filter((rule) => hostMatches(rule.host, name))
    .map((rule) => ({ host: rule.host, paths: rule.http?.paths ?? [] }));
  // Contour puts the defaultBackend first among the `*` rules, so a rule of its own for `/` replaces it.
  if (spec.defaultBackend) rules.unshift({ paths: [{ path: '/', backend: spec.defaultBackend }], fallback: true });
  const hostOf = Math.max(
    -1,
    ...rules.filter((r) => r.paths.some((p) => backendOf(p.backend))).map((r) => hostRank(r.host)),
  );
  const candidates: (IngressRuleMatch & { rank: number })[] = [];
  for (const rule of rules) {
    if (hostRank(rule.host) !== hostOf) continue;
    for (const p of rule.paths) {
      const pathType = p.pathType ?? 'ImplementationSpecific';
      const rulePath = p.path ?? '/';
      const backend = backendOf(p.backend);
      if (!backend || !pathMatches(pathType, rulePath, path)) continue;
      const rank = routeRank(pathType, rulePath);
      const shown = rule.fallback
        ? { path: '*', pathType: 'defaultBackend' }
        : { host: rule.host, path: rulePath, pathType };
      candidates.push({ ...shown, backend, rank });
    }
  }
  // Stable sort: of equal rank the later rule wins, as Contour replaces a route of the same match.
  const best = candidates.reverse().sort((a, b) => b.rank - a.rank)[0];
  return best && { host: best.host, path: best.path, pathType: best.pathType, backend: best.backend };
}
