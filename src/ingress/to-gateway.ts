import { isMap, parseAllDocuments, stringify } from 'yaml';
import { UserError } from '../core/errors.js';
import type { Text } from '../core/i18n.js';
import { convertIngressYaml, INGRESS_V1, LEGACY_INGRESS_VERSIONS, type ConversionNote } from './convert.js';
import { withParticle } from '../core/korean.js';

/**
 * An Ingress (v1, or legacy after the v1 step) as Gateway API objects, named the way kubernetes-sigs/ingress2gateway
 * v1.1.0 names them (pkg/i2gw/providers/common/converter.go and utils.go @ v1.1.0) so the two outputs can be diffed:
 * one Gateway per namespace and Ingress class, named after the class; per host a listener `<host>-http` (80) and,
 * with TLS, `<host>-https` (443); one HTTPRoute `<ingress>-<host>` per host (`<ingress>-all-hosts` without one) whose
 * parentRefs name the Gateway; `<ingress>-default-backend` for spec.defaultBackend; Prefix → PathPrefix, Exact →
 * Exact; backend ports as numbers; the generator annotation. Where this differs from ingress2gateway it says why
 * below. What has no equivalent is listed per object and field.
 */

export const GENERATOR_ANNOTATION = 'gateway.networking.k8s.io/generator';
const GATEWAY_API = 'gateway.networking.k8s.io/v1';
const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
/** Contour reads an ImplementationSpecific path with any of these as a regular expression (internal/dag/ingress_processor.go @ v1.33.6). */
const REGEX_CHARS = /[\^+*[\]%]/;

export interface GatewayConvertOptions {
  /** spec.gatewayClassName of the Gateway: the Ingress class names a controller, not a GatewayClass. */
  gatewayClassName: string;
  /** The generator annotation's value, e.g. `expose-labs-0.1.0`. */
  generator: string;
  sourceName?: string;
}

export interface GatewayConversion {
  yaml: string;
  objects: Record<string, unknown>[];
  notes: ConversionNote[];
}

/** The fields of the input this reads (Ingress networking.k8s.io/v1, Service v1). */
interface Meta {
  name?: string;
  namespace?: string;
  annotations?: Record<string, string>;
}
interface IngressBackendJson {
  service?: { name?: string; port?: { number?: number; name?: string } };
  resource?: { apiGroup?: string; kind?: string; name?: string };
}
interface IngressPathJson {
  path?: string;
  pathType?: string;
  backend?: IngressBackendJson;
}
interface IngressTlsJson {
  hosts?: string[];
  secretName?: string;
}
interface IngressJson {
  apiVersion?: string;
  kind?: string;
  metadata?: Meta;
  spec?: {
    ingressClassName?: string;
    defaultBackend?: IngressBackendJson;
    rules?: { host?: string; http?: { paths?: IngressPathJson[] } }[];
    tls?: IngressTlsJson[];
  };
}
interface ServiceJson {
  apiVersion?: string;
  kind?: string;
  metadata?: Meta;
  spec?: { ports?: { name?: string; port?: number }[] };
}
type Json = Record<string, unknown>;

interface ListenerJson {
  name: string;
  port: number;
  protocol: 'HTTP' | 'HTTPS';
  hostname?: string;
  tls?: { mode: 'Terminate'; certificateRefs: { group: string; kind: string; name: string }[] };
}

type BackendRefJson = { name: string; port: number } | { group: string; kind: string; name: string };

interface RouteRule {
  key: string;
  match?: { path: { type: string; value: string } };
  backendRefs: BackendRefJson[];
}

interface RuleGroup {
  namespace?: string;
  gateway: string;
  host: string;
  /** The first Ingress seen in the group names the route (as ingress2gateway does). */
  ingress: string;
  tls: IngressTlsJson[];
  rules: RouteRule[];
}

