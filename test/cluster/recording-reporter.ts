import type { Reporter } from '../../src/core/reporter.js';
import { tr, type Message } from '../../src/core/i18n.js';

/** A Reporter that runs each task at once and remembers titles, notes and which tasks failed. */
export function recordingReporter() {
  const events: string[] = [];
  const reporter: Reporter = {
    async task(title, run) {
      events.push(`task: ${tr(title, 'en')}`);
      try {
        return await run(new AbortController().signal);
      } catch (error) {
        events.push(`failed: ${tr(title, 'en')}`);
        throw error;
      }
    },
    note(message: Message) {
      events.push(`note: ${tr(message, 'en')}`);
    },
  };
  return { reporter, events, notes: () => events.filter((e) => e.startsWith('note: ')).map((e) => e.slice(6)) };
}
