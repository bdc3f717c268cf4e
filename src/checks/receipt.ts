import type { Cluster, HostPorts } from '../cluster/types.js';
import { NODE_PORTS } from '../cluster/types.js';
import { InterruptedError } from '../core/errors.js';
import type { Text } from '../core/i18n.js';
import { isLoopback, joinHostPort, normalizeAddress } from './address.js';
import type { Attempt } from './attempt.js';
import type { Failure } from './failure.js';
import { headerValue } from './http-parser.js';
import type { CertificateInfo } from './peer-certificate.js';

/**
 * The layers a request can cross, in the order it crosses them. `address` is a node or LoadBalancer address
 * reached directly (the client cannot tell which one it is; the lab's path says).
 */
export const LAYERS = [
  'client',
  'port-mapping',
  'address',
  'load-balancer',
  'node',
  'ingress',
  'kube-proxy',
  'service',
  'pod',
] as const;
export type Layer = (typeof LAYERS)[number];

/** What happened at a layer: went through, answered, or one of the ways traffic stops. */
export type HopOutcome =
  | 'through'
  | 'answered'
  | 'refused'
  | 'dropped'
  | 'reset'
  | 'tls'
  /** A certificate came back, but not the one the step wants. */
  | 'mismatch'
  | 'http'
  | 'not-sent';

export interface Hop {
  layer: Layer;
  outcome: HopOutcome;
  /** `127.0.0.1:30000`, a node name, a pod name. */
  at?: string;
  note?: Text;
  /** The HTTP status answered at this hop. */
  status?: number;
  /** Not seen from the client: what it was worked out from. Absent means observed. */
  inferredFrom?: Text;
}

/** What a network check saw of its traffic's path, as far as it can be seen. Observations only. */
export interface Receipt {
  vantage: 'host' | 'network';
  /** The address and port the client connected (or tried to connect) to. */
  target?: string;
  hops: Hop[];
  /** The pod that answered, and its node when the API could say. */
  pod?: { name: string; node?: string; ip?: string };
  /** The client address the pod saw (whoami's RemoteAddr). */
  clientSeen?: string;
}

/** The hop where traffic stopped, if it did not reach an answer. */
export function stoppedHop(receipt: Receipt): Hop | undefined {
  return receipt.hops.find((h) => h.outcome !== 'through' && h.outcome !== 'answered');
}

/**
 * Where a host port on 127.0.0.1 leads: kind's extraPortMappings of fixtures/kind/cluster.yaml (node "a" is
 * `<cluster>-worker`, node "b" `<cluster>-worker2`, kind's naming in pkg/cluster/internal/create/actions/config).
 */
export function portMappingTarget(
  cluster: Pick<Cluster, 'name' | 'ports'>,
  port: number,
): { node: string; port: number } | undefined {
  const a = `${cluster.name}-worker`;
  const b = `${cluster.name}-worker2`;
  const map: [keyof HostPorts, string, number][] = [
    ['http', a, 80],
    ['https', a, 443],
    ['nodePort', a, NODE_PORTS.nodePortLab],
    ['workerA', a, NODE_PORTS.trafficPolicyLab],
    ['workerB', b, NODE_PORTS.trafficPolicyLab],
  ];
  const found = map.find(([key]) => cluster.ports[key] === port);
  return found ? { node: found[1], port: found[2] } : undefined;
}

const INFERRED = {
  mapping: { ko: 'kind 포트 매핑 설정', en: "kind's port mapping settings" },
  silence: { ko: '연결된 뒤 아무 응답 없음', en: 'connected, then silence' },
  closed: { ko: '연결된 뒤 한 바이트도 없이 닫힘', en: 'connected, then closed without a byte' },
  synLost: { ko: '연결 시도에 아무 응답 없음', en: 'no answer to the connection attempt' },
  refusal: { ko: '연결 거부 (RST)', en: 'the refusal (RST)' },
} as const;

type Entry =
  | { kind: 'mapped'; at: string; node: string; port: number }
  | { kind: 'unmapped'; at: string }
  | { kind: 'address'; at: string };

function entryOf(cluster: Pick<Cluster, 'name' | 'ports'>, address: string, port: number): Entry {
  const at = joinHostPort(address, port);
  // kind's mappings listen on 127.0.0.1 only (listenAddress in fixtures/kind/cluster.yaml); other loopback
  // addresses are the cluster double's node and load balancer addresses.
  if (normalizeAddress(address) !== '127.0.0.1') return { kind: 'address', at };
  const target = portMappingTarget(cluster, port);
  return target ? { kind: 'mapped', at, ...target } : { kind: 'unmapped', at };
}

/** The entry hops when the connection went through them. */
function entryHops(entry: Entry): Hop[] {
  if (entry.kind === 'address') return [{ layer: 'address', outcome: 'through', at: entry.at }];
  const mapping: Hop = { layer: 'port-mapping', outcome: 'through', at: entry.at };
  if (entry.kind === 'unmapped') return [mapping];
  const node = `${entry.node}:${entry.port}`;
  return [
    { ...mapping, note: { ko: 'docker-proxy가 받음', en: 'docker-proxy accepted' } },
    { layer: 'node', outcome: 'through', at: node, inferredFrom: INFERRED.mapping },
  ];
}