/** utils.go NameFromHost @ v1.1.0: non-alphanumerics become `-`, leading ones dropped; none or `*` → all-hosts. */
export function nameFromHost(host: string): string {
  if (host === '' || host === '*') return 'all-hosts';
  return host.replace(/[^a-zA-Z0-9]+/g, '-').replace(/^[^a-zA-Z0-9]+/, '');
}

function note(notes: ConversionNote[], object: string, text: Text): void {
  notes.push({ ingress: object, text });
}

/** Whether an Ingress TLS host covers a rule host (`*.x` covers one more label, as Ingress wildcards do). */
function tlsCovers(tlsHost: string, host: string): boolean {
  if (tlsHost === host) return true;
  if (!tlsHost.startsWith('*.')) return false;
  const rest = host.slice(0, -(tlsHost.length - 1));
  return host.endsWith(tlsHost.slice(1)) && rest.length > 0 && !rest.includes('.');
}

export function convertToGateway(source: string, options: GatewayConvertOptions): GatewayConversion {
  const sourceName = options.sourceName ?? '<input>';
  const notes: ConversionNote[] = [];
  const v1 = toV1(source, sourceName, notes);
  const docs = parseAllDocuments(v1, { version: '1.1' });
  const ingresses: IngressJson[] = [];
  const services: ServiceJson[] = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    const value = doc.toJS() as unknown;
    for (const object of isMap(doc.contents) ? objectsOf(value) : []) {
      if (object.kind === 'Ingress' && object.apiVersion === INGRESS_V1) ingresses.push(object);
      else if (object.kind === 'Service' && object.apiVersion === 'v1') services.push(object);
    }
  }
  if (ingresses.length === 0) {
    throw new UserError(
      { ko: `${sourceName} 에 Ingress가 없습니다.`, en: `${sourceName} holds no Ingress.` },
      {
        ko: '`kind: Ingress` 인 매니페스트를 주세요. 예: fixtures/ingress/basic-niniz-ing.yaml',
        en: 'Give a manifest with `kind: Ingress`, e.g. fixtures/ingress/basic-niniz-ing.yaml',
      },
    );
  }

  const groups = new Map<string, RuleGroup>();
  const defaults: { ingress: IngressJson; gateway: string; backend: IngressBackendJson }[] = [];
  const gateways = new Map<string, { namespace?: string; name: string }>();
  for (const ingress of ingresses) {
    const name = String(ingress.metadata?.name ?? '');
    const namespace = ingress.metadata?.namespace;
    const label = name;
    const gateway = gatewayName(ingress, options.gatewayClassName, label, notes);
    gateways.set(`${namespace ?? ''}/${gateway}`, { namespace, name: gateway });
    untranslatedFields(ingress, label, notes);
    const spec = ingress.spec ?? {};
    if (spec.defaultBackend) defaults.push({ ingress, gateway, backend: spec.defaultBackend });
    (spec.rules ?? []).forEach((rule, r) => {
      const host = String(rule.host ?? '');
      if (host.startsWith('*.')) {
        note(notes, label, {
          ko: `spec.rules[${r}].host ${host}: Ingress의 와일드카드는 이름 조각 하나만 받지만(a.${host.slice(2)}), Gateway API의 hostnames/hostname 와일드카드는 여러 조각도 받습니다(a.b.${host.slice(2)}).`,
          en: `spec.rules[${r}].host ${host}: an Ingress wildcard covers exactly one label (a.${host.slice(2)}); a Gateway API hostname wildcard covers any number (a.b.${host.slice(2)}).`,
        });
      }
      const key = `${namespace ?? ''}/${gateway}/${host}`;
      let group = groups.get(key);
      if (!group) {
        group = { namespace, gateway, host, ingress: name, tls: [], rules: [] };
        groups.set(key, group);
      }
      for (const tls of spec.tls ?? []) if (!group.tls.includes(tls)) group.tls.push(tls);
      const paths = rule.http?.paths ?? [];
      if (paths.length === 0) {
        note(notes, label, {
          ko: `spec.rules[${r}] (${host || '*'}): http.paths 가 없어 옮길 경로가 없습니다.`,
          en: `spec.rules[${r}] (${host || '*'}): no http.paths, so there is no path to carry over.`,
        });
      }
      paths.forEach((path, p) => {
        const at = `spec.rules[${r}].http.paths[${p}]`;
        const match = pathMatch(path, at, label, notes);
        const backend = backendRef(path.backend, namespace, services, `${at}.backend`, label, notes);
        const existing = group.rules.find((x) => x.key === match.key);
        // ingress2gateway merges paths with the same (pathType, path) into one rule with several backends.
        if (existing) existing.backendRefs.push(backend);
        else group.rules.push({ key: match.key, match: match.match, backendRefs: [backend] });
      });
    });
  }

  const annotations = { [GENERATOR_ANNOTATION]: options.generator };
  const meta = (name: string, namespace?: string) => ({ annotations, name, ...(namespace ? { namespace } : {}) });
  const listeners = new Map<string, ListenerJson[]>();
  const routes: Json[] = [];
  // ingress2gateway walks the rule groups in sorted key order.
  for (const key of [...groups.keys()].sort()) {
    const group = groups.get(key)!;
    const gwKey = `${group.namespace ?? ''}/${group.gateway}`;
    const list = listeners.get(gwKey) ?? [];
    listeners.set(gwKey, list);
    const hosts = new Set(
      [...groups.values()]
        .filter((g) => g.gateway === group.gateway && g.namespace === group.namespace)
        .map((g) => g.host),
    );
    addListeners(list, group, hosts, notes);
    const routeHost = group.host ? hostName(group.host, hosts) : nameFromHost('');
    if (routeHost.startsWith('wildcard-')) {
      note(notes, group.ingress, {
        ko: `호스트 ${group.host}: ingress2gateway의 이름(${nameFromHost(group.host)})이 ${group.host.slice(2)} 와 겹쳐 리스너와 라우트 이름에 wildcard- 를 붙였습니다.`,
        en: `host ${group.host}: its ingress2gateway name (${nameFromHost(group.host)}) is also ${group.host.slice(2)}'s, so its listener and route names start with wildcard-.`,
      });
    }
    routes.push({
      apiVersion: GATEWAY_API,
      kind: 'HTTPRoute',
      metadata: meta(`${group.ingress}-${routeHost}`, group.namespace),
      spec: {
        parentRefs: [{ name: group.gateway }],
        ...(group.host ? { hostnames: [group.host] } : {}),
        rules: group.rules.map((rule) => ({
          ...(rule.match ? { matches: [rule.match] } : {}),
          backendRefs: rule.backendRefs,
        })),
      },
    });
  }
  for (const { ingress, gateway, backend } of defaults) {
    const namespace = ingress.metadata?.namespace;
    const label = String(ingress.metadata?.name);
    const gwKey = `${namespace ?? ''}/${gateway}`;
    // A Gateway that only has a default backend still needs a listener for the catch-all route.
    if (!listeners.get(gwKey)?.length) listeners.set(gwKey, [{ name: 'http', port: 80, protocol: 'HTTP' }]);
    routes.push({
      apiVersion: GATEWAY_API,
      kind: 'HTTPRoute',
      metadata: meta(`${String(ingress.metadata?.name)}-default-backend`, namespace),
      spec: {
        parentRefs: [{ name: gateway }],
        rules: [{ backendRefs: [backendRef(backend, namespace, services, 'spec.defaultBackend', label, notes)] }],
      },
    });
  }
  const gatewayObjects = [...gateways.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([gwKey, gw]) => ({
      apiVersion: GATEWAY_API,
      kind: 'Gateway',
      metadata: meta(gw.name, gw.namespace),
      spec: { gatewayClassName: options.gatewayClassName, listeners: listeners.get(gwKey) ?? [] },
    }));
  const objects = [...gatewayObjects, ...routes];
  const yaml = objects.map((o) => stringify(o, { lineWidth: 0, version: '1.1' })).join('---\n');
  return { yaml, objects, notes };
}

