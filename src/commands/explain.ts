import { looksLikeHttpUrl } from '../checks/target.js';
import type { RuleFact } from '../cluster/kube-proxy-rules.js';
import { chainSuffix } from '../cluster/kube-proxy-rules.js';
import { nodeRules, type NodeRules } from '../cluster/node-rules.js';
import type { Cluster } from '../cluster/types.js';
import { CONTOUR_NAMESPACE } from '../cluster/versions.js';
import { EXIT, UsageError } from '../core/errors.js';
import type { Text } from '../core/i18n.js';
import type { Step } from '../engine/lab.js';
import { stepObjects, type ObjectRef } from '../engine/step-objects.js';
import { matchIngress, type IngressSpec } from '../ingress/route-match.js';
import { toolCommand } from '../platform/invocation.js';
import { packageRoot } from '../platform/paths.js';
import { formatCommand, shellQuote } from '../platform/command.js';
import { connectCluster, findLab, findStep, labsOf } from './session.js';
import type { CommandEnv, CommandRun } from './types.js';

/**
 * `explain <lab/step>`: what the cluster built for a step and where to look yourself — the Service's
 * EndpointSlices, kube-proxy's rules for it on each worker (filtered out of the node's dump), and for an Ingress
 * the rule each of the step's requests reaches, which Contour turns into an Envoy route. Every part comes with the
 * command that shows it.
 */

interface ServiceSpec {
  type?: string;
  externalTrafficPolicy?: string;
  ports?: { name?: string; port: number; protocol?: string; nodePort?: number; targetPort?: number | string }[];
}

interface SliceList {
  items: {
    metadata: { name: string };
    endpoints?: {
      addresses: string[];
      conditions?: { ready?: boolean };
      nodeName?: string;
      targetRef?: { name?: string };
    }[];
    ports?: { name?: string; port?: number }[];
  }[];
}

async function json<T>(cluster: Cluster, args: string[]): Promise<T | undefined> {
  const result = await cluster.kubectl(args, { timeoutMs: 20_000 });
  if (result.failed) return undefined;
  return JSON.parse(result.stdout) as T;
}

function heading(env: CommandEnv, text: Text | string): void {
  env.out.print(env.out.c.bold(env.out.t(text)));
}

function say(env: CommandEnv, text: Text | string, indent = '  '): void {
  env.out.print(indent + env.out.t(text));
}

function factText(fact: RuleFact): Text {
  switch (fact.kind) {
    case 'entry': {
      const at = fact.address ? `${fact.address}:${fact.port}` : `:${fact.port}`;
      return {
        ko: `${fact.via === 'nodePort' ? 'nodePort' : fact.via === 'cluster IP' ? 'ClusterIP' : '로드 밸런서 IP'} ${at} → ${fact.to}`,
        en: `${fact.via} ${at} → ${fact.to}`,
      };
    }
    case 'endpoint':
      return {
        ko: `${fact.from} → 엔드포인트 ${fact.endpoint}${fact.probability ? ` (확률 ${fact.probability})` : ''}`,
        en: `${fact.from} → endpoint ${fact.endpoint}${fact.probability ? ` (probability ${fact.probability})` : ''}`,
      };
    case 'local-endpoints':
      return fact.present
        ? {
            ko: 'Local: 이 노드에 파드가 있어 바깥 트래픽을 그 파드로 보냄',
            en: 'Local: this node has a pod, outside traffic goes to it',
          }
        : {
            ko: 'Local: 이 노드에는 파드가 없어 바깥 트래픽을 보낼 곳이 없음',
            en: 'Local: this node has no pod, outside traffic has nowhere to go',
          };
    case 'drop':
      return {
        ko: `DROP${fact.port ? ` (포트 ${fact.port})` : ''}: "${fact.reason}" — 답 없이 버림`,
        en: `DROP${fact.port ? ` (port ${fact.port})` : ''}: "${fact.reason}" — dropped without an answer`,
      };
    case 'reject':
      return {
        ko: `REJECT${fact.port ? ` (포트 ${fact.port})` : ''}: "${fact.reason}" — 곧바로 거부`,
        en: `REJECT${fact.port ? ` (port ${fact.port})` : ''}: "${fact.reason}" — refused at once`,
      };
  }
}

/** The dump command with a grep for the Service's names and chain hash, as a learner would type it. */
function grepLine(command: string, patterns: string[]): string {
  return `${command} | grep ${patterns.map((p) => `-e ${shellQuote(p)}`).join(' ')}`;
}

