import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { workspacePath } from '../actions/workspace-copy.js';
import { labContext, labToRead, offlineCluster, outputLog } from './session.js';
import { actionCommands, checkCommand } from '../engine/step-lines.js';
import { previewTemplate } from '../engine/template.js';
import { renderMarkdown } from '../ui/markdown.js';
import { renderStepScreen } from '../ui/step-screen.js';
import { toolCommand } from '../platform/invocation.js';
import type { CommandRun } from './types.js';
import { EXIT } from '../core/errors.js';

/** Read a lab offline: every step as the learner will see it, with its commands, checks, hint and solution. */
export const run: CommandRun = async (env, { args, opts }) => {
  const solutions = Boolean(opts.solutions);
  const { lab, lexed } = await labToRead(args[0]!);
  const { out } = env;
  const ctx = labContext(env, offlineCluster(env), outputLog(env));
  const width = Math.min(env.io.stdout.columns ?? 80, 100);
  const fill = (text: string): string => previewTemplate(text, ctx);
  const markdown = { colors: out.c, width, lexed };
  out.raw(renderMarkdown([{ heading: out.t(lab.title), level: 1 }, out.t(lab.summary)], markdown) + '\n');
  for (const [index, step] of lab.steps.entries()) {
    const files = await Promise.all(
      // Named as the workspace copy the commands below apply (start copies it there), not the package's fixture.
      step.show.map(async (path) => ({
        path: path.startsWith('fixtures/') ? workspacePath(ctx.paths.workspace, path) : path,
        content: await readFile(join(ctx.paths.root, path), 'utf8'),
      })),
    );
    out.raw(
      renderStepScreen({
        lang: env.options.lang,
        colors: out.c,
        width,
        labTitle: out.t(lab.title),
        stepIndex: index,
        stepCount: lab.steps.length,
        title: out.t(step.title),
        explainMd: out.t(step.explain),
        fill,
        lexed,
        files,
        commands: actionCommands(step.actions, ctx),
      }) + '\n',
    );
    out.print(out.c.bold(out.t({ ko: '확인 항목', en: 'Checks' })));
    for (const check of step.checks) {
      const title = check.title ? out.t(check.title) : check.name;
      out.print(`  • ${title}\n    ${out.c.dim('$ ' + checkCommand(check, ctx))}`);
    }
    out.print(`\n${out.c.bold(out.t({ ko: '힌트', en: 'Hint' }))}: ${previewTemplate(out.t(step.hint), ctx)}`);
    // Solutions only on request: read under the hint, they spoil the step.
    if (solutions)
      out.raw(
        renderMarkdown([{ label: out.t({ ko: '풀이', en: 'Solution' }) }, out.t(step.solution)], {
          ...markdown,
          fill,
        }) + '\n',
      );
  }
  if (!solutions)
    out.print(
      out.c.dim(
        out.t({
          ko: `풀이도 보려면: ${toolCommand(`show ${lab.id} --solutions`)}`,
          en: `With the solutions: ${toolCommand(`show ${lab.id} --solutions`)}`,
        }),
      ),
    );
  out.raw(renderMarkdown([{ label: out.t({ ko: '정리', en: 'Recap' }) }, out.t(lab.recap)], markdown) + '\n');
  return EXIT.ok;
};
