import { UserError } from '../core/errors.js';
import { toolCommand } from '../platform/invocation.js';

/** `down` or a clean-up tried every part; these could not be removed (one line each). */
export class CleanupError extends UserError {
  constructor(readonly parts: string[]) {
    super(
      {
        ko: `지우지 못한 것:\n${parts.map((p) => `  - ${p}`).join('\n')}`,
        en: `Could not remove:\n${parts.map((p) => `  - ${p}`).join('\n')}`,
      },
      {
        ko: `Docker 엔진이 돌고 있는지 ${toolCommand()} doctor 로 확인한 뒤 ${toolCommand()} down 을 다시 실행하세요.`,
        en: `Check the Docker engine with ${toolCommand()} doctor, then run ${toolCommand()} down again.`,
      },
    );
  }
}