function printNode(env: CommandEnv, rules: NodeRules): void {
  const mode = rules.mode === 'unavailable' ? { ko: '볼 수 없음', en: 'not available' } : rules.mode;
  heading(env, {
    ko: `  ${rules.node}의 kube-proxy 규칙 (${typeof mode === 'string' ? mode : mode.ko})`,
    en: `  kube-proxy rules on ${rules.node} (${typeof mode === 'string' ? mode : mode.en})`,
  });
  if (rules.mode === 'unavailable') {
    for (const line of rules.commands) env.out.command(line);
    say(env, rules.reason, '    ');
    return;
  }
  for (const line of rules.commands) env.out.command(grepLine(line, rules.grep));
  for (const line of rules.lines) say(env, env.out.c.dim(line), '    ');
  if (rules.lines.length === 0) say(env, { ko: '이 Service의 규칙이 없음', en: 'no rules for this Service' }, '    ');
  for (const fact of rules.facts) say(env, `→ ${env.out.t(factText(fact))}`, '    ');
}

async function explainService(env: CommandEnv, cluster: Cluster, ref: ObjectRef, nodes: string[]): Promise<void> {
  const svc = await json<{ spec: ServiceSpec }>(cluster, [
    '-n',
    ref.namespace,
    'get',
    'service',
    ref.name,
    '-o',
    'json',
  ]);
  if (!svc) {
    heading(env, {
      ko: `Service ${ref.namespace}/${ref.name}: 아직 없음`,
      en: `Service ${ref.namespace}/${ref.name}: not there yet`,
    });
    env.out.command(cluster.kubectlLine(['-n', ref.namespace, 'get', 'service', ref.name]));
    return;
  }
  const { spec } = svc;
  const policy = spec.externalTrafficPolicy ? `, externalTrafficPolicy ${spec.externalTrafficPolicy}` : '';
  heading(env, `Service ${ref.namespace}/${ref.name}: ${spec.type ?? 'ClusterIP'}${policy}`);
  heading(env, { ko: '  EndpointSlice (Service가 고른 파드)', en: '  EndpointSlices (the pods the Service picked)' });
  const selector = `kubernetes.io/service-name=${ref.name}`;
  env.out.command(cluster.kubectlLine(['-n', ref.namespace, 'get', 'endpointslices', '-l', selector, '-o', 'yaml']));
  const slices = await json<SliceList>(cluster, [
    '-n',
    ref.namespace,
    'get',
    'endpointslices',
    '-l',
    selector,
    '-o',
    'json',
  ]);
  for (const slice of slices?.items ?? []) {
    const ports = (slice.ports ?? []).map((p) => p.port).join(',');
    for (const e of slice.endpoints ?? []) {
      const ready = e.conditions?.ready ? { ko: '준비됨', en: 'ready' } : { ko: '준비 안 됨', en: 'not ready' };
      say(
        env,
        {
          ko: `${slice.metadata.name}: ${e.addresses.join(',')}:${ports} ${ready.ko}, 파드 ${e.targetRef?.name ?? '?'}, 노드 ${e.nodeName ?? '?'}`,
          en: `${slice.metadata.name}: ${e.addresses.join(',')}:${ports} ${ready.en}, pod ${e.targetRef?.name ?? '?'} on ${e.nodeName ?? '?'}`,
        },
        '    ',
      );
    }
    if ((slice.endpoints ?? []).length === 0)
      say(env, { ko: `${slice.metadata.name}: 엔드포인트 없음`, en: `${slice.metadata.name}: no endpoints` }, '    ');
  }
  const refs = (spec.ports ?? []).map((p) => ({
    namespace: ref.namespace,
    name: ref.name,
    portName: p.name,
    protocol: p.protocol,
  }));
  for (const node of nodes) printNode(env, await nodeRules(env.deps.exec, node, refs, env.signal));
  if (refs[0])
    say(
      env,
      env.out.c.dim(
        env.out.t({
          ko: `(체인 이름의 해시 ${chainSuffix(refs[0])} = base32(sha256("${ref.namespace}/${ref.name}${refs[0].portName ? `:${refs[0].portName}` : ''}tcp")) 앞 16자)`,
          en: `(the chain hash ${chainSuffix(refs[0])} is the first 16 characters of base32(sha256("${ref.namespace}/${ref.name}${refs[0].portName ? `:${refs[0].portName}` : ''}tcp")))`,
        }),
      ),
    );
}