/** Hops of a request that got no HTTP answer: the entry as far as it went, then where it stopped. */
function failedHops(entry: Entry, failure: Failure): Hop[] {
  const connected = failure.phase !== 'connect' && failure.phase !== 'resolve';
  const first = (outcome: HopOutcome, note: Text, inferredFrom?: Text): Hop[] => [
    { layer: entry.kind === 'address' ? 'address' : 'port-mapping', outcome, at: entry.at, note, inferredFrom },
  ];
  switch (failure.kind) {
    case 'refused':
      if (entry.kind === 'unmapped') return first('refused', { ko: '포트 매핑 없음', en: 'no port mapping' });
      if (entry.kind === 'mapped')
        return first('refused', {
          ko: '매핑된 포트가 거부함: 클러스터가 꺼져 있음?',
          en: 'the mapped port refused: is the cluster down?',
        });
      return first(
        'refused',
        {
          ko: '이 포트를 받는 것이 없거나, kube-proxy가 거부 (엔드포인트 없음)',
          en: 'nothing listens here, or kube-proxy rejects (no endpoints)',
        },
        INFERRED.refusal,
      );
    case 'reset':
      if (!connected && entry.kind !== 'mapped')
        return first('reset', { ko: '응답 없이 닫힘', en: 'closed without an answer' });
      if (entry.kind === 'mapped')
        return [
          entryHops(entry)[0]!,
          {
            layer: 'node',
            outcome: 'reset',
            at: `${entry.node}:${entry.port}`,
            note: {
              ko: 'docker-proxy가 받고 닫음: 노드의 이 포트를 받는 것이 없음',
              en: "docker-proxy accepted and closed: nothing listens on the node's port",
            },
            inferredFrom: INFERRED.closed,
          },
        ];
      return [
        ...entryHops(entry),
        {
          layer: 'kube-proxy',
          outcome: 'reset',
          note: { ko: '응답 없이 닫힘', en: 'closed without an answer' },
          inferredFrom: INFERRED.closed,
        },
      ];
    case 'dropped': {
      const silent = connected || entry.kind !== 'address';
      const through = entryHops(entry).map((h) => (silent ? h : { ...h, inferredFrom: INFERRED.synLost }));
      return [
        ...through,
        {
          layer: 'kube-proxy',
          outcome: 'dropped',
          note: {
            ko: 'kube-proxy에서 버려짐 (이 노드에 Pod 없음, externalTrafficPolicy: Local) 또는 방화벽',
            en: 'dropped at kube-proxy (no local pod, externalTrafficPolicy: Local) or a firewall',
          },
          inferredFrom: silent ? INFERRED.silence : INFERRED.synLost,
        },
      ];
    }
    case 'tls':
      return [
        ...entryHops(entry),
        {
          layer: 'ingress',
          outcome: 'tls',
          note:
            failure.phase === 'verify'
              ? { ko: '인증서를 신뢰할 수 없음', en: 'certificate not trusted' }
              : {
                  ko: 'TLS handshake 실패: 이 이름(SNI)용 인증서 없음',
                  en: 'TLS handshake failed: no certificate for this name (SNI)',
                },
        },
      ];
    case 'unreachable':
      return first('dropped', { ko: '이 주소로 가는 경로 없음', en: 'no route to this address' });
    case 'protocol':
      return [
        ...entryHops(entry),
        { layer: 'ingress', outcome: 'http', note: { ko: 'HTTP 응답이 아님', en: 'not an HTTP answer' } },
      ];
    default:
      return first('not-sent', { ko: failure.detail, en: failure.detail });
  }
}

/** A request that was never sent (the name is outside the lab, no hosts entry, not a URL). */
export function notSentReceipt(failure: Failure, vantage: Receipt['vantage'] = 'host'): Receipt {
  return {
    vantage,
    hops: [{ layer: 'client', outcome: 'not-sent', note: { ko: failure.detail, en: failure.detail } }],
  };
}

function ingressNote(status: number, body: string, server: string | undefined): Text {
  const empty = body.length === 0;
  const who = server ? ` (server: ${server})` : '';
  return {
    ko: `HTTP ${status}${empty ? ', 빈 본문' : `: ${body.trim().slice(0, 40)}`}${who}`,
    en: `HTTP ${status}${empty ? ', empty body' : `: ${body.trim().slice(0, 40)}`}${who}`,
  };
}