/** The legacy Ingresses go through the v1 step first (its notes kept); a v1-only file is read as it is. */
function toV1(source: string, sourceName: string, notes: ConversionNote[]): string {
  const legacy = LEGACY_INGRESS_VERSIONS.some((v) => source.includes(v));
  if (!legacy) {
    const docs = parseAllDocuments(source);
    const error = (Array.isArray(docs) ? docs : [docs]).flatMap((d) => d.errors)[0];
    if (error) {
      throw new UserError(
        {
          ko: `${withParticle(sourceName, '을/를')} YAML로 읽을 수 없습니다: ${error.message.split('\n')[0]}`,
          en: `${sourceName} is not valid YAML: ${error.message.split('\n')[0]}`,
        },
        { ko: '들여쓰기와 콜론, 따옴표를 확인하세요.', en: 'Check the indentation, colons and quotes there.' },
      );
    }
    return source;
  }
  const converted = convertIngressYaml(source, { sourceName });
  // The v1 step's advice about a missing ingressClassName (use --class) is about the v1 output; here the note on
  // how the Gateway is named takes its place.
  notes.push(...converted.notes.filter((n) => !n.text.en.startsWith('no ingressClassName')));
  return converted.yaml;
}

function objectsOf(value: unknown): Json[] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
  const object = value as Json;
  if (object.kind === 'List' && Array.isArray(object.items)) return (object.items as unknown[]).flatMap(objectsOf);
  return [object];
}

