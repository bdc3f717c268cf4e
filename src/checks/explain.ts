import type { Text } from '../core/i18n.js';
import type { Answer } from './attempt.js';
import type { Failure } from './failure.js';
import type { Verdict } from './types.js';
import { toolCommand } from '../platform/invocation.js';

/** Short name of a failure, as the learner reads it in "observed". */
export function failureLabel(failure: Failure): Text {
  switch (failure.kind) {
    case 'refused':
      return { ko: '연결 거부', en: 'connection refused' };
    case 'dropped':
      if (failure.phase === 'connect')
        return { ko: '연결 시도에 응답 없음 (패킷이 버려짐)', en: 'no answer to the connection attempt (dropped)' };
      if (failure.phase === 'handshake')
        return { ko: '연결은 되었으나 TLS 응답 없음', en: 'connected, but no TLS answer' };
      return { ko: '연결은 되었으나 응답 없음', en: 'connected, but no answer' };
    case 'reset':
      return { ko: '응답 없이 연결이 끊김', en: 'connection closed without an answer' };
    case 'tls':
      return failure.phase === 'verify'
        ? { ko: '인증서를 신뢰할 수 없음', en: 'certificate not trusted' }
        : { ko: 'TLS handshake 실패', en: 'TLS handshake failed' };
    case 'dns':
      return { ko: '이름을 찾을 수 없음', en: 'the name does not resolve' };
    case 'not-lab':
      return { ko: '이름이 실습 환경 밖을 가리킴', en: 'the name points outside the lab' };
    case 'unreachable':
      return { ko: '이 주소로 가는 경로 없음', en: 'no route to this address' };
    case 'protocol':
      return { ko: 'HTTP 응답이 아님 (또는 중간에 끊김)', en: 'not an HTTP answer (or cut short)' };
    case 'error':
      return { ko: '요청 실패', en: 'request failed' };
  }
}

export function observedFailure(failure: Failure, where: string): Text {
  const label = failureLabel(failure);
  return { ko: `${where}: ${label.ko} — ${failure.detail}`, en: `${where}: ${label.en} — ${failure.detail}` };
}

export interface CauseHints {
  /** The port is one of the cluster's host port mappings on loopback. */
  mappedPort?: boolean;
  /** A TLS handshake on the same address and port was answered (probe tries one after a silent close). */
  speaksTls?: boolean;
}

/** OpenSSL's errors when the bytes that came back to a TLS hello are not TLS (a plain-HTTP server answering). */
const PLAINTEXT_REPLY = /WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|HTTP_REQUEST|wrong version number/i;
/** The peer hung up mid-handshake: our client's words, or curl's (OpenSSL's SSL_ERROR_SYSCALL / unexpected eof). */
const CLOSED_IN_HANDSHAKE =
  /closed the connection during the TLS handshake|SSL_ERROR_SYSCALL|unexpected eof|ECONNRESET/i;

