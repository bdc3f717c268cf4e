import { tr, type Lang } from '../../core/i18n.js';
import type { ToolName } from '../versions.js';
import { controllerCheck, exposureCheck } from './controller-checks.js';
import { dockerChecks } from './docker-checks.js';
import { gatewayApiCheck } from './gateway-check.js';
import { diskCheck, inotifyChecks, memoryCheck, portChecks } from './host-checks.js';
import { contextChecks } from './context-checks.js';
import { kindCheck, kubectlCheck } from './tool-checks.js';
import type { CheckStatus, DoctorCheck, DoctorOptions, DoctorProbes } from './types.js';

export interface DoctorReport {
  checks: DoctorCheck[];
  /** False when something blocks the labs (a check with status fail). */
  ok: boolean;
}

function notNeeded(id: string, title: DoctorCheck['title']): DoctorCheck {
  return {
    id,
    status: 'skip',
    title,
    detail: { ko: '--context 에서는 필요 없습니다.', en: 'Not needed with --context.' },
  };
}

/** Every check, in the order a learner would fix them. Nothing here changes the machine. */
export async function runDoctor(probes: DoctorProbes, options: DoctorOptions): Promise<DoctorReport> {
  const checks: DoctorCheck[] = [];
  if (options.context) {
    const context = await contextChecks(probes, options.context);
    checks.push(...context.checks);
    if (context.answers) checks.push(await gatewayApiCheck(probes, options.context));
    checks.push(
      notNeeded('docker-client', { ko: 'Docker', en: 'Docker' }),
      notNeeded('kind', { ko: 'kind', en: 'kind' }),
    );
  } else {
    const docker = await dockerChecks(probes);
    const engineUp = docker.info !== undefined;
    checks.push(...docker.checks);
    checks.push(await kindCheck(probes), await kubectlCheck(probes));
    checks.push(...(await portChecks(probes, options, engineUp, docker.profile)));
    checks.push(await controllerCheck(probes, engineUp), await exposureCheck(probes, engineUp));
    checks.push(...(await inotifyChecks(probes, docker.info)));
    checks.push(memoryCheck(probes, docker.info), await diskCheck(probes, docker.info, docker.profile));
  }
  return { checks, ok: checks.every((c) => c.status !== 'fail') };
}

/** Tools `doctor --fix` may download: missing, or a version that does not fit the node image. */
export function downloadable(report: DoctorReport): ToolName[] {
  return report.checks.flatMap((c) => (c.download && (c.status === 'fail' || c.status === 'warn') ? [c.download] : []));
}

/** `doctor --json`: a stable shape for checking a room of machines; texts in the chosen language. */
export interface DoctorJson {
  ok: boolean;
  platform: string;
  checks: {
    id: string;
    status: CheckStatus;
    title: string;
    detail: string;
    fix?: { text: string; commands: string[] };
  }[];
}

export function doctorJson(
  report: DoctorReport,
  probes: Pick<DoctorProbes, 'platform' | 'arch'>,
  lang: Lang,
): DoctorJson {
  return {
    ok: report.ok,
    platform: `${probes.platform}/${probes.arch}`,
    checks: report.checks.map((c) => ({
      id: c.id,
      status: c.status,
      title: tr(c.title, lang),
      detail: tr(c.detail, lang),
      ...(c.fix ? { fix: { text: tr(c.fix.text, lang), commands: c.fix.commands } } : {}),
    })),
  };
}