/** One attempt (the first of a series, or the one that stopped) → its receipt. */
export function attemptReceipt(
  cluster: Pick<Cluster, 'name' | 'ports'>,
  endpoint: { address: string; port: number },
  vantage: Receipt['vantage'],
  attempt: Attempt,
): Receipt {
  const target = joinHostPort(endpoint.address, endpoint.port);
  const client: Hop = { layer: 'client', outcome: 'through' };
  const entry = entryOf(cluster, endpoint.address, endpoint.port);
  if (!attempt.ok) return { vantage, target, hops: [client, ...failedHops(entry, attempt.failure)] };
  client.at = joinHostPort(attempt.local.address, attempt.local.port);
  const { response, whoami } = attempt;
  if (!whoami) {
    return {
      vantage,
      target,
      hops: [
        client,
        ...entryHops(entry),
        {
          layer: 'ingress',
          outcome: response.status >= 400 ? 'http' : 'answered',
          status: response.status,
          note: ingressNote(response.status, response.body, headerValue(response, 'server')),
        },
      ],
    };
  }
  return {
    vantage,
    target,
    hops: [
      client,
      ...entryHops(entry),
      {
        layer: 'pod',
        outcome: 'answered',
        status: response.status,
        at: whoami.hostname,
        note: { ko: `HTTP ${response.status}`, en: `HTTP ${response.status}` },
      },
    ],
    pod: { name: whoami.hostname, ip: whoami.ips.find((ip) => !isLoopback(ip)) },
    clientSeen: whoami.remoteAddress,
  };
}

/** A TLS handshake (the tls check): the certificate presented is the answer. */
export function certificateReceipt(
  cluster: Pick<Cluster, 'name' | 'ports'>,
  endpoint: { address: string; port: number },
  vantage: Receipt['vantage'],
  certificate: CertificateInfo,
  /** What differs from the certificate the step wants (a TLS mismatch): the hop is then where it stopped. */
  mismatch?: Text,
): Receipt {
  return {
    vantage,
    target: joinHostPort(endpoint.address, endpoint.port),
    hops: [
      { layer: 'client', outcome: 'through' },
      ...entryHops(entryOf(cluster, endpoint.address, endpoint.port)),
      {
        layer: 'ingress',
        outcome: mismatch ? 'mismatch' : 'answered',
        note: {
          ko: `인증서 ${certificate.subject}${mismatch ? ` — ${mismatch.ko}` : ''}`,
          en: `certificate ${certificate.subject}${mismatch ? ` — ${mismatch.en}` : ''}`,
        },
      },
    ],
  };
}

/** A bare TCP connect (the refused check): accepted or the failure. */
export function connectReceipt(
  cluster: Pick<Cluster, 'name' | 'ports'>,
  endpoint: { address: string; port: number },
  vantage: Receipt['vantage'],
  failure: Failure | undefined,
): Receipt {
  const entry = entryOf(cluster, endpoint.address, endpoint.port);
  const after = failure ? failedHops(entry, failure) : entryHops(entry);
  return { vantage, target: entry.at, hops: [{ layer: 'client', outcome: 'through' }, ...after] };
}

/**
 * The node of the pod that answered, from the API (`kubectl get pod NAME -o json`, spec.nodeName). Best effort:
 * a receipt without the node is still a receipt.
 */
export async function withPodNode(receipt: Receipt, cluster: Pick<Cluster, 'kubectl'>): Promise<Receipt> {
  if (!receipt.pod) return receipt;
  try {
    const result = await cluster.kubectl(['get', 'pod', receipt.pod.name, '-o', 'json'], { timeoutMs: 5000 });
    if (result.failed) return receipt;
    const node = (JSON.parse(result.stdout) as { spec?: { nodeName?: string } }).spec?.nodeName;
    if (!node) return receipt;
    const pod = { ...receipt.pod, node };
    const hops = receipt.hops.map((h) => (h.layer === 'pod' ? { ...h, at: `${pod.name} @ ${node}` } : h));
    return { ...receipt, pod, hops };
  } catch (error) {
    if (error instanceof InterruptedError) throw error;
    return receipt;
  }
}

const OUTCOME_WORDS: Record<HopOutcome, Text> = {
  through: { ko: '지나감', en: 'through' },
  answered: { ko: '응답', en: 'answered' },
  refused: { ko: '거부', en: 'refused' },
  dropped: { ko: '버려짐', en: 'dropped' },
  reset: { ko: '끊김', en: 'closed' },
  tls: { ko: 'TLS 실패', en: 'TLS failed' },
  mismatch: { ko: '다른 인증서', en: 'another certificate' },
  http: { ko: 'HTTP 오류', en: 'HTTP error' },
  'not-sent': { ko: '보내지 않음', en: 'not sent' },
};

/** One line for reports: `client through → port-mapping 127.0.0.1:30082 through → kube-proxy dropped (inferred)`. */
export function receiptLine(receipt: Receipt, lang: 'ko' | 'en'): string {
  const inferred = lang === 'ko' ? '추정' : 'inferred';
  return receipt.hops
    .map((h) => {
      const parts = [h.layer, h.at, OUTCOME_WORDS[h.outcome][lang]].filter(Boolean).join(' ');
      const note = h.note && h.outcome !== 'through' && h.outcome !== 'answered' ? `: ${h.note[lang]}` : '';
      return `${parts}${h.inferredFrom ? ` (${inferred})` : ''}${note}`;
    })
    .join(' → ');
}