/** The likely reason behind a failure, in the lab's terms. */
export function failureCause(failure: Failure, hints: CauseHints = {}): Text {
  switch (failure.kind) {
    case 'refused':
      return hints.mappedPort
        ? {
            ko: '이 포트는 kind가 노드로 이어 두었지만 노드 안에서 이 포트를 받는 것이 없습니다: 이 nodePort를 쓰는 Service가 아직 없거나, Ingress 컨트롤러가 준비되지 않았습니다.',
            en: 'This port is mapped into a kind node, but nothing listens behind it there: no Service uses this nodePort yet, or the ingress controller is not ready.',
          }
        : {
            ko: '이 주소와 포트에서 연결을 받는 것이 없습니다.',
            en: 'Nothing accepts connections on this address and port.',
          };
    case 'dropped':
      return failure.phase === 'connect'
        ? {
            ko: '연결 요청이 소리 없이 버려집니다: externalTrafficPolicy: Local 인 Service에서 Pod가 없는 노드로 들어왔거나, 방화벽이 막고 있습니다.',
            en: 'The connection attempt is silently dropped: it reached a node without a local pod of an externalTrafficPolicy: Local Service, or a firewall drops it.',
          }
        : {
            ko: '앞단(프록시나 노드)이 연결은 받았지만 뒤의 Pod에서 답이 오지 않습니다: 이 노드에 Pod가 없거나 Pod가 응답하지 않습니다.',
            en: 'Something in front (a proxy or the node) accepted the connection, but no pod behind it answers: no pod on that node, or the pod does not respond.',
          };
    case 'reset':
      if (hints.speaksTls)
        return {
          ko: '이 포트는 TLS를 씁니다: 평문 HTTP 요청은 답 없이 닫혔고, 같은 포트에 TLS로 연결하자 서버가 답했습니다. https:// 로 보내세요.',
          en: 'This port speaks TLS: the plain-HTTP request was closed without an answer, and a TLS hello on the same port was answered. Use https://.',
        };
      return hints.mappedPort
        ? {
            ko: '이 포트는 kind가 노드로 이어 두었고 Docker가 연결을 받았지만, 노드 안에서 이 포트를 받는 것이 없어 바로 닫혔습니다: 이 nodePort를 쓰는 Service가 아직 없거나, Ingress 컨트롤러가 준비되지 않았습니다.',
            en: "This port is mapped into a kind node and Docker's port proxy took the connection, but nothing listens behind it, so it was closed: no Service uses this nodePort yet, or the ingress controller is not ready.",
          }
        : {
            ko: '서버가 연결을 받고 한 바이트도 답하지 않고 닫았습니다. 보낼 곳(준비된 Pod)이 없는 프록시가 그렇게 하고, TLS 포트에 평문 HTTP를 보내도 그렇습니다.',
            en: 'The server took the connection and closed it without a byte of answer. A proxy with nowhere (no ready pod) to send it does that; so does a TLS port sent plain HTTP.',
          };
    case 'tls':
      if (failure.phase === 'verify')
        return {
          ko: '서버 인증서를 신뢰할 수 없습니다 (자체 서명이거나 다른 이름용). 실습의 자체 서명 인증서는 insecure (curl -k)로 확인합니다.',
          en: "The server's certificate is not trusted (self-signed, or made for another name). The lab's self-signed certificate is checked with insecure (curl -k).",
        };
      if (PLAINTEXT_REPLY.test(failure.detail))
        return {
          ko: 'TLS 인사에 돌아온 것이 TLS가 아닙니다: 이 포트는 평문 HTTP를 씁니다. http:// 로 보내거나 HTTPS 포트(--https-port)로 보내세요.',
          en: 'What came back to the TLS hello is not TLS: this port speaks plain HTTP. Use http://, or the HTTPS port (--https-port).',
        };
      if (CLOSED_IN_HANDSHAKE.test(failure.detail))
        return {
          ko: '서버가 인증서를 보이지 않고 TLS 인사 중에 연결을 닫았습니다: 이 이름(SNI)용 인증서가 없습니다 (no certificate for this name). Envoy는 Ingress에 이 이름의 spec.tls가 없거나 TLS Secret이 없을 때 이렇게 합니다.',
          en: 'The server closed the connection during the TLS hello without showing a certificate: it has no certificate for this name (SNI). Envoy does this when no Ingress has spec.tls for the name, or its TLS Secret is missing.',
        };
      return {
        ko: `TLS 인사가 실패했습니다 (${failure.detail}).`,
        en: `The TLS handshake failed (${failure.detail}).`,
      };
    case 'dns':
      return {
        ko: `이 이름을 찾을 수 없습니다: hosts 파일에 항목이 없습니다 (\`${toolCommand()} hosts add 이름\`).`,
        en: `The name does not resolve: there is no hosts entry for it (\`${toolCommand()} hosts add NAME\`).`,
      };
    case 'not-lab':
      return {
        ko: '이 이름은 아직 실습 환경을 가리키지 않습니다: hosts 항목을 추가하세요. 다른 사람의 서버로는 요청을 보내지 않습니다.',
        en: "The name does not point at the lab yet: add the hosts entry. No request is sent to somebody else's server.",
      };
    case 'unreachable':
      return {
        ko: '여기서 이 주소로 가는 경로가 없습니다: 노드 네트워크에 닿지 않습니다 (Docker Desktop이라면 from: network 검사가 필요합니다).',
        en: 'There is no route to this address from here: the node network is not reachable (on Docker Desktop such checks need from: network).',
      };
    case 'protocol':
      return {
        ko: '이 포트에서 답한 것은 HTTP 서버가 아니거나 응답이 중간에 끊겼습니다.',
        en: 'What answered on this port is not an HTTP server, or its answer stopped half-way.',
      };
    case 'error':
      return {
        ko: `요청을 보낼 수 없었습니다: ${failure.detail}`,
        en: `The request could not be made: ${failure.detail}`,
      };
  }
}