/**
 * The Gateway is named after the Ingress class (spec.ingressClassName, else the legacy annotation), as
 * ingress2gateway does. Without a class ingress2gateway writes a Gateway with no name and routes without parentRefs,
 * which no API server accepts; here the GatewayClass's name stands in, so the output applies as it is.
 */
function gatewayName(ingress: IngressJson, gatewayClass: string, label: string, notes: ConversionNote[]): string {
  const fromSpec = ingress.spec?.ingressClassName;
  const fromAnnotation = ingress.metadata?.annotations?.[CLASS_ANNOTATION];
  const ingressClass = fromSpec ?? fromAnnotation;
  if (ingressClass) {
    note(notes, label, {
      ko: `Ingress 클래스 ${ingressClass} → Gateway ${ingressClass} (ingress2gateway처럼 클래스 이름을 씀), gatewayClassName: ${gatewayClass} (--gateway-class)`,
      en: `Ingress class ${ingressClass} → Gateway ${ingressClass} (named after the class, as ingress2gateway does), gatewayClassName: ${gatewayClass} (--gateway-class)`,
    });
    return ingressClass;
  }
  note(notes, label, {
    ko: `Ingress 클래스가 없어 Gateway 이름으로 GatewayClass 이름 ${gatewayClass} 를 씁니다.`,
    en: `no Ingress class, so the Gateway is named after the GatewayClass, ${gatewayClass}.`,
  });
  return gatewayClass;
}

function untranslatedFields(ingress: IngressJson, label: string, notes: ConversionNote[]): void {
  for (const key of Object.keys(ingress.metadata?.annotations ?? {})) {
    if (key === CLASS_ANNOTATION || key === LAST_APPLIED) continue;
    note(notes, label, {
      ko: `metadata.annotations["${key}"]: 옮기지 않았습니다. 어노테이션은 컨트롤러마다 뜻이 달라 Gateway API에 그대로 대응하는 것이 없습니다 (필터나 구현의 정책으로 다시 만들어야 합니다).`,
      en: `metadata.annotations["${key}"]: not carried over. Annotations mean what one controller makes of them and have no Gateway API equivalent (rebuild them as filters or the implementation's policies).`,
    });
  }
  (ingress.spec?.tls ?? []).forEach((tls, i) => {
    if (!tls.hosts?.length) {
      note(notes, label, {
        ko: `spec.tls[${i}]: hosts 가 없어 이 Ingress의 모든 호스트 리스너에 인증서를 붙였습니다.`,
        en: `spec.tls[${i}]: no hosts, so its certificate went to the HTTPS listener of every host of this Ingress.`,
      });
    }
  });
}

