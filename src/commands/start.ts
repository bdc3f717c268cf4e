import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { copyToWorkspace, workspacePath } from '../actions/workspace-copy.js';
import type { Capabilities, Cluster, ClusterProvider } from '../cluster/types.js';
import type { LabContext } from '../contract/context.js';
import { labSkippedMessage, missingCapabilities, type Lab, type Step } from '../engine/lab.js';
import {
  emptyProgress,
  labState,
  skipStep,
  type DoneHow,
  type Progress,
  type ProgressStore,
} from '../engine/progress.js';
import { replaySteps, runActions } from '../engine/runner.js';
import { actionCommands } from '../engine/step-lines.js';
import {
  currentStep,
  findLab,
  labContext,
  labsOf,
  loadProgress,
  offlineCluster,
  progressStore,
  toolCommandHere,
} from './session.js';
import { previewTemplate } from '../engine/template.js';
import { EXIT, InterruptedError, UsageError, UserError } from '../core/errors.js';
import { toolCommand } from '../platform/invocation.js';
import { clusterOptions } from './providers.js';
import { writeClusterPorts } from '../cluster/remembered-ports.js';
import { interruptible } from '../platform/interrupts.js';
import { renderMarkdown } from '../ui/markdown.js';
import { createAsker, type Asker } from '../ui/prompts.js';
import { pageLines } from '../ui/pager.js';
import { unbroken, wrapText } from '../ui/wrap.js';
import { renderStepScreen } from '../ui/step-screen.js';
import { choosePlain, createReporter } from '../ui/tasks.js';
import { diagnose } from './doctor.js';
import { recordOutcomes, verifyStep } from './step-flow.js';
import { NO_ROOM, type EventSink } from '../core/learner-events.js';
import { checkEvent, doctorEvent, joinRoom } from './room-join.js';
import { isAccessible, lastReceipt, pathDiagram, printMarkedPath } from './path-view.js';
import { askPrediction, gradeAndRecord, type Prediction } from './predict-flow.js';
import type { CommandEnv, CommandRun } from './types.js';

type StepChoice = 'run' | 'self' | 'hint' | 'solution' | 'skip' | 'next' | 'menu';

interface Session {
  env: CommandEnv;
  ctx: LabContext;
  labs: Lab[];
  store: ProgressStore;
  progress: Progress;
  asker: Asker;
  /** What the cluster offers; labs that need more are shown but cannot be chosen. */
  capabilities: Capabilities;
  /** The cluster was made in this run: steps finished on an earlier cluster are replayed once per lab. */
  fresh: boolean;
  replayed: Set<string>;
  auto: boolean;
  pause: boolean;
  /** Tour mode (no Docker or cluster): every screen, nothing run, nothing checked, nothing saved. */
  tour: boolean;
  /** The instructor's room, when the learner joined one; otherwise a sink that sends nothing. */
  room: EventSink;
  /** Ask for a prediction before a step's checks (off with --auto and --no-predict). */
  predict: boolean;
}

const width = (env: CommandEnv) => Math.min(env.io.stdout.columns ?? 80, 100);

