import { defaultProbes } from '../cluster/doctor/probes.js';
import { doctorJson, downloadable, runDoctor, type DoctorReport } from '../cluster/doctor/run.js';
import type { CheckStatus, DoctorProbes } from '../cluster/doctor/types.js';
import { downloadTool, toolRelease, unsupportedPlatform, type DownloadBases } from '../cluster/tool-download.js';
import { goPlatform, resolveTool, toolBinDir } from '../cluster/tools.js';
import type { Fetch } from '../cluster/verified-download.js';
import { createExec } from '../platform/exec.js';
import type { Message } from '../core/i18n.js';
import { createAsker } from '../ui/prompts.js';
import type { Output } from '../ui/output.js';
import { isAccessible } from './path-view.js';
import { unbroken, wrapText } from '../ui/wrap.js';
import { toolCommand } from '../platform/invocation.js';
import { machineIdentity, toolVersion } from '../platform/tool-info.js';
import type { CommandEnv, CommandInput } from './types.js';
import { EXIT } from '../core/errors.js';
import { withParticle } from '../core/korean.js';

const MARKS: Record<CheckStatus, (out: Output) => string> = {
  ok: (out) => out.c.green('✔'),
  info: (out) => out.c.cyan('ℹ'),
  warn: (out) => out.c.yellow('!'),
  fail: (out) => out.c.red('✖'),
  skip: (out) => out.c.dim('–'),
};

/** Wrapped to the terminal (at most 100 columns, like the step screens); commands stay on one line to paste. */
function printReport(out: Output, report: DoctorReport, width: number, onlyProblems = false): void {
  for (const check of report.checks) {
    if (onlyProblems && (check.status === 'ok' || check.status === 'skip')) continue;
    out.print(wrapText(`${MARKS[check.status](out)} ${out.t(check.title)} — ${out.t(check.detail)}`, width, '', '  '));
    if (check.fix && (check.status === 'fail' || check.status === 'warn')) {
      out.print(wrapText(out.t(check.fix.text), width, '    '));
      for (const command of check.fix.commands) out.print(`    ${out.c.dim('$')} ${out.c.cyan(command)}`);
    }
  }
  const failures = report.checks.filter((c) => c.status === 'fail').length;
  const warnings = report.checks.filter((c) => c.status === 'warn').length;
  out.print();
  if (failures > 0) {
    out.print({
      ko: `실습을 막는 문제 ${failures}개 (경고 ${warnings}개).`,
      en: `${plural(failures, 'problem blocks', 'problems block')} the labs (${plural(warnings, 'warning', 'warnings')}).`,
    });
    // start says what comes next itself (it offers the tour).
    if (!onlyProblems) out.print(wrapText(out.t(nextStep(report)), width));
  } else if (warnings > 0) {
    out.print({
      ko: `실습을 시작할 수 있습니다. 경고 ${warnings}개를 확인하세요.`,
      en: `Ready for the labs; look at the ${plural(warnings, 'warning', 'warnings')}.`,
    });
  } else {
    out.print({ ko: '실습을 시작할 준비가 되었습니다.', en: 'Ready for the labs.' });
  }
}

