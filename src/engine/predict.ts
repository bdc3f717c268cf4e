import { stoppedHop } from '../checks/receipt.js';
import type { CheckResult } from '../checks/types.js';
import { podBelongsTo } from '../checks/whoami.js';
import type { Text } from '../core/i18n.js';
import type { LabCheck, Step } from './lab.js';

/** What a learner can predict, and what the real packets can turn out to be. */
export type Outcome =
  | 'answered'
  | 'other-app'
  | 'refused'
  | 'dropped'
  | 'reset'
  | 'http-404'
  | 'http-5xx'
  | 'spread'
  | 'same-pod'
  | 'kept'
  | 'rewritten'
  | 'cert-ok'
  | 'cert-other'
  | 'tls-fail';

export interface PredictionMenu {
  /** Position of the check in the step, and the check the prediction is about. */
  index: number;
  check: LabCheck;
  choices: { value: Outcome; name: Text }[];
}

const NAMES: Record<Outcome, (pod?: string) => Text> = {
  answered: (pod) =>
    pod ? { ko: `${pod} 파드가 응답한다`, en: `a ${pod} pod answers` } : { ko: '파드가 응답한다', en: 'a pod answers' },
  'other-app': () => ({ ko: '다른 앱의 파드가 응답한다', en: "another app's pod answers" }),
  refused: () => ({ ko: '곧바로 연결이 거부된다', en: 'the connection is refused at once' }),
  dropped: () => ({ ko: '아무 응답 없이 기다리다 끝난다 (버려짐)', en: 'no answer ever comes (dropped)' }),
  reset: () => ({ ko: '연결된 뒤 응답 없이 끊긴다', en: 'it connects, then closes without an answer' }),
  'http-404': () => ({ ko: 'Envoy가 빈 본문으로 404를 답한다', en: 'Envoy answers 404 with an empty body' }),
  'http-5xx': () => ({ ko: 'Envoy가 5xx 오류로 답한다', en: 'Envoy answers with a 5xx error' }),
  spread: () => ({ ko: '여러 파드가 나눠서 응답한다', en: 'several pods share the answers' }),
  'same-pod': () => ({ ko: '매번 같은 파드가 응답한다', en: 'the same pod answers every time' }),
  kept: () => ({ ko: '파드가 내 주소를 그대로 본다', en: 'the pod sees my own address' }),
  rewritten: () => ({ ko: '파드가 다른 주소(노드 쪽)를 본다', en: "the pod sees another (the node's) address" }),
  'cert-ok': () => ({ ko: '이 이름용 인증서가 온다', en: 'the certificate made for this name comes back' }),
  'cert-other': () => ({ ko: '다른 인증서가 온다', en: 'another certificate comes back' }),
  'tls-fail': () => ({ ko: 'TLS handshake가 실패한다', en: 'the TLS handshake fails' }),
};

/** Why the real outcome is what it is: the sentence a wrong prediction gets. */
export const WHY: Record<Outcome, Text> = {
  answered: {
    ko: '파드가 응답했습니다: 들어온 길에서 Service(또는 규칙)에 준비된 엔드포인트가 있었습니다.',
    en: 'A pod answered: the Service (or rule) had a ready endpoint on the way you came in.',
  },
  'other-app': {
    ko: '다른 앱이 응답했습니다: 규칙이나 Service가 다른 파드를 가리킵니다.',
    en: 'Another app answered: the rule or the Service points at other pods.',
  },
  refused: {
    ko: '곧바로 거부되었습니다: 그 주소와 포트에서 기다리는 것이 없었습니다 (포트 매핑도 nodePort도 없음). 커널이 RST로 바로 답합니다.',
    en: 'Refused at once: nothing waited on that address and port (no port mapping, no nodePort), so the kernel answered with a reset straight away.',
  },
  dropped: {
    ko: '거부가 아니라 침묵입니다: 연결은 들어갔지만, 로컬 파드가 없는 노드에서 kube-proxy가 버렸습니다 (externalTrafficPolicy: Local). 버려지면 클라이언트는 시간 초과까지 기다립니다.',
    en: 'Silence, not a refusal: the connection got in, but kube-proxy dropped it on a node with no local pod (externalTrafficPolicy: Local). A drop makes the client wait until it times out.',
  },
  reset: {
    ko: '받고 나서 닫혔습니다: Docker의 포트 프록시가 연결을 받았지만 노드 안에서 그 포트를 받는 것이 없었습니다.',
    en: "Accepted, then closed: Docker's port proxy took the connection, but nothing listened behind it on the node.",
  },
  'http-404': {
    ko: 'Envoy가 빈 본문으로 404를 답했습니다: 이 호스트와 경로에 맞는 Ingress 규칙이 없어 파드에게는 묻지도 않았습니다.',
    en: 'Envoy answered 404 with an empty body: no Ingress rule matches this host and path, so no pod was asked.',
  },
  // 500: cloud-provider-kind v0.11.1 answers a rule whose Service is missing with a direct response
  // (pkg/gateway/httproute.go@v0.11.1, translateHTTPRouteToEnvoyRoutes); Contour's Envoy gives 503 with no ready endpoint.
  'http-5xx': {
    ko: 'Envoy는 답했지만 규칙 뒤에 답할 곳이 없었습니다: 준비된 파드가 없거나(503), Gateway 라우트가 가리킨 서비스가 없습니다(500).',
    en: 'Envoy answered, but nothing could answer behind the rule: no ready pod (503), or no Service where a Gateway route points (500).',
  },
  spread: {
    ko: '여러 파드가 답했습니다: 새 연결마다 다시 고릅니다 (Service는 연결마다, Ingress는 요청마다).',
    en: 'Several pods answered: every new connection is balanced anew (per connection for a Service, per request for an ingress).',
  },
  'same-pod': {
    ko: '매번 같은 파드가 답했습니다: keep-alive 연결 하나는 한 번만 골라지고 그 파드에 머뭅니다 (또는 답할 수 있는 파드가 하나뿐이었습니다).',
    en: 'One pod answered every time: a keep-alive connection is balanced once and stays on its pod (or only one pod could answer).',
  },
  kept: {
    ko: '파드가 클라이언트 주소를 그대로 봤습니다: externalTrafficPolicy: Local 에서는 노드가 SNAT 없이 로컬 파드에게 넘깁니다.',
    en: 'The pod saw the client address: with externalTrafficPolicy: Local the node hands the packet to a local pod without SNAT.',
  },
  rewritten: {
    ko: '파드가 다른 주소를 봤습니다: Cluster 에서는 응답이 같은 노드로 돌아오도록 노드가 출발지를 바꿉니다 (SNAT).',
    en: 'The pod saw another address: with Cluster the node rewrites the source (SNAT), so the answer comes back through it.',
  },
  'cert-ok': {
    ko: '이 이름용 인증서가 왔습니다: ingress는 보낸 이름(SNI)으로 인증서를 고릅니다.',
    en: 'The certificate for this name came back: the ingress picks it by the name sent (SNI).',
  },
  'cert-other': {
    ko: '다른 인증서가 왔습니다: Secret이나 Ingress의 spec.tls가 이 이름과 맞지 않습니다.',
    en: "Another certificate came back: the Secret or the Ingress's spec.tls does not match this name.",
  },
  'tls-fail': {
    ko: 'handshake가 실패했습니다: ingress에 이 이름(SNI)용 인증서가 없고, 대신 내줄 기본 인증서도 없습니다.',
    en: 'The handshake failed: the ingress has no certificate for this name (SNI), and no fallback.',
  },
};

