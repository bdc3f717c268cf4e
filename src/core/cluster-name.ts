import type { Text } from './i18n.js';
import { withParticle } from './korean.js';

/**
 * A cluster name as kind accepts it: `^[a-z0-9.-]+$`, the rule kind v0.32.0 enforces when it validates its config
 * (pkg/internal/apis/config/validate.go, `validNameRE`). Names over 50 characters only get kind's warning
 * (pkg/cluster/internal/create/create.go, `clusterNameMax`: "-control-plane" is appended to make a host name).
 * The name is also a folder under the state folder, so `.` and `..`, which the rule lets through, are refused.
 */

export const CLUSTER_NAME_RULE = /^[a-z0-9.-]+$/;
export const CLUSTER_NAME_WARN_LENGTH = 50;

export function clusterNameProblem(name: string): Text | undefined {
  if (name === '.' || name === '..') {
    return {
      ko: `클러스터 이름 ${withParticle(JSON.stringify(name), '은/는')} 쓸 수 없습니다: 상태 폴더 밖을 가리킵니다.`,
      en: `The cluster name ${JSON.stringify(name)} cannot be used: it points outside the state folder.`,
    };
  }
  if (CLUSTER_NAME_RULE.test(name)) return undefined;
  return {
    ko: `클러스터 이름 ${withParticle(JSON.stringify(name), '은/는')} 쓸 수 없습니다: kind처럼 영문 소문자, 숫자, '.', '-'만 (${CLUSTER_NAME_RULE.source}) 씁니다.`,
    en: `The cluster name ${JSON.stringify(name)} cannot be used: like kind, only lower-case letters, digits, '.' and '-' (${CLUSTER_NAME_RULE.source}).`,
  };
}

/** kind's own warning for long names, in both languages. */
export function clusterNameWarning(name: string): Text | undefined {
  if (name.length <= CLUSTER_NAME_WARN_LENGTH) return undefined;
  return {
    ko: `클러스터 이름이 ${name.length}자입니다. kind는 ${CLUSTER_NAME_WARN_LENGTH}자가 넘으면 일부 시스템에서 제대로 동작하지 않을 수 있다고 경고합니다.`,
    en: `The cluster name has ${name.length} characters; kind warns that over ${CLUSTER_NAME_WARN_LENGTH} it might not work properly on some systems.`,
  };
}
