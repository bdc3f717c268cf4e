import { ToolMissingError } from '../../core/errors.js';
import { GATEWAY_CLASS, GATEWAY_CONTROLLER, gatewayApiState } from '../gateway-api.js';
import { resolveTool } from '../tools.js';
import type { DoctorCheck, DoctorProbes } from './types.js';

/**
 * Existing-context mode: whether the Gateway API lab can run there. Not a blocker (info/warn): without the CRDs or
 * the GatewayClass `cloud-provider-kind`, `start` and `test` skip that lab and say why.
 */
export async function gatewayApiCheck(probes: DoctorProbes, context: string): Promise<DoctorCheck> {
  const title = { ko: 'Gateway API (실습 gateway)', en: 'Gateway API (lab gateway)' };
  const path = resolveTool('kubectl', probes.cacheDir, probes.platform);
  let state;
  try {
    state = await gatewayApiState((args) => probes.exec({ file: path, args: ['--context', context, ...args] }));
  } catch (error) {
    if (!(error instanceof ToolMissingError)) throw error;
    return {
      id: 'gateway-api',
      status: 'skip',
      title,
      detail: { ko: 'kubectl이 없어 확인하지 못했습니다.', en: 'Not checked: kubectl is missing.' },
    };
  }
  const fix = {
    text: {
      ko: 'cloud-provider-kind 가 돌고 있는 kind 클러스터에는 CRD와 클래스가 함께 있습니다. 다른 클러스터라면 실습 gateway 는 건너뜁니다.',
      en: 'A kind cluster running cloud-provider-kind has both the CRDs and the class; on another cluster the gateway lab is skipped.',
    },
    commands: [`kubectl --context ${context} get gatewayclass`],
  };
  switch (state.kind) {
    case 'ready':
      return {
        id: 'gateway-api',
        status: 'ok',
        title,
        detail: {
          ko: `GatewayClass ${GATEWAY_CLASS} 가 받아들여졌습니다 (${GATEWAY_CONTROLLER}).`,
          en: `GatewayClass ${GATEWAY_CLASS} is accepted (${GATEWAY_CONTROLLER}).`,
        },
      };
    case 'no-crds':
      return {
        id: 'gateway-api',
        status: 'info',
        title,
        detail: {
          ko: `Gateway API CRD가 없습니다 (${state.detail}). 실습 gateway 는 건너뜁니다.`,
          en: `No Gateway API CRDs (${state.detail}); the gateway lab will be skipped.`,
        },
        fix,
      };
    case 'no-class':
      return {
        id: 'gateway-api',
        status: 'info',
        title,
        detail: {
          ko: `GatewayClass ${GATEWAY_CLASS} 가 없습니다. 실습 gateway 는 건너뜁니다.`,
          en: `No GatewayClass ${GATEWAY_CLASS}; the gateway lab will be skipped.`,
        },
        fix,
      };
    case 'unknown':
      return {
        id: 'gateway-api',
        status: 'warn',
        title,
        detail: {
          ko: `Gateway API가 있는지 물어보지 못했습니다 (${state.detail}). 이대로면 실습 gateway 는 건너뜁니다.`,
          en: `Could not ask whether Gateway API is there (${state.detail}); as it is, the gateway lab will be skipped.`,
        },
        fix: { ...fix, commands: [`kubectl --context ${context} get gatewayclass ${GATEWAY_CLASS}`] },
      };
    case 'not-accepted':
      return {
        id: 'gateway-api',
        status: 'warn',
        title,
        detail: {
          ko: `GatewayClass ${GATEWAY_CLASS} 가 받아들여지지 않았습니다 (controllerName: ${state.controller || '없음'}). 실습 gateway 는 건너뜁니다.`,
          en: `GatewayClass ${GATEWAY_CLASS} is not accepted (controllerName: ${state.controller || 'none'}); the gateway lab will be skipped.`,
        },
        fix,
      };
  }
}