/**
 * A request that got no answer: not-yet while the thing may still appear (nothing listens yet, no hosts entry
 * yet), wrong when something definite contradicts the step, broken when the tool could not even try.
 */
export function failureVerdict(failure: Failure): Verdict {
  if (failure.kind === 'error') return 'broken';
  if (failure.kind === 'protocol' || (failure.kind === 'tls' && failure.phase === 'verify')) return 'wrong';
  return 'not-yet';
}

/** What was seen of the answer besides its status: who sent it (`server:`), and whether it had a body. */
export interface AnswerSeen {
  headers: [string, string][];
  body: string;
}

const serverOf = (seen: AnswerSeen | undefined): string | undefined =>
  seen?.headers.find(([name]) => name === 'server')?.[1];

/**
 * What an HTTP status means, from what the answer showed: Envoy's own answers carry `server: envoy` and its no-route
 * 404 has an empty body (Envoy's router, local reply for NR); a 404 from anything else did not come from the Ingress
 * controller at all. Without the answer (old callers), the status alone.
 */
export function statusCause(status: number, seen?: AnswerSeen): Text | undefined {
  const server = serverOf(seen);
  const fromEnvoy = seen === undefined || server?.toLowerCase() === 'envoy';
  switch (status) {
    case 404:
      if (!fromEnvoy)
        return {
          ko: `HTTP 404를 답한 것은 Envoy가 아닙니다 (server: ${server ?? '없음'}): 이 주소와 포트는 Ingress 컨트롤러로 이어지지 않습니다. 주소와 포트를 확인하세요.`,
          en: `The HTTP 404 did not come from Envoy (server: ${server ?? 'none'}): this address and port do not lead to the ingress controller. Check them.`,
        };
      if (seen && seen.body !== '')
        return {
          ko: 'HTTP 404: Ingress 규칙은 맞아 요청이 앱까지 갔지만, 앱에 이 경로가 없습니다.',
          en: 'HTTP 404: an ingress rule matched and the request reached the app, but the app has no such path.',
        };
      return {
        ko: 'HTTP 404: Ingress에 이 호스트와 경로에 맞는 규칙이 없습니다 (Envoy는 빈 본문으로 404를 답합니다).',
        en: 'HTTP 404: no ingress rule matches this host and path (Envoy answers 404 with an empty body).',
      };
    case 503:
      if (!fromEnvoy) return undefined;
      return {
        ko: 'HTTP 503: Service 뒤에 준비된 엔드포인트(Pod)가 없습니다. selector와 Pod 레이블, Pod 상태를 확인하세요.',
        en: 'HTTP 503: there are no ready endpoints (pods) behind the Service. Check its selector, the pod labels and the pods.',
      };
    case 502:
      if (!fromEnvoy) return undefined;
      return {
        ko: 'HTTP 502: 프록시가 백엔드에서 답을 받지 못했습니다. Service의 targetPort가 Pod가 듣는 포트(8080)인지 확인하세요.',
        en: 'HTTP 502: the proxy got no answer from the backend. Check that the targetPort is the port the pod listens on (8080).',
      };
    case 421:
      return {
        ko: 'HTTP 421: TLS 이름(SNI)과 Host 헤더가 다릅니다.',
        en: 'HTTP 421: the TLS name (SNI) and the Host header differ.',
      };
    default:
      return undefined;
  }
}

/** Statuses a correct step passes through while things start (no rule yet, no endpoints yet). */
export function statusVerdict(status: number): Verdict {
  return status === 404 || status === 502 || status === 503 ? 'not-yet' : 'wrong';
}

export function observedAnswer(answer: Answer, where: string): Text {
  const status = `HTTP ${answer.response.status}`;
  const pod = answer.whoami ? answer.whoami.hostname : undefined;
  return {
    ko: `${where}에서 ${status}${pod ? `, 응답한 Pod ${pod}` : ''}`,
    en: `${status} from ${where}${pod ? `, answered by pod ${pod}` : ''}`,
  };
}
