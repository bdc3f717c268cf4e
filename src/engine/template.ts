import type { LabContext } from '../contract/context.js';
import { NODE_LABEL } from '../cluster/types.js';
import type { Message } from '../core/i18n.js';
import { shellQuote } from '../platform/command.js';
import { toolCommand } from '../platform/invocation.js';
import { UserError } from '../core/errors.js';
import { withParticle } from '../core/korean.js';

/**
 * `{{…}}` placeholders in lab files. Static ones come from the configuration; dynamic ones are read from the
 * cluster when a check runs, so a value that does not exist yet (an external IP still pending) makes the check
 * "not yet" rather than wrong.
 *
 *   {{ports.http}} {{ports.https}} {{ports.nodePort}} {{ports.workerA}} {{ports.workerB}}
 *   {{workspace}}  {{cluster}}  {{context}}  {{hostClientAddress}}
 *   {{tool}}   (this tool's own command as it can be typed here: `npx expose-labs` or `expose-labs`)
 *   {{service.NAME.externalIP}}  {{service.NAME.nodePort}}  {{service.NAME.clusterIP}}   (default namespace)
 *   {{ingress.NAME.address}}   (the ADDRESS kubectl get ingress shows: what the controller wrote into its status)
 *   {{gateway.NAME.address}}   (the ADDRESS kubectl get gateway shows: status.addresses[0], the Gateway's own)
 *   {{node.a.ip}}  {{node.b.ip}}  {{node.control-plane.ip}}   (InternalIP of the node with that label / role)
 */
