import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { formatCommand, shellQuote } from '../platform/command.js';
import { clusterOptions } from './providers.js';
import { DEFAULT_CLUSTER_NAME, type Cluster } from '../cluster/types.js';
import type { CommandEnv, GlobalOptions } from './types.js';
import { UsageError, UserError } from '../core/errors.js';
import { toolCommand } from '../platform/invocation.js';
import { clusterHome, packageRoot } from '../platform/paths.js';
import type { LabContext, LabPaths, Log } from '../contract/context.js';
import type { Lab, LabData, Step } from '../engine/lab.js';
import { readCatalogue, readCatalogueEntries, summarise, type LabSummary } from '../engine/catalogue.js';
import { nextOpenStep, ProgressStore, type Progress } from '../engine/progress.js';
import type { LexedTable } from '../ui/markdown-lexer.js';

export function labPaths(env: CommandEnv): LabPaths {
  const home = clusterHome(env.options.home, env.options.clusterName);
  return {
    root: packageRoot(),
    workspace: home.workspace,
    hostsFile: env.options.hostsFile,
    nudgeFile: home.nudgeFile,
  };
}

export function progressStore(env: CommandEnv): ProgressStore {
  return new ProgressStore(
    clusterHome(env.options.home, env.options.clusterName).progressFile,
    env.options.clusterName,
  );
}

/** Load progress, telling the learner when a corrupt file had to be moved aside. */
export async function loadProgress(env: CommandEnv, store = progressStore(env)): Promise<Progress> {
  const { progress, warning } = await store.load();
  if (warning) env.out.warn(warning);
  return progress;
}

/**
 * Every lab, validated: as the build compiled them while they match the files on disk, else parsed and validated
 * here (the loader, YAML and the schemas are loaded only then).
 */
export async function labsOf(): Promise<Lab[]> {
  const root = packageRoot();
  const compiled = (await import('../engine/bind-labs.js')).readCompiledLabs(root);
  if (compiled) return compiled;
  const { loadLabs } = await import('../engine/lab-loader.js');
  return loadLabs(root);
}

/**
 * One lab to read (`show`), as data, and the build's Markdown tokens for it: the build's copy while it matches the
 * files on disk, so nothing that runs a step, nor YAML, nor marked is loaded; else the lab is loaded as usual.
 */
export async function labToRead(name: string): Promise<{ lab: LabData; lexed?: LexedTable }> {
  const root = packageRoot();
  const entries = readCatalogueEntries(root);
  const { readCompiledLab } = await import('../engine/compiled-labs.js');
  const compiled = entries && readCompiledLab(root, findLab(entries, name));
  const lab = compiled ?? findLab(await labsOf(), name);
  const folder = 'folder' in lab ? lab.folder : basename(dirname(lab.file));
  const { lexedTableFile, readLexedTable } = await import('../ui/markdown-lexer.js');
  return { lab, lexed: readLexedTable(lexedTableFile(root, folder)) };
}

/** What `list` and `status` show of every lab: from the build's catalogue while it matches the files, else loaded. */
export async function labSummaries(): Promise<LabSummary[]> {
  const root = packageRoot();
  const compiled = readCatalogue(root);
  if (compiled) return compiled;
  return Promise.all(
    (await labsOf()).map(async (lab) => summarise(lab, basename(dirname(lab.file)), await readFile(lab.file, 'utf8'))),
  );
}

/**
 * A command of this tool for the same cluster as this run: with the learner's `--cluster-name` or `--context`, which
 * a bare `start` would not reach (it would make or use the default kind cluster and its progress instead).
 */
export function toolCommandHere(options: Pick<GlobalOptions, 'clusterName' | 'context'>, rest: string): string {
  const flags = [
    ...(options.clusterName !== DEFAULT_CLUSTER_NAME ? ['--cluster-name', options.clusterName] : []),
    ...(options.context !== undefined ? ['--context', options.context] : []),
  ];
  return toolCommand([rest, ...flags.map(shellQuote)].join(' '));
}

function contextName(env: CommandEnv): string {
  return env.options.context ?? `kind-${env.options.clusterName}`;
}

/**
 * A stand-in cluster for reading labs without one (`show`, `--dry-run`): it knows its name, context and ports, so
 * commands can be printed; it refuses to run anything.
 */
export function offlineCluster(env: CommandEnv): Cluster {
  const context = contextName(env);
  return {
    name: env.options.clusterName,
    context,
    ports: env.options.ports,
    kubectlLine: (args) => formatCommand({ file: 'kubectl', args: ['--context', context, ...args] }),
    async kubectl() {
      throw new UserError({
        ko: '이 모드에서는 클러스터에 명령을 보내지 않습니다.',
        en: 'Nothing is sent to a cluster in this mode.',
      });
    },
    async reachability() {
      return { hostReachesNodeNetwork: true, hostClientAddress: '127.0.0.1' };
    },
  };
}

