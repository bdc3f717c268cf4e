import type { HttpSpec } from './specs.js';
import type { Text } from '../core/i18n.js';
import type { Answer } from './attempt.js';
import { exchange, exchangeReceipt, type ExchangeOutcome } from './exchange.js';
import { observedAnswer, statusCause, statusVerdict } from './explain.js';
import { headerValue } from './http-parser.js';
import { missResult, notDoneResult } from './results.js';
import { describeEndpoint } from './target.js';
import { httpLines } from './lines.js';
import type { CheckContext, CheckDefinition, CheckResult, Verdict } from './types.js';
import { podBelongsTo } from './whoami.js';
import { urlDependencies } from './dependencies.js';
import { withParticle } from '../core/korean.js';

function statusOk(spec: HttpSpec, code: number): boolean {
  if (spec.status === undefined) return code >= 200 && code < 400;
  return Array.isArray(spec.status) ? spec.status.includes(code) : spec.status === code;
}

function expectedText(spec: HttpSpec): Text {
  const statusText = spec.status === undefined ? 'HTTP 2xx/3xx' : `HTTP ${[spec.status].flat().join(' | ')}`;
  const ko: string[] = [statusText];
  const en: string[] = [statusText];
  if (spec.pod) {
    ko.push(`${spec.pod} Pod의 응답`);
    en.push(`answered by a ${spec.pod} pod`);
  }
  if (spec.bodyContains) {
    ko.push(`본문에 "${spec.bodyContains}" 포함`);
    en.push(`body contains "${spec.bodyContains}"`);
  }
  if (spec.bodyMatches) {
    ko.push(`본문이 /${spec.bodyMatches}/ 와 맞음`);
    en.push(`body matches /${spec.bodyMatches}/`);
  }
  for (const [name, pattern] of Object.entries(spec.headers ?? {})) {
    ko.push(`${name} 헤더가 /${pattern}/ 와 맞음`);
    en.push(`header ${name} matches /${pattern}/`);
  }
  return { ko: ko.join(', '), en: en.join(', ') };
}

interface Mismatch {
  verdict: Verdict;
  observed: Text;
  cause: Text;
}

/** What differs from the spec. A wrong status says it all: the body of a 404 is not worth comparing. */
function mismatches(spec: HttpSpec, answer: Answer): Mismatch[] {
  const found: Mismatch[] = [];
  const code = answer.response.status;
  if (!statusOk(spec, code)) {
    found.push({
      verdict: statusVerdict(code),
      observed: { ko: `상태 코드 ${code}`, en: `status ${code}` },
      cause: statusCause(code) ?? {
        ko: `서버가 HTTP ${code}로 답했습니다: 이 단계가 기대하는 응답이 아닙니다.`,
        en: `The server answered HTTP ${code}, which is not what this step expects.`,
      },
    });
    return found;
  }
  if (spec.pod) {
    if (!answer.whoami) {
      found.push({
        verdict: 'wrong',
        observed: { ko: 'whoami 형식이 아닌 응답', en: 'an answer that is not from whoami' },
        cause: {
          ko: '응답한 것이 실습 앱(whoami) Pod가 아닙니다.',
          en: 'What answered is not one of the lab apps (whoami pods).',
        },
      });
    } else if (!podBelongsTo(answer.whoami.hostname, spec.pod)) {
      found.push({
        verdict: 'wrong',
        observed: { ko: `Pod ${answer.whoami.hostname}의 응답`, en: `answered by pod ${answer.whoami.hostname}` },
        cause: {
          ko: `요청이 ${withParticle(spec.pod, '이/가')} 아닌 다른 앱으로 갔습니다: 규칙이나 Service가 다른 백엔드를 가리킵니다.`,
          en: `The request reached another app than ${spec.pod}: the rule or the Service points at a different backend.`,
        },
      });
    }
  }
  const body = answer.response.body;
  if (spec.bodyContains && !body.includes(spec.bodyContains)) {
    found.push({
      verdict: 'wrong',
      observed: { ko: `본문에 "${spec.bodyContains}" 없음`, en: `body without "${spec.bodyContains}"` },
      cause: { ko: '다른 앱이나 다른 경로가 답했습니다.', en: 'Another app or another path answered.' },
    });
  }
  if (spec.bodyMatches && !new RegExp(spec.bodyMatches).test(body)) {
    found.push({
      verdict: 'wrong',
      observed: { ko: `본문이 /${spec.bodyMatches}/ 와 맞지 않음`, en: `body does not match /${spec.bodyMatches}/` },
      cause: { ko: '다른 앱이나 다른 경로가 답했습니다.', en: 'Another app or another path answered.' },
    });
  }
  for (const [name, pattern] of Object.entries(spec.headers ?? {})) {
    const value = headerValue(answer.response, name);
    if (value === undefined || !new RegExp(pattern).test(value)) {
      found.push({
        verdict: 'wrong',
        observed: { ko: `${name} 헤더: ${value ?? '(없음)'}`, en: `header ${name}: ${value ?? '(missing)'}` },
        cause: { ko: '응답 헤더가 기대와 다릅니다.', en: 'A response header differs from what is expected.' },
      });
    }
  }
  return found;
}

function withCertificate(observed: Text, answer: Answer): Text {
  if (!answer.certificate?.selfSigned) return observed;
  return { ko: `${observed.ko} (자체 서명 인증서)`, en: `${observed.en} (self-signed certificate)` };
}

function judge(spec: HttpSpec, ctx: CheckContext, outcome: ExchangeOutcome): CheckResult {
  const expected = expectedText(spec);
  if (outcome.kind !== 'done') return notDoneResult(outcome, spec.url, expected, ctx);
  const where = describeEndpoint(outcome.plan);
  const attempt = outcome.attempts[0]!;
  if (!attempt.ok) return missResult(attempt, outcome, expected, ctx, where);
  const pods = attempt.whoami ? [attempt.whoami.hostname] : undefined;
  const seen = withCertificate(observedAnswer(attempt, where), attempt);
  const found = mismatches(spec, attempt);
  if (found.length === 0) return { verdict: 'pass', observed: seen, expected, command: outcome.command, pods };
  return {
    verdict: found[0]!.verdict,
    observed: {
      ko: `${seen.ko} — ${found.map((m) => m.observed.ko).join(', ')}`,
      en: `${seen.en} — ${found.map((m) => m.observed.en).join(', ')}`,
    },
    expected,
    command: outcome.command,
    cause: { ko: found.map((m) => m.cause.ko).join(' '), en: found.map((m) => m.cause.en).join(' ') },
    pods,
  };
}

export const httpCheck: CheckDefinition<HttpSpec> = {
  name: 'http',
  network: true,
  dependsOn: urlDependencies,
  ...httpLines,
  async run(spec, ctx): Promise<CheckResult> {
    const outcome = await exchange(spec, ctx, { count: 1, keepAlive: false, stopOnFailure: true }, { include: true });
    return { ...judge(spec, ctx, outcome), receipt: await exchangeReceipt(outcome, ctx) };
  },
};