/** Create or reuse the cluster, asking first. `fresh`: it was made just now, so nothing of earlier steps is on it. */
async function ensureCluster(
  env: CommandEnv,
  provider: ClusterProvider,
  asker: Asker,
  recreateFlag: boolean,
): Promise<{ cluster: Cluster; fresh: boolean }> {
  const { out } = env;
  const options = clusterOptions(env.options);
  const status = await provider.inspect(options);
  let recreate = false;
  if (status.exists && status.matches) {
    out.print({ ko: `기존 클러스터를 씁니다: ${options.name}`, en: `Reusing the cluster: ${options.name}` });
  } else if (status.exists) {
    for (const difference of status.differences) out.warn(difference);
    // Deleting a cluster is not something --yes may decide: only --recreate or a person at the keyboard.
    const person = createAsker({
      lang: env.options.lang,
      interactive: env.interactive,
      yes: false,
      input: env.io.stdin,
      output: env.io.stdout,
      accessible: isAccessible(env),
      signal: env.signal,
    });
    recreate =
      recreateFlag ||
      (await person.confirm({
        message: {
          ko: `클러스터 ${options.name}의 설정이 다릅니다 (포트 매핑은 바꿀 수 없습니다). 지우고 다시 만들까요?`,
          en: `Cluster ${options.name} was made with another configuration (port mappings cannot change). Delete and recreate it?`,
        },
        default: false,
        flag: '--recreate',
      }));
    if (!recreate) {
      throw new UserError(
        {
          ko: '설정이 다른 클러스터로는 실습을 진행할 수 없습니다.',
          en: 'The labs cannot run on a cluster with another configuration.',
        },
        {
          ko: '--recreate 로 다시 만들거나, 처음 만들 때 쓴 포트 옵션을 다시 주세요.',
          en: 'Pass --recreate, or give the port flags used when it was made.',
        },
      );
    }
  } else if (env.options.context) {
    throw new UserError(
      {
        ko: `kubectl 컨텍스트(${env.options.context})가 없습니다.`,
        en: `There is no kubectl context ${env.options.context}.`,
      },
      {
        ko: 'kubectl config get-contexts 로 이름을 확인하세요. --context 없이 실행하면 kind 클러스터를 만듭니다.',
        en: 'See the names with kubectl config get-contexts. Without --context, a kind cluster is made instead.',
      },
    );
  } else {
    const yes = await asker.confirm({
      message: {
        ko: `kind 클러스터(${options.name})를 만들까요? (몇 분 걸립니다)`,
        en: `Create the kind cluster ${options.name}? (takes a few minutes)`,
      },
      default: true,
      flag: '--yes',
    });
    if (!yes) throw new UserError({ ko: '클러스터 없이는 실습을 할 수 없습니다.', en: 'The labs need a cluster.' });
  }
  const reporter = createReporter(out, { plain: choosePlain(env.io, env.options.verbose), signal: env.signal });
  const cluster = await provider.up({ ...options, recreate }, reporter, env.signal);
  await writeClusterPorts(env.options.home, options.name, options.ports);
  return { cluster, fresh: !status.exists || recreate };
}

/**
 * Every time a lab is entered: another lab's reset may have removed what this one builds on (labs share the sample
 * apps and Services), and setup is idempotent.
 */
async function prepareLab(s: Session, lab: Lab): Promise<void> {
  if (lab.setup.length === 0) return;
  s.env.out.print(s.env.out.c.dim(s.env.out.t({ ko: '실습 준비 (예제 앱)…', en: 'Preparing the lab (sample apps)…' })));
  await runActions(lab.setup, s.ctx);
}

async function showStep(s: Session, lab: Lab, step: Step): Promise<void> {
  const { out } = s.env;
  // The files are also copied into the workspace, so the paths in the solution exist before "run it for me"; the
  // header names the copy, the file the commands apply and the learner edits. A tour writes nothing.
  const files = await Promise.all(
    step.show.map(async (path) => {
      const content = await readFile(join(s.ctx.paths.root, path), 'utf8');
      if (!path.startsWith('fixtures/')) return { path, content };
      if (s.tour || s.env.options.dryRun) return { path: workspacePath(s.ctx.paths.workspace, path), content };
      return { path: await copyToWorkspace(s.ctx.paths.root, s.ctx.paths.workspace, path), content };
    }),
  );
  const screen = renderStepScreen({
    lang: s.env.options.lang,
    colors: out.c,
    width: width(s.env),
    labTitle: out.t(lab.title),
    stepIndex: lab.steps.indexOf(step),
    stepCount: lab.steps.length,
    title: out.t(step.title),
    explainMd: out.t(step.explain),
    fill: (text) => previewTemplate(text, s.ctx),
    files,
    commands: actionCommands(step.actions, s.ctx),
    path: pathDiagram(s.env, lab, lastReceipt(s.progress, lab, step)),
  });
  await showPaged(s, screen);
  const note = s.room.note();
  if (note) out.print(out.c.magenta(`📣 ${out.t(note)}`));
  s.room.emit({ type: 'step', lab: lab.id, step: step.id, index: lab.steps.indexOf(step), count: lab.steps.length });
}