/** The lab cluster if it exists; otherwise a clear message saying how to make it. */
export async function connectCluster(env: CommandEnv): Promise<Cluster> {
  if (env.options.dryRun) return offlineCluster(env);
  const provider = await env.deps.provider(env.options);
  const cluster = await provider.connect(clusterOptions(env.options));
  if (!cluster && env.options.context) {
    throw new UserError(
      {
        ko: `kubectl 컨텍스트 ${env.options.context}의 클러스터가 응답하지 않습니다.`,
        en: `The cluster of kubectl context ${env.options.context} does not answer.`,
      },
      {
        ko: `확인: ${formatCommand({ file: 'kubectl', args: ['--context', env.options.context, 'get', 'nodes'] })}`,
        en: `Check: ${formatCommand({ file: 'kubectl', args: ['--context', env.options.context, 'get', 'nodes'] })}`,
      },
    );
  }
  if (!cluster) {
    throw new UserError(
      {
        ko: `실습 클러스터(${env.options.clusterName})가 없습니다.`,
        en: `The lab cluster "${env.options.clusterName}" does not exist.`,
      },
      {
        ko: `먼저 \`${toolCommandHere(env.options, 'start')}\` 로 만드세요.`,
        en: `Create it first with \`${toolCommandHere(env.options, 'start')}\`.`,
      },
    );
  }
  return cluster;
}

/** How engine messages reach the screen. `quiet` hides command output (self-tests). */
export function outputLog(env: CommandEnv, quiet = false): Log {
  const { out } = env;
  return {
    info: (m) => !quiet && out.print(m),
    command: (line) => !quiet && out.command(line),
    output: (text) => !quiet && out.raw(out.c.dim(text.replace(/^/gm, '  ')) + '\n'),
    warn: (m) => out.warn(m),
    verbose: (m) => out.verbose(m),
  };
}

export function labContext(env: CommandEnv, cluster: Cluster, log: Log = outputLog(env)): LabContext {
  return {
    lang: env.options.lang,
    cluster,
    exec: env.deps.exec,
    paths: labPaths(env),
    noHosts: env.options.noHosts,
    dryRun: env.options.dryRun,
    signal: env.signal,
    log,
    argv0: env.io.argv0,
    interactive: env.interactive,
  };
}

export interface Target {
  lab: Lab;
  step: Step;
}

/** Find a lab by id (`nodeport`), folder (`01-nodeport`) or number (`1`). */
export function findLab<L extends Pick<Lab, 'id' | 'order'>>(labs: L[], name: string): L {
  const wanted = name.toLowerCase();
  const lab = labs.find(
    (l) =>
      l.id === wanted ||
      `${String(l.order).padStart(2, '0')}-${l.id}` === wanted ||
      String(l.order) === wanted.replace(/^0+/, ''),
  );
  if (!lab) {
    // A name on the command line that names nothing is a usage problem (exit 2), like an unknown command.
    throw new UsageError(
      { ko: `"${name}" 실습을 찾을 수 없습니다.`, en: `No lab named "${name}".` },
      { ko: `실습 목록: ${labs.map((l) => l.id).join(', ')}`, en: `Labs: ${labs.map((l) => l.id).join(', ')}` },
    );
  }
  return lab;
}

export function findStep(lab: Lab, name: string): Step {
  const step = lab.steps.find((s, i) => s.id === name || String(i + 1) === name);
  if (!step) {
    throw new UsageError(
      { ko: `${lab.id} 실습에 "${name}" 단계가 없습니다.`, en: `Lab ${lab.id} has no step "${name}".` },
      { ko: `단계: ${lab.steps.map((s) => s.id).join(', ')}`, en: `Steps: ${lab.steps.map((s) => s.id).join(', ')}` },
    );
  }
  return step;
}

/** The step a learner is on in a lab: the recorded current step if still open, else the first open one. */
export function currentStep<S extends { id: string }>(
  lab: { id: string; steps: readonly S[] },
  progress: Progress,
): S | undefined {
  const state = progress.labs[lab.id];
  const current = state?.current ? lab.steps.find((s) => s.id === state.current) : undefined;
  if (current && !state?.done.includes(current.id)) return current;
  return nextOpenStep(lab.steps, state);
}

/** `lab/step`, `lab` (its current step) or nothing (the current step of the last lab). */
export function resolveTarget(labs: Lab[], progress: Progress, target: string | undefined): Target {
  if (target) {
    const [labName, stepName] = target.split('/');
    const lab = findLab(labs, labName!);
    const step = stepName ? findStep(lab, stepName) : (currentStep(lab, progress) ?? lab.steps[lab.steps.length - 1]!);
    return { lab, step };
  }
  const lab = progress.lastLab ? labs.find((l) => l.id === progress.lastLab) : undefined;
  const chosen = lab ?? labs.find((l) => currentStep(l, progress)) ?? labs[0]!;
  return { lab: chosen, step: currentStep(chosen, progress) ?? chosen.steps[chosen.steps.length - 1]! };
}