function pathMatch(
  path: IngressPathJson,
  at: string,
  label: string,
  notes: ConversionNote[],
): { key: string; match: { path: { type: string; value: string } } } {
  const value = String(path.path ?? '/');
  const pathType = path.pathType;
  if (pathType === undefined) {
    throw new UserError(
      { ko: `${label}, ${at}.pathType: 값이 필요합니다.`, en: `${label}, ${at}.pathType: pathType is required.` },
      {
        ko: 'networking.k8s.io/v1 Ingress는 pathType 이 필수입니다 (Prefix, Exact, ImplementationSpecific).',
        en: 'A networking.k8s.io/v1 Ingress needs a pathType (Prefix, Exact, ImplementationSpecific).',
      },
    );
  }
  const key = `${pathType}/${value}`;
  if (pathType === 'Prefix') return { key, match: { path: { type: 'PathPrefix', value } } };
  if (pathType === 'Exact') return { key, match: { path: { type: 'Exact', value } } };
  // ingress2gateway's generic converter refuses ImplementationSpecific; its ingress-nginx provider reads it as a
  // prefix. The lab's Contour reads it as a plain string prefix, or a regular expression (see REGEX_CHARS).
  if (REGEX_CHARS.test(value)) {
    note(notes, label, {
      ko: `${at} (${value}): ImplementationSpecific 를 RegularExpression 으로 옮겼습니다 (Contour는 이런 경로를 정규식으로 읽습니다). 정규식 문법과 우선순위는 Gateway 구현마다 다릅니다.`,
      en: `${at} (${value}): ImplementationSpecific became RegularExpression (Contour reads such a path as a regular expression). Regex syntax and precedence depend on the Gateway implementation.`,
    });
    return { key, match: { path: { type: 'RegularExpression', value } } };
  }
  note(notes, label, {
    ko: `${at} (${value}): ImplementationSpecific 를 PathPrefix 로 옮겼습니다. 뜻이 다릅니다: Contour는 단순 문자열 접두사(${value} 가 ${value}x 에도 맞음), PathPrefix 는 경로 조각 단위입니다.`,
    en: `${at} (${value}): ImplementationSpecific became PathPrefix, which means something else: Contour matched a plain string prefix (${value} also matched ${value}x), PathPrefix matches whole path elements.`,
  });
  return { key, match: { path: { type: 'PathPrefix', value } } };
}

/** utils.go ToBackendRef: a Service port by number; a named port is looked up in the Service (given in the same input). */
function backendRef(
  backend: IngressBackendJson | undefined,
  namespace: string | undefined,
  services: ServiceJson[],
  at: string,
  label: string,
  notes: ConversionNote[],
): BackendRefJson {
  const service = backend?.service;
  if (backend?.resource) {
    const r = backend.resource;
    note(notes, label, {
      ko: `${at}.resource (${String(r.kind)} ${String(r.name)}): 그대로 backendRef 로 옮겼지만 cloud-provider-kind는 Service만 받습니다 (ResolvedRefs=False, InvalidKind).`,
      en: `${at}.resource (${String(r.kind)} ${String(r.name)}): carried over as a backendRef, but cloud-provider-kind takes Services only (ResolvedRefs=False, InvalidKind).`,
    });
    return { group: r.apiGroup ?? '', kind: String(r.kind), name: String(r.name) };
  }
  if (!service?.name) {
    throw new UserError({
      ko: `${label}, ${at}: backend 에 service 가 없습니다.`,
      en: `${label}, ${at}: the backend names no service.`,
    });
  }
  const number = service.port?.number;
  if (typeof number === 'number') return { name: service.name, port: number };
  const portName = service.port?.name;
  const found = services.find((s) => s.metadata?.name === service.name && s.metadata?.namespace === namespace);
  const port = (found?.spec?.ports ?? []).find((p) => p.name === portName);
  if (portName && typeof port?.port === 'number') {
    note(notes, label, {
      ko: `${at}.service.port.name ${portName} → port ${port.port} (Service ${String(service.name)} 에서 찾음; HTTPRoute는 포트 번호만 받습니다)`,
      en: `${at}.service.port.name ${portName} → port ${port.port} (looked up in Service ${String(service.name)}; an HTTPRoute takes port numbers only)`,
    });
    return { name: service.name, port: port.port };
  }
  throw new UserError(
    {
      ko: `${label}, ${at}.service.port: 서비스 ${String(service.name)} 에서 이름이 ${portName ?? '(없음)'} 인 포트를 찾을 수 없습니다.`,
      en: `${label}, ${at}.service.port: cannot find port with name ${portName ?? '(none)'} in service ${String(service.name)}.`,
    },
    {
      ko: 'HTTPRoute는 포트 번호만 받습니다. 그 Service의 매니페스트를 같은 파일에 넣으면(--- 로 나눠서) 이름을 번호로 바꿉니다.',
      en: 'An HTTPRoute takes port numbers only. Put that Service’s manifest in the same file (separated by ---) and the name is turned into its number.',
    },
  );
}