/** A screen taller than the terminal is shown a page at a time, so its top is read before it scrolls away. */
async function showPaged(s: Session, screen: string): Promise<void> {
  const { rows, columns } = s.env.io.stdout;
  const pages = s.env.interactive && !s.auto && rows ? pageLines(screen, rows - 2, columns ?? 80) : [screen];
  for (const [index, page] of pages.entries()) {
    s.env.out.raw(page + '\n');
    if (index < pages.length - 1)
      await s.asker.pressEnter({
        ko: `(${index + 1}/${pages.length}) Enter: 계속 보기`,
        en: `(${index + 1}/${pages.length}) Enter: more`,
      });
  }
}

async function save(s: Session): Promise<void> {
  if (!s.env.options.dryRun && !s.tour) await s.store.save(s.progress);
}

/**
 * Ctrl-C while the tool works on a step (its actions or its checks) stops that work and comes back to the choices;
 * the same key at a question leaves the program. One behaviour for every phase of a step.
 */
async function watched<T>(s: Session, work: (signal: AbortSignal) => Promise<T>): Promise<T | 'interrupted'> {
  const result = await interruptible(s.env.signal, work);
  if (!result.interrupted) return result.value;
  s.env.out.warn({ ko: '중단했습니다. 선택으로 돌아갑니다.', en: 'Interrupted: back to the choices.' });
  return 'interrupted';
}

/** Run the checks (polling until the deadline) and record how the step was done. */
async function check(
  s: Session,
  lab: Lab,
  step: Step,
  deadlineMs: number,
  how: DoneHow,
  prediction?: Prediction,
): Promise<'passed' | 'failed' | 'interrupted'> {
  const outcomes = await watched(s, (signal) =>
    verifyStep({ ...s.env, signal }, { ...s.ctx, signal }, step, { deadlineMs }),
  );
  if (outcomes === 'interrupted') return 'interrupted';
  s.progress = await loadProgress(s.env, s.store);
  const passed = recordOutcomes(s.progress, lab, step, outcomes, how);
  printMarkedPath(s.env, lab, outcomes);
  if (prediction) gradeAndRecord(s.env, s.progress, lab, step, prediction, outcomes);
  await save(s);
  s.room.emit(checkEvent(lab.id, step.id, outcomes));
  const { out } = s.env;
  if (passed)
    out.print(
      out.c.green(
        out.t({ ko: `✔ ${lab.steps.indexOf(step) + 1}단계 통과`, en: `✔ Step ${lab.steps.indexOf(step) + 1} passed` }),
      ),
    );
  else
    out.print(
      out.c.yellow(
        out.t({
          ko: '아직 통과하지 못했습니다. 힌트를 보거나 다시 시도하세요.',
          en: 'Not passed yet. Look at the hint, or try again.',
        }),
      ),
    );
  return passed ? 'passed' : 'failed';
}

/** "Run it for me": the step's actions, then its checks; Ctrl-C in either comes back to the choices. */
async function runForMe(
  s: Session,
  lab: Lab,
  step: Step,
  prediction?: Prediction,
): Promise<'passed' | 'failed' | 'interrupted'> {
  const ran = await watched(s, (signal) => runActions(step.actions, { ...s.ctx, signal }));
  if (ran === 'interrupted') return 'interrupted';
  return check(s, lab, step, step.within * 1000, s.auto ? 'auto' : 'run-for-me', prediction);
}

/** In a tour nothing can run: the choices that would need a cluster stay on screen, greyed, saying why. */
const NEEDS_CLUSTER = {
  ko: '투어 모드: 이 컴퓨터에는 클러스터가 없습니다',
  en: 'tour mode: there is no cluster on this machine',
};

async function chooseStepAction(s: Session): Promise<StepChoice> {
  const disabled = s.tour ? NEEDS_CLUSTER : false;
  return s.asker.select<StepChoice>({
    message: { ko: '어떻게 할까요?', en: 'What next?' },
    flag: '--auto',
    default: s.tour ? 'next' : 'run',
    choices: [
      { name: { ko: '대신 실행해 주세요', en: 'Run it for me' }, value: 'run', disabled },
      {
        name: {
          ko: '제가 직접 실행할게요 (확인이 통과할 때까지 지켜봅니다)',
          en: "I'll run it myself (checks watch until they pass)",
        },
        value: 'self',
        disabled,
      },
      { name: { ko: '힌트', en: 'Hint' }, value: 'hint' },
      { name: { ko: '풀이 보기', en: 'Show the solution' }, value: 'solution' },
      ...(s.tour
        ? [{ name: { ko: '다음 단계 읽기', en: 'Read the next step' }, value: 'next' as const }]
        : [{ name: { ko: '이 단계 건너뛰기', en: 'Skip this step' }, value: 'skip' as const }]),
      { name: { ko: '메뉴로', en: 'Back to the menu' }, value: 'menu' },
    ],
  });
}