export class Unresolved extends Error {
  override readonly name = 'Unresolved';
  constructor(readonly reason: Message) {
    super(typeof reason === 'string' ? reason : reason.en);
  }
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;

export function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** Names that need no cluster call: used by `show`, `--dry-run` and lab validation. */
export function staticValues(ctx: Pick<LabContext, 'cluster' | 'paths'>): Record<string, string> {
  const { ports } = ctx.cluster;
  return {
    'ports.http': String(ports.http),
    'ports.https': String(ports.https),
    'ports.nodePort': String(ports.nodePort),
    'ports.workerA': String(ports.workerA),
    'ports.workerB': String(ports.workerB),
    workspace: ctx.paths.workspace,
    cluster: ctx.cluster.name,
    context: ctx.cluster.context,
    tool: toolCommand(),
  };
}

const DYNAMIC =
  /^(service\.[a-z0-9.-]+\.(externalIP|nodePort|clusterIP)|(ingress|gateway)\.[a-z0-9.-]+\.address|node\.[a-z0-9-]+\.ip|hostClientAddress)$/;

export function isKnownPlaceholder(name: string): boolean {
  return name in STATIC_NAMES || DYNAMIC.test(name);
}

const STATIC_NAMES: Record<string, true> = {
  'ports.http': true,
  'ports.https': true,
  'ports.nodePort': true,
  'ports.workerA': true,
  'ports.workerB': true,
  workspace: true,
  cluster: true,
  context: true,
  tool: true,
};

/** The object, or undefined when it does not exist; any other kubectl failure is an environment problem. */
async function getJson<T>(ctx: LabContext, args: string[]): Promise<T | undefined> {
  const result = await ctx.cluster.kubectl([...args, '-o', 'json'], { signal: ctx.signal });
  if (!result.failed) return JSON.parse(result.stdout) as T;
  if (/\(NotFound\)/.test(result.stderr)) return undefined;
  throw new UserError({
    ko: `클러스터에 물어볼 수 없습니다: ${ctx.cluster.kubectlLine(args)}\n${result.stderr.trim()}`,
    en: `Could not ask the cluster: ${ctx.cluster.kubectlLine(args)}\n${result.stderr.trim()}`,
  });
}

/** The few fields of `kubectl get -o json` that placeholders read. */
interface LoadBalancerStatus {
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}
interface ServiceJson extends LoadBalancerStatus {
  spec?: { clusterIP?: string; ports?: { nodePort?: number }[] };
}
interface NodeListJson {
  items?: { status?: { addresses?: { type: string; address: string }[] } }[];
}

async function dynamicValue(name: string, ctx: LabContext): Promise<string> {
  if (name === 'hostClientAddress') return (await ctx.cluster.reachability()).hostClientAddress;
  const service = /^service\.([a-z0-9.-]+)\.(externalIP|nodePort|clusterIP)$/.exec(name);
  if (service) {
    const [, svcName, field] = service as unknown as [string, string, string];
    const svc = await getJson<ServiceJson>(ctx, ['get', 'service', svcName]);
    if (!svc)
      throw new Unresolved({
        ko: `Service ${withParticle(svcName, '이/가')} 아직 없습니다.`,
        en: `Service ${svcName} does not exist yet.`,
      });
    if (field === 'clusterIP' && svc.spec?.clusterIP) return String(svc.spec.clusterIP);
    if (field === 'nodePort' && svc.spec?.ports?.[0]?.nodePort) return String(svc.spec.ports[0].nodePort);
    const ingress = svc.status?.loadBalancer?.ingress?.[0];
    if (field === 'externalIP' && (ingress?.ip || ingress?.hostname)) return String(ingress.ip ?? ingress.hostname);
    throw new Unresolved({
      ko: `Service ${svcName}에 아직 ${field} 값이 없습니다 (kubectl get svc ${svcName} 의 EXTERNAL-IP가 <pending>).`,
      en: `Service ${svcName} has no ${field} yet (EXTERNAL-IP of kubectl get svc ${svcName} is <pending>).`,
    });
  }
  const ingressAddress = /^ingress\.([a-z0-9.-]+)\.address$/.exec(name);
  if (ingressAddress) {
    const ingName = ingressAddress[1]!;
    const ing = await getJson<LoadBalancerStatus>(ctx, ['get', 'ingress', ingName]);
    if (!ing)
      throw new Unresolved({
        ko: `Ingress ${withParticle(ingName, '이/가')} 아직 없습니다.`,
        en: `Ingress ${ingName} does not exist yet.`,
      });
    const published = ing.status?.loadBalancer?.ingress?.[0];
    if (published?.ip || published?.hostname) return String(published.ip ?? published.hostname);
    throw new Unresolved({
      ko: `Ingress ${ingName}에 아직 주소가 없습니다 (kubectl get ingress ${ingName} 의 ADDRESS가 비어 있음).`,
      en: `Ingress ${ingName} has no address yet (the ADDRESS of kubectl get ingress ${ingName} is empty).`,
    });
  }
  const gatewayAddress = /^gateway\.([a-z0-9.-]+)\.address$/.exec(name);
  if (gatewayAddress) {
    const gwName = gatewayAddress[1]!;
    const gw = await getJson<{ status?: { addresses?: { value?: string }[] } }>(ctx, ['get', 'gateway', gwName]);
    if (!gw)
      throw new Unresolved({
        ko: `Gateway ${withParticle(gwName, '이/가')} 아직 없습니다.`,
        en: `Gateway ${gwName} does not exist yet.`,
      });
    const address = gw.status?.addresses?.[0]?.value;
    if (address) return address;
    throw new Unresolved({
      ko: `Gateway ${gwName}에 아직 주소가 없습니다 (kubectl get gateway ${gwName} 의 ADDRESS가 비어 있음).`,
      en: `Gateway ${gwName} has no address yet (the ADDRESS of kubectl get gateway ${gwName} is empty).`,
    });
  }
  const node = /^node\.([a-z0-9-]+)\.ip$/.exec(name);
  if (node) {
    const which = node[1]!;
    const selector = which === 'control-plane' ? 'node-role.kubernetes.io/control-plane' : `${NODE_LABEL}=${which}`;
    const list = await getJson<NodeListJson>(ctx, ['get', 'nodes', '-l', selector]);
    const address = list?.items?.[0]?.status?.addresses?.find((a: { type: string }) => a.type === 'InternalIP');
    if (address?.address) return String(address.address);
    throw new Unresolved({ ko: `노드 ${which}의 주소를 찾을 수 없습니다.`, en: `No address found for node ${which}.` });
  }
  throw new Unresolved(`unknown placeholder {{${name}}}`);
}

/** Fill every placeholder; throws Unresolved when a dynamic value does not exist yet. */
export async function resolveTemplate(template: string, ctx: LabContext): Promise<string> {
  const names = placeholders(template);
  if (names.length === 0) return template;
  const values = staticValues(ctx);
  for (const name of names) {
    if (!(name in values)) values[name] = await dynamicValue(name, ctx);
  }
  return template.replace(PLACEHOLDER, (_, name: string) => values[name]!);
}

/** Fill placeholders in every string of a spec object (deeply). */
export async function resolveDeep<T>(value: T, ctx: LabContext): Promise<T> {
  if (typeof value === 'string') return (await resolveTemplate(value, ctx)) as T;
  if (Array.isArray(value)) return (await Promise.all(value.map((v) => resolveDeep(v, ctx)))) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await resolveDeep(v, ctx);
    return out as T;
  }
  return value;
}

/**
 * For display (`show`, solutions, dry-run): static values filled, dynamic ones left as `<name>`. The workspace path
 * is shell-quoted when it needs it (macOS: "Application Support"), so a command a learner copies still works.
 */
export function previewTemplate(template: string, ctx: Pick<LabContext, 'cluster' | 'paths'>): string {
  const values = staticValues(ctx);
  values.workspace = shellQuote(ctx.paths.workspace);
  return template.replace(PLACEHOLDER, (_, name: string) => values[name] ?? `<${name}>`);
}

/**
 * A spec with its static placeholders filled (raw, unquoted) and dynamic ones shown as `<name>`: what an action's or
 * check's command line is built from for display, so its own quoting stays right.
 */
export function fillStatic<T>(value: T, ctx: Pick<LabContext, 'cluster' | 'paths'>): T {
  const values = staticValues(ctx);
  const fill = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(PLACEHOLDER, (_, name: string) => values[name] ?? `<${name}>`);
    if (Array.isArray(v)) return v.map(fill);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]));
    return v;
  };
  return fill(value) as T;
}
