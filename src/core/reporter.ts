import type { Message } from './i18n.js';

/**
 * How a provider shows its work: each named step runs as one task the learner sees (a task list on a TTY,
 * plain lines elsewhere), and every command is shown before it runs.
 */
export interface Reporter {
  task<T>(title: Message, run: (signal: AbortSignal) => Promise<T>): Promise<T>;
  note(message: Message): void;
}