/** Steps the learner finished on an earlier cluster, done again so the next step finds what it builds on. */
async function replayFinished(s: Session, lab: Lab): Promise<void> {
  if (!s.fresh || s.replayed.has(lab.id)) return;
  s.replayed.add(lab.id);
  const state = s.progress.labs[lab.id];
  const finished = lab.steps.filter((step) => state?.done.includes(step.id));
  if (finished.length === 0) return;
  const { out } = s.env;
  out.print({
    ko: `새 클러스터입니다. 전에 끝낸 단계를 다시 실행해 이어서 할 수 있게 합니다: ${finished.map((f) => f.id).join(', ')}`,
    en: `This cluster is new. Replaying the steps you had finished, so you can go on: ${finished.map((f) => f.id).join(', ')}`,
  });
  await replaySteps(lab, finished, s.ctx);
}

/** After a pass, the results stay on screen until the learner has read them (the next screen is long). */
async function pauseAfterPass(s: Session): Promise<void> {
  await s.asker.pressEnter({ ko: 'Enter 를 누르면 다음 단계로 갑니다…', en: 'Press Enter for the next step…' });
}

/** One lab, step by step, from where the learner left off. Returns when the lab is finished or the learner leaves. */
async function runLab(s: Session, lab: Lab): Promise<void> {
  const { out } = s.env;
  if (!s.tour) {
    await prepareLab(s, lab);
    await replayFinished(s, lab);
  }
  if (s.env.options.dryRun) {
    // The plan only: which commands each step would run. Nothing is checked or saved.
    for (const step of lab.steps) {
      out.print(out.c.bold(`▶ ${lab.id}/${step.id} — ${out.t(step.title)}`));
      await runActions(step.actions, s.ctx);
    }
    return;
  }
  for (;;) {
    // Read again each step: another terminal may have run verify, goto or reset meanwhile.
    if (!s.tour) s.progress = await loadProgress(s.env, s.store);
    const step = currentStep(lab, s.progress);
    if (!step) break;
    // After the reload, so `hint`, `verify` and `solve` from a second terminal target this lab.
    s.progress.lastLab = lab.id;
    labState(s.progress, lab.id).current = step.id;
    await save(s);
    await showStep(s, lab, step);
    if (s.auto) {
      if (s.tour) {
        skipStep(s.progress, lab, step);
        continue;
      }
      const result = await runForMe(s, lab, step);
      if (result === 'interrupted') throw new InterruptedError();
      if (result !== 'passed')
        throw new UserError({
          ko: `${lab.id}/${step.id} 확인에 실패했습니다.`,
          en: `${lab.id}/${step.id}: checks failed.`,
        });
      if (s.pause) await pauseAfterPass(s);
      continue;
    }
    let leave = false;
    for (let decided = false; !decided;) {
      throwIfInterrupted(s);
      const choice = await chooseStepAction(s);
      switch (choice) {
        case 'run': {
          const prediction = s.predict ? await askPrediction(s.env, s.asker, step) : undefined;
          decided = (await runForMe(s, lab, step, prediction)) === 'passed';
          if (decided) await pauseAfterPass(s);
          break;
        }
        case 'self': {
          const prediction = s.predict ? await askPrediction(s.env, s.asker, step) : undefined;
          out.print(
            wrapText(
              out.t({
                ko: '터미널을 하나 더 열고 아래 명령을 직접 입력하세요. 확인이 통과하면 다음으로 넘어갑니다 (Ctrl-C: 선택으로 돌아가기).',
                en: 'Open another terminal and type the commands below. When the checks pass we move on (Ctrl-C: back to the choices).',
              }),
              width(s.env),
            ),
          );
          for (const line of actionCommands(step.actions, s.ctx)) out.command(line);
          decided = (await check(s, lab, step, 30 * 60_000, 'typed', prediction)) === 'passed';
          if (decided) await pauseAfterPass(s);
          break;
        }
        case 'hint':
          s.room.emit({ type: 'hint', lab: lab.id, step: step.id });
          out.print(out.c.yellow('💡 ') + previewTemplate(out.t(step.hint), s.ctx));
          break;
        case 'solution':
          s.room.emit({ type: 'solution', lab: lab.id, step: step.id });
          out.raw(
            renderMarkdown(out.t(step.solution), {
              colors: out.c,
              width: width(s.env),
              fill: (text) => previewTemplate(text, s.ctx),
            }) + '\n',
          );
          break;
        case 'skip':
          s.room.emit({ type: 'skip', lab: lab.id, step: step.id });
          skipStep(s.progress, lab, step);
          await save(s);
          decided = true;
          break;
        case 'next':
          skipStep(s.progress, lab, step);
          await save(s);
          decided = true;
          break;
        case 'menu':
          decided = leave = true;
          break;
      }
    }
    if (leave) return;
  }
  const skipped = s.progress.labs[lab.id]?.skipped ?? [];
  if (skipped.length > 0 && !s.tour) {
    out.print({
      ko: `이 실습의 끝까지 왔지만 건너뛴 단계가 있습니다: ${skipped.join(', ')}. 메뉴에서 이 실습을 다시 고르면 그 단계부터 합니다.`,
      en: `You reached the end of this lab, with steps skipped: ${skipped.join(', ')}. Choose the lab again from the menu to do them.`,
    });
    labState(s.progress, lab.id).skipped = [];
    await save(s);
    return;
  }
  if (s.tour) delete s.progress.labs[lab.id];
  else s.room.emit({ type: 'finished', lab: lab.id });
  out.raw(
    renderMarkdown(
      [
        { heading: `${out.t({ ko: '실습 완료', en: 'Lab finished' })}: ${out.t(lab.title)}`, level: 2 },
        out.t(lab.recap),
      ],
      { colors: out.c, width: width(s.env) },
    ) + '\n',
  );
}