/** Host and path of each request the step's checks send, read from their specs (placeholders left unfilled). */
function requestsOf(step: Step): { host: string; path: string; url: string }[] {
  return step.checks.flatMap((c) => {
    const spec = c.spec as { url?: string; host?: string };
    if (!spec.url || !looksLikeHttpUrl(spec.url)) return [];
    const url = new URL(spec.url.replace(/\{\{\s*[A-Za-z0-9_.-]+\s*\}\}/g, '1'));
    const host = spec.host ?? url.hostname;
    return /^[\d.]+$/.test(host) ? [] : [{ host, path: url.pathname, url: spec.url }];
  });
}

async function explainIngress(env: CommandEnv, cluster: Cluster, ref: ObjectRef, step: Step): Promise<void> {
  heading(env, {
    ko: `Ingress ${ref.namespace}/${ref.name} (Contour가 규칙마다 Envoy 경로를 만듦)`,
    en: `Ingress ${ref.namespace}/${ref.name} (Contour makes an Envoy route of each rule)`,
  });
  env.out.command(cluster.kubectlLine(['-n', ref.namespace, 'get', 'ingress', ref.name, '-o', 'yaml']));
  const ing = await json<{ spec: IngressSpec }>(cluster, [
    '-n',
    ref.namespace,
    'get',
    'ingress',
    ref.name,
    '-o',
    'json',
  ]);
  if (!ing) {
    say(env, { ko: '아직 없음', en: 'not there yet' });
    return;
  }
  for (const request of requestsOf(step)) {
    const match = matchIngress(ing.spec, request.host, request.path);
    const what = `${request.host}${request.path}`;
    say(
      env,
      match
        ? {
            ko: `${what} → 규칙 ${match.host ?? '*'} ${match.path} (${match.pathType}) → Service ${match.backend.service}:${match.backend.port}`,
            en: `${what} → rule ${match.host ?? '*'} ${match.path} (${match.pathType}) → Service ${match.backend.service}:${match.backend.port}`,
          }
        : { ko: `${what} → 맞는 규칙 없음: Envoy가 404로 답함`, en: `${what} → no rule matches: Envoy answers 404` },
    );
  }
  // Contour v1.33.6 gives Envoy a read-only admin listener on 127.0.0.1:9001 inside the pod (AdminListener in
  // internal/envoy/v3/stats.go, port from internal/contourconfig/contourconfiguration.go): GET of exact paths such as
  // /config_dump (Envoy matches a route's path without the query). Its pods carry app=envoy (examples/render/contour.yaml).
  say(env, { ko: 'Envoy가 실제로 가진 경로표:', en: "Envoy's own route table:" });
  env.out.command(
    `ENVOY_POD=$(${cluster.kubectlLine(['-n', CONTOUR_NAMESPACE, 'get', 'pod', '-l', 'app=envoy', '-o', 'name'])} | head -1)`,
  );
  env.out.command(`${cluster.kubectlLine(['-n', CONTOUR_NAMESPACE, 'port-forward'])} "$ENVOY_POD" 9001`);
  env.out.command(
    formatCommand({ file: 'curl', args: ['-s', 'http://127.0.0.1:9001/config_dump?resource=dynamic_route_configs'] }),
  );
}

async function workerNodes(cluster: Cluster): Promise<string[]> {
  const list = await json<{ items: { metadata: { name: string; labels?: Record<string, string> } }[] }>(cluster, [
    'get',
    'nodes',
    '-o',
    'json',
  ]);
  return (list?.items ?? [])
    .filter((n) => n.metadata.labels?.['node-role.kubernetes.io/control-plane'] === undefined)
    .map((n) => n.metadata.name);
}

export const run: CommandRun = async (env, { args }) => {
  const target = args[0];
  if (!target || !target.includes('/'))
    throw new UsageError({
      ko: `실습/단계를 주세요: ${toolCommand('explain nodeport/create-service')}`,
      en: `Give a lab/step: ${toolCommand('explain nodeport/create-service')}`,
    });
  const [labName, stepName] = target.split('/') as [string, string];
  const lab = findLab(await labsOf(), labName);
  const step = findStep(lab, stepName);
  const cluster = await connectCluster(env);
  env.out.print(env.out.c.bold(`${lab.id}/${step.id} — ${env.out.t(step.title)}`));
  const { services, ingresses } = await stepObjects(packageRoot(), lab, step);
  const nodes = await workerNodes(cluster);
  heading(env, { ko: '노드', en: 'Nodes' });
  env.out.command(cluster.kubectlLine(['get', 'nodes', '-o', 'wide']));
  say(env, nodes.join(', '));
  for (const ingress of ingresses) await explainIngress(env, cluster, ingress, step);
  for (const service of services) await explainService(env, cluster, service, nodes);
  return EXIT.ok;
};
