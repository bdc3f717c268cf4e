import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isolationFlags,
  LAUNCHER,
  labText,
  learnerEnv,
  makeLabDir,
  removeLabDirs,
  requireBuiltLauncher,
  type LabDir,
  type LabText,
} from './lab-run.js';
import { launcherLine, tmuxAvailable, tmuxServer, type Pane, type Size } from './tmux-session.js';

/**
 * `expose-labs start` in a real terminal, driven key by key as a learner would: tmux gives the CLI a TTY,
 * `send-keys` types, `capture-pane` reads what is on the screen. The CLI is the built one, with the cluster
 * double handed in by the test launcher, so this is the double and not kind.
 */
const hasTmux = tmuxAvailable('start-in-tmux');
const server = tmuxServer('tui');
const env = learnerEnv();

interface Launch extends Size {
  env?: Record<string, string>;
}

/** `expose-labs start --skip-doctor <args>` in a new session, without colour; the shell prints `EXIT=<code>` after. */
function launch(session: string, dir: LabDir, args: string[], { env: extra = {}, ...size }: Launch = {}): Pane {
  const line = launcherLine(['start', '--skip-doctor', ...args], {
    NO_COLOR: '1',
    EXPOSE_LABS_HOME: dir.home,
    ...extra,
  });
  return server.open(session, line, size);
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Only the prompt waiting for an answer starts with "? "; an answered one turns into "✔ question answer".
const whatNext = /^\? What next\?/m;

describe.skipIf(!hasTmux)('start in a real terminal (tmux, cluster double)', () => {
  let lab: LabText;
  let dir: LabDir;
  let stepCount: number;

  beforeAll(async () => {
    requireBuiltLauncher();
    lab = await labText('01-nodeport');
    stepCount = lab.stepChecks.length;
    dir = await makeLabDir();
  });

  afterAll(async () => {
    server.close();
    await removeLabDirs();
  });

  it('menu → step 1 → run it for me → checks pass → step 2 → back to the menu → quit (exit 0)', async () => {
    const t = launch('first', dir, await isolationFlags(dir));
    await t.waitForScreen(/^\? Create the kind cluster expose-labs\?.*\(Y\/n\)/m);
    t.press('Enter');
    await t.waitForScreen(/^\? Choose a lab\n❯ .*01 NodePort/m);
    t.press('Enter');
    await t.waitForScreen(new RegExp(`Step 1 of ${stepCount}[\\s\\S]*${whatNext.source}`, 'm'));
    t.press('Enter');
    await t.waitForScreen(/^✔ What next\? Run it for me$/m);
    // Before the checks, a prediction: the first choice is what the packets then do (jordy pods answer).
    await t.waitForScreen(/^\? Predict — /m);
    t.press('Enter');
    for (const title of lab.stepChecks[0]!) await t.waitForScreen(new RegExp(`^✔ ${escape(title)}`, 'm'));
    await t.waitForScreen(/^✔ Your prediction was right: .+$/m);
    // The results stay on screen until the learner has read them: the next step waits for Enter.
    await t.waitForScreen(/^✔ Step 1 passed\n\? Press Enter for the next step…/m);
    await sleep(300);
    expect(t.screen()).not.toContain(`Step 2 of ${stepCount}`);
    t.press('Enter');
    await t.waitForScreen(new RegExp(`Step 2 of ${stepCount}[\\s\\S]*${whatNext.source}`, 'm'));
    // Up from the first choice wraps to the last one, "Back to the menu".
    t.press('Up', 'Enter');
    await t.waitForScreen(/^✔ What next\? Back to the menu\n[\s\S]*^\? Choose a lab/m);
    t.press('Up', 'Enter');
    const end = await t.waitForScreen(/^EXIT=\d+/m);
    expect(end).toMatch(/^✔ Choose a lab Quit$/m);
    expect(end).toMatch(/^Progress saved\. To continue: npx expose-labs start\nEXIT=0$/m);
  }, 45_000);

  it('resumes on step 2; Ctrl-C while watching goes back to the choices, Ctrl-C at the menu exits 130', async () => {
    const t = launch('resume', dir, await isolationFlags(dir));
    await t.waitForScreen(/^\? Create the kind cluster expose-labs\?/m);
    t.press('Enter');
    await t.waitForScreen(new RegExp(`^\\? Choose a lab\\n❯ .*01 NodePort.*\\(1/${stepCount}\\)`, 'm'));
    t.press('Enter');
    const resumed = await t.waitForScreen(new RegExp(`Step 2 of ${stepCount}[\\s\\S]*${whatNext.source}`, 'm'));
    expect(resumed).not.toContain(`Step 1 of ${stepCount}`);

    // "I'll run it myself": nobody types the commands, so the checks keep reporting "not yet" until Ctrl-C.
    t.press('Down', 'Enter');
    // The prediction comes first; Up wraps to its last choice, skipping it.
    await t.waitForScreen(/^\? Predict — /m);
    t.press('Up', 'Enter');
    await t.waitForScreen(/^✔ Predict — .* Skip the prediction$/m);
    await t.waitForScreen(/^✔ What next\? I'll run it myself.*\n[\s\S]*not yet/m);
    expect(t.screen()).not.toMatch(whatNext);
    t.press('C-c');
    const back = await t.waitForScreen(/interrupted[\s\S]*^\? What next\?/m);
    expect(back).not.toMatch(/^EXIT=/m);

    t.press('Up', 'Enter');
    await t.waitForScreen(/^✔ What next\? Back to the menu\n[\s\S]*^\? Choose a lab/m);
    t.press('C-c');
    const end = await t.waitForScreen(/^EXIT=\d+/m);
    expect(end).toMatch(/^Interrupted\. Your progress is saved\.\nEXIT=130$/m);
    expect(end).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  }, 45_000);

  it('speaks Korean with --lang ko', async () => {
    const ko = await makeLabDir();
    const t = launch('korean', ko, ['--lang', 'ko', ...(await isolationFlags(ko))]);
    // No `expose-labs을(를)`: the particle follows a Korean word, and the answer is echoed in Korean.
    await t.waitForScreen(/^\? kind 클러스터\(expose-labs\)를 만들까요\?/m);
    t.press('Enter');
    await t.waitForScreen(/^✔ kind 클러스터\(expose-labs\)를 만들까요\? \(몇 분 걸립니다\) 예$/m);
    await t.waitForScreen(/^\? 실습을 고르세요\n❯ .*01 /m);
    t.press('Up', 'Enter');
    const end = await t.waitForScreen(/^EXIT=\d+/m);
    expect(end).toMatch(/^✔ 실습을 고르세요 끝내기$/m);
    expect(end).toMatch(/^진행 상황을 저장했습니다\. 이어서 하려면: npx expose-labs start\nEXIT=0$/m);
  }, 30_000);

  it('hint from a second terminal names the lab the learner is in, not the first one (item 1)', async () => {
    const second = await makeLabDir();
    const flags = await isolationFlags(second);
    const t = launch('second-terminal', second, flags);
    await t.waitForScreen(/^\? Create the kind cluster/m);
    t.press('Enter');
    await t.waitForScreen(/^\? Choose a lab\n❯ .*01 /m);
    t.press('Down', 'Enter');
    await t.waitForScreen(new RegExp(`LoadBalancer[\\s\\S]*${whatNext.source}`, 'm'));
    const hint = spawnSync(process.execPath, [LAUNCHER, 'hint', ...flags], {
      encoding: 'utf8',
      env: { ...env, NO_COLOR: '1', EXPOSE_LABS_HOME: second.home },
    });
    expect(hint.stdout).toMatch(/^loadbalancer\//m);
    t.press('C-c');
    await t.waitForScreen(/^EXIT=130$/m);
  }, 45_000);

  it('Ctrl-C while "Run it for me" runs an action comes back to the choices, like during checks', async () => {
    const slow = await makeLabDir();
    // --no-predict: straight from the choice to the action, which is what this test interrupts.
    const t = launch('ctrl-c-action', slow, [...(await isolationFlags(slow)), '--no-predict'], {
      env: { EXPOSE_LABS_TEST_SLOW_APPLY: 'jordy-node-port-svc' },
    });
    await t.waitForScreen(/^\? Create the kind cluster/m);
    t.press('Enter');
    await t.waitForScreen(/^\? Choose a lab\n❯ .*01 /m);
    t.press('Enter');
    await t.waitForScreen(whatNext);
    t.press('Enter');
    await t.waitForScreen(/^\$ kubectl --context kind-expose-labs apply -f .*jordy-node-port-svc\.yaml$/m);
    t.press('C-c');
    const back = await t.waitForScreen(/Interrupted: back to the choices\.\n\? What next\?/m);
    expect(back).not.toMatch(/^EXIT=/m);
    // The next Ctrl-C, at the question, leaves: none is lost.
    t.press('C-c');
    expect(await t.waitForScreen(/^EXIT=\d+/m)).toMatch(/^EXIT=130$/m);
  }, 45_000);

  it('a step taller than the terminal is shown a page at a time (60 columns, 20 rows)', async () => {
    const small = await makeLabDir();
    const t = launch('pages', small, await isolationFlags(small), { width: 60, height: 20 });
    await t.waitForScreen(/^\? Create the kind cluster/m);
    t.press('Enter');
    await t.waitForScreen(/^\? Choose a lab/m);
    t.press('Enter');
    const first = await t.waitForScreen(/^\? \(1\/\d+\) Enter: more/m);
    expect(first).toContain(`Step 1 of ${stepCount}`);
    expect(first).not.toMatch(whatNext);
    for (let page = 0; page < 10 && !whatNext.test(t.screen()); page++) {
      t.press('Enter');
      await sleep(400);
    }
    await t.waitForScreen(whatNext);
    t.press('C-c');
    await t.waitForScreen(/^EXIT=130$/m);
  }, 45_000);

  it('tour mode: the same screens, with "Run it for me" and the checks greyed out, saying why (item 11)', async () => {
    const tour = await makeLabDir();
    const t = launch('tour', tour, ['--tour', ...(await isolationFlags(tour))]);
    await t.waitForScreen(/^Tour mode: /m);
    await t.waitForScreen(/^\? Choose a lab\n❯ .*01 /m);
    expect(t.screen()).not.toContain('Reset a lab');
    t.press('Enter');
    const step = await t.waitForScreen(new RegExp(`Step 1 of ${stepCount}[\\s\\S]*${whatNext.source}`, 'm'));
    expect(step).toMatch(/Run it for me.*tour mode: there is no cluster on this machine/);
    expect(step).toMatch(/I'll run it myself.*tour mode: there is no cluster on this machine/);
    expect(step).toMatch(/^❯ Read the next step/m);
    t.press('Enter');
    await t.waitForScreen(new RegExp(`Step 2 of ${stepCount}`));
    t.press('Enter');
    await t.waitForScreen(/Lab finished[\s\S]*^\? Choose a lab/m);
    t.press('Up', 'Enter');
    const end = await t.waitForScreen(/^EXIT=\d+/m);
    expect(end).toMatch(/^End of the tour\. .*\nEXIT=0$/m);
  }, 45_000);
});