/** A Ctrl-C that arrived between two questions is not lost: it ends the program at the next one. */
function throwIfInterrupted(s: Session): void {
  if (s.env.signal.aborted) throw new InterruptedError();
}

type MenuChoice = { lab: Lab } | 'quit';

async function menu(s: Session): Promise<MenuChoice> {
  const { out } = s.env;
  const resume = s.progress.lastLab
    ? s.labs.find((l) => l.id === s.progress.lastLab && currentStep(l, s.progress))
    : undefined;
  const choice = await s.asker.select<string>({
    message: { ko: '실습을 고르세요', en: 'Choose a lab' },
    flag: `[lab] (e.g. ${toolCommand('start nodeport --auto')})`,
    default: resume?.id ?? s.labs.find((l) => currentStep(l, s.progress))?.id,
    choices: [
      ...s.labs.map((lab) => {
        const state = s.progress.labs[lab.id];
        const done = state?.done.length ?? 0;
        const mark = state?.finishedAt ? '✔' : done > 0 ? '…' : ' ';
        const missing = missingCapabilities(lab, s.capabilities);
        return {
          name: `${mark} ${String(lab.order).padStart(2, '0')} ${out.t(lab.title)}  (${done}/${lab.steps.length})`,
          value: lab.id,
          description: lab.summary,
          disabled: missing.length
            ? { ko: `이 클러스터에 없음: ${missing.join(', ')}`, en: `this cluster has no ${missing.join(', ')}` }
            : false,
        };
      }),
      ...(s.tour
        ? []
        : [
            { name: { ko: '실습 초기화 (reset)…', en: 'Reset a lab…' }, value: ':reset' },
            { name: { ko: '단계로 이동 (goto)…', en: 'Go to a step (goto)…' }, value: ':goto' },
          ]),
      { name: { ko: '끝내기', en: 'Quit' }, value: ':quit' },
    ],
  });
  if (choice === ':quit') return 'quit';
  if (choice === ':reset' || choice === ':goto') {
    const lab = findLab(
      s.labs,
      await s.asker.select({
        message: { ko: '어느 실습?', en: 'Which lab?' },
        flag: '<lab>',
        choices: s.labs.map((l) => ({ name: out.t(l.title), value: l.id })),
      }),
    );
    if (choice === ':reset') {
      await (
        await import('./reset.js')
      ).run({ ...s.env, options: { ...s.env.options, yes: true } }, { args: [lab.id], opts: {} });
    } else {
      const step = await s.asker.select({
        message: { ko: '어느 단계?', en: 'Which step?' },
        flag: '<lab/step>',
        choices: lab.steps.map((st) => ({ name: out.t(st.title), value: st.id })),
      });
      await (await import('./goto.js')).run(s.env, { args: [`${lab.id}/${step}`], opts: {} });
    }
    const reloaded = await s.store.load();
    s.progress = reloaded.progress;
    return menu(s);
  }
  return { lab: findLab(s.labs, choice) };
}

