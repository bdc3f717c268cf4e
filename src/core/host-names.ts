import { isIP } from 'node:net';
import type { Text } from './i18n.js';
import { withParticle } from './korean.js';

/**
 * Validation of what goes into the hosts file and into certificates. Anything else on a hosts line (a space, a
 * newline, `#`) would let a value add or hide entries, so names are held to RFC 1123 labels and addresses to what
 * node:net parses.
 */

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Why `name` is not a host name we accept, or undefined when it is fine. `wildcard` allows a leading `*.` (certificates). */
export function hostNameProblem(name: string, options: { wildcard?: boolean } = {}): Text | undefined {
  const shown = JSON.stringify(name);
  if (name.length === 0) return { ko: '호스트 이름이 비어 있습니다.', en: 'The host name is empty.' };
  if (/[\s#]/.test(name)) {
    return {
      ko: `호스트 이름 ${shown}에 공백, 줄바꿈 또는 #이 있습니다. 이름 하나에 한 단어만 쓸 수 있습니다.`,
      en: `The host name ${shown} contains a space, a line break or #. A name is a single word.`,
    };
  }
  if (isIP(name)) {
    return {
      ko: `${withParticle(shown, '은/는')} 이름이 아니라 IP 주소입니다.`,
      en: `${shown} is an IP address, not a name.`,
    };
  }
  if (name.length > 253) {
    return {
      ko: `호스트 이름 ${withParticle(shown, '이/가')} 253자보다 깁니다.`,
      en: `The host name ${shown} is longer than 253 characters.`,
    };
  }
  const labels = name.toLowerCase().split('.');
  if (options.wildcard && labels[0] === '*' && labels.length > 2) labels.shift();
  for (const label of labels) {
    if (!LABEL.test(label)) {
      return {
        ko: `호스트 이름 ${withParticle(shown, '이/가')} 올바르지 않습니다: 점으로 나뉜 각 부분은 1~63자의 영문자, 숫자, -(처음과 끝 제외)여야 합니다.`,
        en: `The host name ${shown} is not valid: each dot-separated part must be 1 to 63 letters, digits or - (not first or last).`,
      };
    }
  }
  if (labels[labels.length - 1] === 'localhost') {
    return {
      ko: `${withParticle(shown, '은/는')} 이 컴퓨터 자신을 가리키는 이름이라 바꿀 수 없습니다.`,
      en: `${shown} names this machine itself; it is not changed.`,
    };
  }
  return undefined;
}

/** Why `address` is not an IPv4/IPv6 address, or undefined when it is one. */
export function addressProblem(address: string): Text | undefined {
  // isIP already refuses spaces and `#`; the character check keeps that true whatever a future Node accepts.
  if (isIP(address) && /^[\w.:%-]+$/.test(address)) return undefined;
  return {
    ko: `${withParticle(JSON.stringify(address), '은/는')} IP 주소가 아닙니다 (예: 127.0.0.1, ::1).`,
    en: `${JSON.stringify(address)} is not an IP address (for example 127.0.0.1 or ::1).`,
  };
}

/** Host names compare case-insensitively; the hosts block and certificates keep them in lower case. */
export function normalizeHostName(name: string): string {
  return name.toLowerCase();
}
