import { UserError } from '../core/errors.js';
import type { LabContext } from '../contract/context.js';
import type { CommandResult } from '../platform/command.js';
import { toolCommand } from '../platform/invocation.js';

/**
 * Run kubectl for an action: show the line, show the output, and fail with kubectl's own words.
 * With `expectError`, the call must fail with that text (the post's legacy YAML being rejected, shown to the learner).
 */
export async function kubectlStep(ctx: LabContext, args: string[], expectError?: string): Promise<CommandResult> {
  const result = await ctx.cluster.kubectl(args, { signal: ctx.signal });
  const text = (result.stdout + result.stderr).trim();
  if (text) ctx.log.output(text);
  const line = ctx.cluster.kubectlLine(args);
  if (expectError !== undefined) {
    if (!result.failed || !result.stderr.includes(expectError)) {
      throw new UserError(
        {
          ko: `이 명령은 "${expectError}" 오류로 실패해야 하는데 그렇지 않았습니다: ${line}`,
          en: `This command was expected to fail with "${expectError}", but it did not: ${line}`,
        },
        {
          ko: `클러스터 버전이 예상과 다를 수 있습니다. ${toolCommand()} doctor 를 실행해 보세요.`,
          en: `The cluster version may differ from the one expected. Run ${toolCommand()} doctor.`,
        },
      );
    }
    return result;
  }
  if (result.failed) {
    throw new UserError({
      ko: `kubectl이 실패했습니다: ${line}\n${result.stderr.trim()}`,
      en: `kubectl failed: ${line}\n${result.stderr.trim()}`,
    });
  }
  return result;
}