const TOUR_BANNER = {
  ko: '투어 모드: 모든 단계의 설명, YAML, 명령을 읽으며 따라갈 수 있습니다. 아무것도 실행하거나 확인하지 않고, 진행 상황도 저장하지 않습니다.',
  en: 'Tour mode: read every step, its YAML and its commands and follow along; nothing is run or checked, and no progress is saved.',
};

/** No Docker or cluster on this machine: the same menu and step screens, with running and checking turned off. */
async function tourSession(
  env: CommandEnv,
  labs: Lab[],
  asker: Asker,
  auto: boolean,
  room: EventSink,
): Promise<Session> {
  const cluster = offlineCluster(env);
  const store = progressStore(env);
  env.out.print(env.out.c.bold(wrapText(env.out.t(TOUR_BANNER), width(env))));
  return {
    env,
    ctx: labContext(env, cluster),
    labs,
    store,
    progress: emptyProgress(cluster.name),
    asker,
    capabilities: { loadBalancer: true, ingress: true, gateway: true },
    fresh: false,
    replayed: new Set(),
    auto,
    pause: false,
    tour: true,
    room,
    // Nothing runs in a tour, so there is nothing to predict.
    predict: false,
  };
}

/** doctor found a blocker: say how to follow along anyway, and offer it when someone is at the keyboard. */
async function offerTour(env: CommandEnv, asker: Asker): Promise<boolean> {
  if (!env.interactive) {
    env.out.print(
      wrapText(
        env.out.t({
          ko: `이 컴퓨터에서 실습을 실행할 수 없다면, 읽으며 따라가는 투어 모드가 있습니다: ${unbroken(toolCommand('start --tour'))}`,
          en: `If the labs cannot run on this machine, tour mode lets you follow along: ${unbroken(toolCommand('start --tour'))}`,
        }),
        width(env),
      ),
    );
    return false;
  }
  return asker.confirm({
    message: {
      ko: '위 문제 때문에 실습을 실행할 수 없습니다. 투어 모드로 따라갈까요? (읽기만, 아무것도 실행하지 않음)',
      en: 'The problems above keep the labs from running. Follow along in tour mode instead? (read only, nothing runs)',
    },
    default: true,
    flag: '--tour',
  });
}

