/**
 * Which rule of an Ingress (networking.k8s.io/v1) a request matches, the way Contour builds Envoy routes from it:
 * the host exactly, or a `*.` wildcard for one label; among the paths of that host the longest match wins, Exact
 * before Prefix, and Prefix compares whole path elements (`/jordy` matches `/jordy/hello`, not `/jordyx`). No rule
 * and no defaultBackend: Envoy answers 404. Contour treats ImplementationSpecific as a prefix of the string.
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

function hostMatches(rule: string | undefined, host: string): boolean {
  if (!rule) return true;
  if (rule.startsWith('*.')) {
    const dot = host.indexOf('.');
    return dot > 0 && host.slice(dot + 1) === rule.slice(2);
  }
  return rule.toLowerCase() === host.toLowerCase();
}

function pathMatches(type: string, rulePath: string, path: string): boolean {
  if (type === 'Exact') return rulePath === path;
  if (type === 'ImplementationSpecific') return path.startsWith(rulePath);
  const want = rulePath.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  return want.every((part, i) => have[i] === part);
}

const backendOf = (b: IngressPath['backend']): IngressBackend | undefined =>
  b?.service ? { service: b.service.name, port: b.service.port?.number ?? b.service.port?.name ?? '' } : undefined;

/** The rule this host and path reach, or undefined (Envoy's 404). */
export function matchIngress(spec: IngressSpec, host: string, path: string): IngressRuleMatch | undefined {
  const candidates: (IngressRuleMatch & { rank: number })[] = [];
  for (const rule of spec.rules ?? []) {
    if (!hostMatches(rule.host, host)) continue;
    for (const p of rule.http?.paths ?? []) {
      const pathType = p.pathType ?? 'ImplementationSpecific';
      const rulePath = p.path ?? '/';
      const backend = backendOf(p.backend);
      if (!backend || !pathMatches(pathType, rulePath, path)) continue;
      // Specific host before a wildcard before none; longer paths first; Exact before Prefix.
      const hostRank = rule.host ? (rule.host.startsWith('*.') ? 1 : 2) : 0;
      const rank = hostRank * 1e6 + rulePath.length * 2 + (pathType === 'Exact' ? 1 : 0);
      candidates.push({ host: rule.host, path: rulePath, pathType, backend, rank });
    }
  }
  const best = candidates.sort((a, b) => b.rank - a.rank)[0];
  if (best) return { host: best.host, path: best.path, pathType: best.pathType, backend: best.backend };
  const fallback = backendOf(spec.defaultBackend);
  return fallback ? { path: '*', pathType: 'defaultBackend', backend: fallback } : undefined;
}