/**
 * `*.x.com` and `x.com` get the same NameFromHost, so ingress2gateway keeps only the first listener (and writes two
 * routes of one name, the second replacing the first). Where both hosts exist, the wildcard's names say `wildcard-`.
 */
function hostName(host: string, hosts: Set<string>): string {
  return host.startsWith('*.') && hosts.has(host.slice(2)) ? `wildcard-${nameFromHost(host)}` : nameFromHost(host);
}

/**
 * converter.go: a listener per host, `-http` on 80 and, with TLS, `-https` on 443, deduplicated by name; an Ingress
 * without hosts but with exactly one TLS host takes that host. Two differences from ingress2gateway v1.1.0: a TLS
 * secret goes only to the listeners of the hosts its entry lists (ingress2gateway gives every secret of the Ingress
 * to every host), and `tls.mode: Terminate` is written out (the CRD's default) so the output says what it does.
 */
function addListeners(list: ListenerJson[], group: RuleGroup, hosts: Set<string>, notes: ConversionNote[]): void {
  let hostname = group.host;
  if (!hostname && group.tls.length === 1 && group.tls[0]!.hosts?.length === 1) hostname = group.tls[0]!.hosts[0]!;
  const covering = group.tls.filter((t) => !t.hosts?.length || t.hosts.some((h) => tlsCovers(h, hostname)));
  const secrets = [...new Set(covering.map((t) => t.secretName).filter((s): s is string => Boolean(s)))];
  const prefix = hostname ? `${hostName(hostname, hosts)}-` : '';
  const withHost = hostname ? { hostname } : {};
  if (!list.some((l) => l.name === `${prefix}http`))
    list.push({ name: `${prefix}http`, port: 80, protocol: 'HTTP', ...withHost });
  if (secrets.length === 0) return;
  let https = list.find((l) => l.name === `${prefix}https`);
  if (!https) {
    https = {
      name: `${prefix}https`,
      port: 443,
      protocol: 'HTTPS',
      ...withHost,
      tls: { mode: 'Terminate', certificateRefs: [] },
    };
    list.push(https);
  }
  https.tls ??= { mode: 'Terminate', certificateRefs: [] };
  const refs = https.tls.certificateRefs;
  for (const name of secrets) if (!refs.some((r) => r.name === name)) refs.push({ group: '', kind: 'Secret', name });
  if (refs.length > 1) {
    note(notes, group.ingress, {
      ko: `리스너 ${prefix}https: 인증서가 ${refs.length}개입니다. cloud-provider-kind는 모두 Envoy에 넘기고, Envoy는 SNI에 맞는 이름의 인증서를(없으면 첫 번째를) 냅니다.`,
      en: `listener ${prefix}https: ${refs.length} certificates; cloud-provider-kind hands them all to Envoy, which presents the one whose names fit the SNI (else the first).`,
    });
  }
}