/** The guided path: doctor, cluster, lab menu, steps; resumable at any point. */
export const run: CommandRun = async (env, { args, opts }) => {
  const { out } = env;
  const labs = await labsOf();
  const chosen = args[0] ? findLab(labs, args[0]) : undefined;
  let tour = Boolean(opts.tour);
  const auto = Boolean(opts.auto) || env.options.dryRun;
  const asker = createAsker({
    lang: env.options.lang,
    interactive: env.interactive,
    yes: env.options.yes,
    input: env.io.stdin,
    output: env.io.stdout,
    accessible: isAccessible(env),
    signal: env.signal,
  });
  const room = env.options.dryRun ? NO_ROOM : await joinRoom(env, asker, opts);
  // doctor first, even without a terminal: a CI run must hear that Docker is missing, not only that nobody can answer.
  if (
    !tour &&
    !opts.skipDoctor &&
    !env.options.dryRun &&
    !(await diagnose(env, undefined, (r) => room.emit(doctorEvent(r))))
  ) {
    if (!(await offerTour(env, asker))) return room.close().then(() => EXIT.failure);
    tour = true;
  }
  if (!env.interactive && !auto) {
    await room.close();
    // Before minutes of cluster work, not at the lab menu afterwards.
    throw new UsageError(
      { ko: '터미널이 아니어서 실습 메뉴를 물을 수 없습니다.', en: 'There is no terminal to show the lab menu on.' },
      {
        ko: `--auto 로 실행하세요 (예: ${toolCommand('start nodeport --auto --yes')}).`,
        en: `Run it with --auto (e.g. ${toolCommand('start nodeport --auto --yes')}).`,
      },
    );
  }
  const session = tour
    ? await tourSession(env, labs, asker, auto, room)
    : await clusterSession(env, labs, asker, opts, auto, room);
  if (auto || chosen) {
    for (const lab of chosen ? [chosen] : labs) {
      const missing = missingCapabilities(lab, session.capabilities);
      if (missing.length) {
        out.warn(labSkippedMessage(lab, missing));
        continue;
      }
      await runLab(session, lab);
      if (!auto) break;
    }
  }
  if (!auto) {
    for (let choice = await menu(session); choice !== 'quit'; choice = await menu(session))
      await runLab(session, choice.lab);
  }
  if (tour) {
    await room.close();
    out.print(
      wrapText(
        out.t({
          ko: `투어를 마쳤습니다. Docker 가 있는 컴퓨터에서는 ${unbroken(toolCommand('start'))} 로 직접 해 볼 수 있습니다.`,
          en: `End of the tour. On a machine with Docker, ${unbroken(toolCommand('start'))} lets you do it for real.`,
        }),
        width(env),
      ),
    );
    return EXIT.ok;
  }
  if (env.options.dryRun) {
    out.print({
      ko: '--dry-run: 위 명령을 하나도 실행하지 않았습니다.',
      en: '--dry-run: none of the commands above was run.',
    });
    return EXIT.ok;
  }
  await save(session);
  await room.close();
  out.print({
    ko: `진행 상황을 저장했습니다. 이어서 하려면: ${toolCommandHere(env.options, 'start')}`,
    en: `Progress saved. To continue: ${toolCommandHere(env.options, 'start')}`,
  });
  return EXIT.ok;
};

/** The cluster (made, reused, or the plan of it under --dry-run) and the learner's saved progress. */
async function clusterSession(
  env: CommandEnv,
  labs: Lab[],
  asker: Asker,
  opts: Record<string, unknown>,
  auto: boolean,
  room: EventSink,
): Promise<Session> {
  const { out } = env;
  const provider = await env.deps.provider(env.options);
  const { cluster, fresh } = env.options.dryRun
    ? (await provider.up(
        { ...clusterOptions(env.options), recreate: false },
        createReporter(out, { plain: true, signal: env.signal, dryRun: true }),
        env.signal,
      ),
      { cluster: offlineCluster(env), fresh: false })
    : await ensureCluster(env, provider, asker, Boolean(opts.recreate));
  const capabilities = env.options.dryRun
    ? { loadBalancer: true, ingress: true, gateway: true }
    : await provider.capabilities(cluster);
  const unavailable = labs.filter((lab) => missingCapabilities(lab, capabilities).length > 0);
  if (unavailable.length) {
    out.warn({
      ko: `이 클러스터에서는 할 수 없는 실습: ${unavailable.map((l) => `${l.id} (${missingCapabilities(l, capabilities).join(', ')} 없음)`).join(', ')}`,
      en: `Labs this cluster cannot run: ${unavailable.map((l) => `${l.id} (no ${missingCapabilities(l, capabilities).join(', ')})`).join(', ')}`,
    });
  }
  const store = progressStore(env);
  return {
    env,
    ctx: labContext(env, cluster),
    labs,
    store,
    progress: await loadProgress(env, store),
    asker,
    capabilities,
    fresh,
    replayed: new Set(),
    auto,
    pause: Boolean(opts.pause),
    tour: false,
    room,
    predict: !auto && opts.predict !== false,
  };
}