/** After the problems, what to do now: fix and run doctor again (with --fix when it can help), or follow the tour. */
function nextStep(report: DoctorReport): Message {
  const cmd = (rest: string) => unbroken(toolCommand(rest));
  const fixable = downloadable(report).length > 0;
  return {
    ko: `다음: ✖ 줄의 안내대로 고친 뒤 ${cmd('doctor')} 를 다시 실행하세요${fixable ? ` (kind, kubectl 은 ${cmd('doctor --fix')} 가 내려받습니다)` : ''}. 이 컴퓨터에서 고칠 수 없다면 ${cmd('start --tour')} 로 읽으며 따라갈 수 있습니다.`,
    en: `Next: fix the ✖ lines as they say, then run ${cmd('doctor')} again${fixable ? ` (${cmd('doctor --fix')} downloads kind and kubectl)` : ''}. If this machine cannot be fixed, ${cmd('start --tour')} lets you follow along.`,
  };
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

const widthOf = (env: CommandEnv): number => Math.min(env.io.stdout.columns ?? 80, 100);

/** Tells thirty laptops' `doctor --json` apart: which machine, which tool version, when. */
function identity(): { hostname: string; toolVersion: string; timestamp: string } {
  return { hostname: machineIdentity().hostname, toolVersion: toolVersion(), timestamp: new Date().toISOString() };
}

/** What doctor reads and downloads from; tests replace it. */
export interface DoctorDeps {
  probes: DoctorProbes;
  fetch: Fetch;
  bases?: DownloadBases;
}

/** `doctor --fix`: offer to download the pinned kind/kubectl into the cache. Never sudo; never without a yes. */
async function fix(env: CommandEnv, report: DoctorReport, deps: DoctorDeps): Promise<boolean> {
  // With --json the report owns stdout: what --fix says goes to stderr.
  const out = { print: (message: Message) => (env.options.json ? env.out.warn(message) : env.out.print(message)) };
  const tools = downloadable(report);
  if (tools.length === 0) {
    out.print({
      ko: 'doctor --fix 로 고칠 것이 없습니다 (kind와 kubectl만 내려받을 수 있습니다).',
      en: 'Nothing for doctor --fix to do (it can download kind and kubectl only).',
    });
    return false;
  }
  const platform = goPlatform(deps.probes.platform, deps.probes.arch);
  if (!platform) throw unsupportedPlatform(deps.probes.platform, deps.probes.arch);
  const asker = createAsker({
    lang: env.options.lang,
    interactive: env.interactive,
    yes: env.options.yes,
    accessible: isAccessible(env),
    signal: env.signal,
  });
  let changed = false;
  for (const tool of tools) {
    const release = toolRelease(tool, platform, deps.bases);
    const check = 'pinned' in release.sha256 ? `sha256 ${release.sha256.pinned}` : release.sha256.published;
    out.print({
      ko: `${tool} ${release.version} (${platform})\n  내려받기: ${release.url}\n  확인: ${check}\n  설치 위치: ${deps.probes.cacheDir} (sudo 없음)`,
      en: `${tool} ${release.version} (${platform})\n  download: ${release.url}\n  verify:   ${check}\n  into:     ${deps.probes.cacheDir} (no sudo)`,
    });
    if (env.options.dryRun) {
      out.print({ ko: '  (--dry-run: 내려받지 않았습니다)', en: '  (--dry-run: not downloaded)' });
      continue;
    }
    if (!env.options.yes && !env.interactive) {
      out.print({ ko: '  --yes 를 붙여 다시 실행하면 내려받습니다.', en: '  Run again with --yes to download it.' });
      continue;
    }
    const yes = await asker.confirm({
      message: { ko: `${tool} 도구를 내려받을까요?`, en: `Download ${tool}?` },
      default: true,
      flag: '--yes',
    });
    if (!yes) continue;
    const path = await downloadTool(release, {
      cacheDir: deps.probes.cacheDir,
      fetch: deps.fetch,
      platform: deps.probes.platform,
      signal: env.signal,
    });
    out.print({ ko: `  설치했습니다: ${path}`, en: `  Installed: ${path}` });
    changed = true;
  }
  return changed;
}

/**
 * Every command a step shows says `kind` or `kubectl`; when this tool runs its own copies from the cache, the
 * learner's shell must find the same ones: one PATH line for sh/zsh, one for PowerShell.
 */
export function pathHint(probes: Pick<DoctorProbes, 'cacheDir' | 'platform'>): Message | undefined {
  const cached = (['kind', 'kubectl'] as const).filter(
    (tool) => resolveTool(tool, probes.cacheDir, probes.platform) !== tool,
  );
  if (cached.length === 0) return undefined;
  const bin = toolBinDir(probes.cacheDir);
  // Each line kept whole (indent, alignment, command) when the hint is wrapped: a long cache path must not split it.
  const lines = (
    probes.platform === 'win32'
      ? [`  PowerShell:  $env:Path = "${bin};" + $env:Path`, `  cmd:         set "PATH=${bin};%PATH%"`]
      : [`  sh, zsh, bash:  export PATH="${bin}:$PATH"`, `  PowerShell:     $env:PATH = "${bin}:" + $env:PATH`]
  )
    .map(unbroken)
    .join('\n');
  return {
    ko: `이 도구는 캐시의 ${withParticle(cached.join(', '), '을/를')} 씁니다. 단계마다 보여 주는 명령을 그대로 치려면, 셸이 같은 것을 찾도록 PATH 앞에 넣으세요 (셸 설정 파일에 넣으면 계속 유지됩니다):\n${lines}`,
    en: `This tool runs ${cached.join(', ')} from its cache. To type the commands the steps show as printed, put the same copies first on your shell's PATH (add the line to your shell's profile to keep it):\n${lines}`,
  };
}

export async function runDoctorCommand(env: CommandEnv, input: CommandInput, deps: DoctorDeps): Promise<number> {
  const options = { clusterName: env.options.clusterName, ports: env.options.ports, context: env.options.context };
  let report = await runDoctor(deps.probes, options);
  if (input.opts.fix) {
    if (!env.options.json) printReport(env.out, report, widthOf(env));
    if (await fix(env, report, deps)) {
      if (!env.options.json) env.out.print({ ko: '\n다시 점검합니다:', en: '\nChecking again:' });
      report = await runDoctor(deps.probes, options);
    } else if (!env.options.json) {
      return report.ok ? EXIT.ok : EXIT.failure;
    }
  }
  if (env.options.json) env.out.json({ ...identity(), ...doctorJson(report, deps.probes, env.options.lang) });
  else {
    printReport(env.out, report, widthOf(env));
    const hint = pathHint(deps.probes);
    if (hint) env.out.print(wrapText(env.out.t(hint), widthOf(env)));
  }
  return report.ok ? EXIT.ok : EXIT.failure;
}

/**
 * For `start`: the same checks, showing only what deserves attention (problems, warnings, what Docker Desktop
 * changes). True when nothing blocks the labs.
 */
export async function diagnose(
  env: CommandEnv,
  probes: DoctorProbes = defaultProbes(env.deps.exec, env.io.env),
  onReport: (report: DoctorReport) => void = () => {},
): Promise<boolean> {
  const report = await runDoctor(probes, {
    clusterName: env.options.clusterName,
    ports: env.options.ports,
    context: env.options.context,
  });
  printReport(env.out, report, widthOf(env), true);
  const hint = pathHint(probes);
  if (hint) env.out.print(wrapText(env.out.t(hint), widthOf(env)));
  onReport(report);
  return report.ok;
}

/**
 * `expose-labs doctor [--json] [--fix]`: exit 1 when something blocks the labs. Every probe only reads, so
 * under --dry-run they still run (with the real exec); only --fix's downloads are left out.
 */
export async function run(env: CommandEnv, input: CommandInput): Promise<number> {
  const exec = env.options.dryRun ? createExec() : env.deps.exec;
  return runDoctorCommand(env, input, { probes: defaultProbes(exec, env.io.env), fetch: globalThis.fetch });
}
