import { connectCluster, findLab, labContext, labsOf, loadProgress, progressStore } from './session.js';
import { labActions, undoActions } from '../engine/runner.js';
import { createAsker } from '../ui/prompts.js';
import { isAccessible } from './path-view.js';
import type { CommandRun } from './types.js';
import { EXIT } from '../core/errors.js';

/** Undo what a lab's steps made (or every lab's) and forget that progress. The sample apps stay. */
export const run: CommandRun = async (env, { args }) => {
  const labs = await labsOf();
  const chosen = args[0] ? [findLab(labs, args[0])] : labs;
  const asker = createAsker({
    lang: env.options.lang,
    interactive: env.interactive,
    yes: env.options.yes,
    input: env.io.stdin,
    output: env.io.stdout,
    accessible: isAccessible(env),
    signal: env.signal,
  });
  const names = chosen.map((l) => l.id).join(', ');
  const several = chosen.length > 1;
  // A dry run removes nothing, so there is nothing to agree to. Every lab at once is a bigger undo: default No.
  const sure =
    env.options.dryRun ||
    (await asker.confirm({
      message: several
        ? {
            ko: `실습 ${chosen.length}개(${names})가 만든 것을 모두 지우고 진행 상황을 초기화할까요?`,
            en: `Remove what all ${chosen.length} labs (${names}) made and clear their progress?`,
          }
        : {
            ko: `${names} 실습이 만든 것을 지우고 진행 상황을 초기화할까요?`,
            en: `Remove what ${names} made and clear its progress?`,
          },
      default: !several,
      flag: '--yes',
    }));
  if (!sure) return EXIT.failure;
  const store = progressStore(env);
  const progress = await loadProgress(env, store);
  const ctx = labContext(env, await connectCluster(env));
  for (const lab of [...chosen].reverse()) {
    env.out.print({ ko: `▶ ${lab.id} 초기화`, en: `▶ resetting ${lab.id}` });
    await undoActions(labActions(lab), ctx);
    delete progress.labs[lab.id];
    if (progress.lastLab === lab.id) delete progress.lastLab;
  }
  if (!env.options.dryRun) await store.save(progress);
  env.out.print(
    env.options.dryRun
      ? { ko: '--dry-run: 아무것도 지우지 않았습니다.', en: '--dry-run: nothing was removed.' }
      : { ko: '초기화했습니다.', en: 'Reset done.' },
  );
  return EXIT.ok;
};