/** Which network check a step's prediction is about: the one whose lesson is the most surprising. */
const PRIORITY = ['dropped', 'refused', 'source-ip', 'sticky', 'spread', 'tls', 'http'];

function choicesFor(check: LabCheck): Outcome[] {
  const spec = check.spec as { status?: number | number[]; pod?: string };
  switch (check.name) {
    case 'refused':
    case 'dropped':
      return ['refused', 'dropped', 'answered'];
    case 'spread':
      return ['spread', 'same-pod'];
    case 'sticky':
      return ['same-pod', 'spread'];
    case 'source-ip':
      return ['kept', 'rewritten'];
    case 'tls':
      return ['cert-ok', 'cert-other', 'tls-fail'];
    default:
      if ([spec.status].flat().includes(404)) return ['http-404', 'answered', 'refused'];
      return spec.pod ? ['answered', 'other-app', 'refused', 'dropped'] : ['answered', 'refused', 'dropped'];
  }
}

/** The menu before a step's checks, or none when the step sends no traffic. */
export function predictionMenu(step: Step): PredictionMenu | undefined {
  let best: { index: number; check: LabCheck; rank: number } | undefined;
  step.checks.forEach((check, index) => {
    const rank = PRIORITY.indexOf(check.name);
    if (!check.def.network || rank < 0) return;
    if (!best || rank < best.rank || (rank === best.rank && check.name === 'http')) best = { index, check, rank };
  });
  if (!best) return undefined;
  const pod = (best.check.spec as { pod?: string }).pod;
  return {
    index: best.index,
    check: best.check,
    choices: choicesFor(best.check).map((value) => ({ value, name: NAMES[value](pod) })),
  };
}

/** What the real packets did, in the menu's terms; undefined when the check could not even try. */
export function actualOutcome(check: LabCheck, result: CheckResult): Outcome | undefined {
  const receipt = result.receipt;
  if (!receipt || result.verdict === 'broken') return undefined;
  const stop = stoppedHop(receipt);
  if (stop) {
    if (stop.outcome === 'refused' || stop.outcome === 'dropped' || stop.outcome === 'reset') return stop.outcome;
    if (stop.outcome === 'mismatch') return 'cert-other';
    if (stop.outcome === 'tls') return 'tls-fail';
    if (stop.outcome === 'http') return stop.status === 404 ? 'http-404' : 'http-5xx';
    return undefined;
  }
  const spec = check.spec as { pod?: string; expect?: 'kept' | 'rewritten' };
  switch (check.name) {
    case 'source-ip':
      if (result.verdict === 'pass') return spec.expect;
      return result.verdict === 'wrong' ? (spec.expect === 'kept' ? 'rewritten' : 'kept') : undefined;
    case 'spread':
    case 'sticky':
      return new Set(result.pods ?? []).size > 1 ? 'spread' : 'same-pod';
    case 'tls':
      return 'cert-ok';
    default:
      if (receipt.pod && spec.pod && !podBelongsTo(receipt.pod.name, spec.pod)) return 'other-app';
      return 'answered';
  }
}

export interface Graded {
  predicted: Outcome;
  actual?: Outcome;
  correct: boolean;
  /** For a wrong prediction: why the packets did what they did. */
  why?: Text;
}

export function gradePrediction(predicted: Outcome, check: LabCheck, result: CheckResult): Graded {
  const actual = actualOutcome(check, result);
  const correct = actual === predicted;
  return { predicted, actual, correct, ...(correct || !actual ? {} : { why: WHY[actual] }) };
}

export function outcomeName(outcome: Outcome, check: LabCheck): Text {
  return NAMES[outcome]((check.spec as { pod?: string }).pod);
}
