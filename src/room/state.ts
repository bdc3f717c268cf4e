import type { CheckSummary } from '../core/learner-events.js';
import type { Text } from '../core/i18n.js';
import type { Note } from './schema.js';
import type { StoredRecord } from './store.js';

/** The labs as the room's page lays them out: one column per step, in order. */
export interface RoomLab {
  id: string;
  title: Text;
  steps: { id: string; title: Text }[];
}

interface Observation {
  lab: string;
  step: string;
  at: string;
  passed: boolean;
  checks: CheckSummary[];
}

interface Seat {
  seat: string;
  name: string;
  imported: boolean;
  version?: string;
  doctor?: { ok: boolean; failures: number; warnings: number };
  lab?: string;
  step?: string;
  /** When the current step was entered, on the server's clock. */
  enteredAt?: number;
  /** Smallest (receive time − laptop time) seen: the laptop's clock offset plus the shortest delivery delay. */
  offset: number;
  done: Set<string>;
  skipped: Set<string>;
  /** Lab id → when the learner finished it (the laptop's clock, as `status --report` has it). */
  finished: Map<string, string>;
  /** The last verdicts per `lab/step`. */
  checks: Map<string, Observation>;
  last?: Observation;
  hints: number;
  solutions: number;
  events: number;
}

export interface RoomOptions {
  /** A seat is stuck when its time on the step passes twice the room's median and at least this. */
  minStuckMs: number;
}

const key = (lab: string, step: string) => `${lab}/${step}`;

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Everything the room knows, rebuilt from the event file in order: nothing else is kept. */
export class RoomState {
  private readonly seats = new Map<string, Seat>();
  private readonly ids = new Set<string>();
  private noteValue: Note | undefined;
  events = 0;

  constructor(
    readonly labs: RoomLab[],
    private readonly options: RoomOptions,
  ) {}

  /** Already stored? A laptop resends what it did not see acknowledged; it must be counted once. */
  has(id: string): boolean {
    return this.ids.has(id);
  }

  note(): Note | undefined {
    return this.noteValue;
  }

  private seatOf(id: string, name: string): Seat {
    let seat = this.seats.get(id);
    if (!seat) {
      seat = {
        seat: id,
        name,
        imported: false,
        offset: Number.POSITIVE_INFINITY,
        done: new Set(),
        skipped: new Set(),
        finished: new Map(),
        checks: new Map(),
        hints: 0,
        solutions: 0,
        events: 0,
      };
      this.seats.set(id, seat);
    }
    seat.name = name;
    return seat;
  }

  apply(record: StoredRecord): void {
    if (record.kind === 'note') {
      this.noteValue = record.note.ko || record.note.en ? record.note : undefined;
      return;
    }
    if (record.kind === 'report') {
      const seat = this.seatOf(record.report.seat, record.report.name);
      seat.imported = true;
      for (const lab of record.report.labs)
        for (const step of lab.steps) {
          if (step.done) seat.done.add(key(lab.id, step.id));
          if (step.checks.length)
            seat.checks.set(key(lab.id, step.id), {
              lab: lab.id,
              step: step.id,
              at: new Date(record.rx).toISOString(),
              passed: step.checks.every((c) => c.verdict === 'pass'),
              checks: step.checks,
            });
        }
      return;
    }
    const e = record.event;
    if (this.ids.has(e.id)) return;
    this.ids.add(e.id);
    this.events++;
    const seat = this.seatOf(e.seat, e.name);
    seat.events++;
    const laptopTime = Date.parse(e.at);
    seat.offset = Math.min(seat.offset, record.rx - laptopTime);
    const serverTime = laptopTime + seat.offset;
    switch (e.type) {
      case 'hello':
        seat.version = e.version;
        break;
      case 'doctor':
        seat.doctor = { ok: e.ok, failures: e.failures, warnings: e.warnings };
        break;
      case 'step':
        [seat.lab, seat.step, seat.enteredAt] = [e.lab, e.step, serverTime];
        break;
      case 'check': {
        const observation = { lab: e.lab, step: e.step, at: e.at, passed: e.passed, checks: e.checks };
        seat.checks.set(key(e.lab, e.step), observation);
        seat.last = observation;
        if (e.passed) {
          seat.done.add(key(e.lab, e.step));
          seat.skipped.delete(key(e.lab, e.step));
        }
        break;
      }
      case 'skip':
        seat.skipped.add(key(e.lab, e.step));
        break;
      case 'goto': {
        // goto replays the steps before its target: they are done, the target is where the learner now is.
        const steps = this.labs.find((l) => l.id === e.lab)?.steps ?? [];
        const target = steps.findIndex((s) => s.id === e.step);
        for (const step of steps.slice(0, Math.max(target, 0))) seat.done.add(key(e.lab, step.id));
        [seat.lab, seat.step, seat.enteredAt] = [e.lab, e.step, serverTime];
        break;
      }
      case 'hint':
        seat.hints++;
        break;
      case 'solution':
        seat.solutions++;
        break;
      case 'finished':
        seat.finished.set(e.lab, e.at);
        if (seat.lab === e.lab) [seat.lab, seat.step, seat.enteredAt] = [undefined, undefined, undefined];
        break;
    }
  }

  /** The JSON of `/api/room`, which the page draws. */
  view(now: number) {
    const seats = [...this.seats.values()];
    const onStep = seats.filter((s) => s.enteredAt !== undefined && s.step);
    const medianMs = median(onStep.map((s) => now - s.enteredAt!));
    const stuckAfter = Math.max(2 * medianMs, this.options.minStuckMs);
    const failing = new Map<string, { lab: string; step: string; check: string; failure: string; seats: number }>();
    for (const seat of onStep) {
      const seen = seat.checks.get(key(seat.lab!, seat.step!));
      if (!seen || seen.passed) continue;
      for (const check of seen.checks) {
        if (check.verdict === 'pass') continue;
        const failure = check.failure ?? check.verdict;
        const k = `${seen.lab}/${seen.step}/${check.title}/${failure}`;
        const entry = failing.get(k) ?? { lab: seen.lab, step: seen.step, check: check.title, failure, seats: 0 };
        entry.seats++;
        failing.set(k, entry);
      }
    }
    return {
      now,
      events: this.events,
      note: this.noteValue ?? null,
      labs: this.labs,
      medianMs,
      doctor: {
        ready: seats.filter((s) => s.doctor?.ok).length,
        notReady: seats.filter((s) => s.doctor && !s.doctor.ok).length,
        unknown: seats.filter((s) => !s.doctor).length,
      },
      failing: [...failing.values()].sort((a, b) => b.seats - a.seats || a.check.localeCompare(b.check)),
      seats: seats
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((s) => {
          const elapsedMs = s.enteredAt === undefined ? null : now - s.enteredAt;
          const current = s.lab && s.step ? s.checks.get(key(s.lab, s.step)) : undefined;
          return {
            seat: s.seat,
            name: s.name,
            imported: s.imported,
            version: s.version ?? null,
            doctor: s.doctor ?? null,
            lab: s.lab ?? null,
            step: s.step ?? null,
            elapsedMs,
            stuck: elapsedMs !== null && elapsedMs > stuckAfter,
            failingNow: Boolean(current && !current.passed),
            done: [...s.done],
            skipped: [...s.skipped],
            finished: [...s.finished.keys()],
            hints: s.hints,
            solutions: s.solutions,
            events: s.events,
            last: s.last ?? null,
          };
        }),
    };
  }

  /** Per learner, the same JSON `status --report` writes (src/commands/status.ts), from what the room saw. */
  report(now: number) {
    return {
      exportedAt: new Date(now).toISOString(),
      learners: [...this.seats.values()].map((s) => ({
        name: s.name,
        seat: s.seat,
        imported: s.imported,
        labs: this.labs.map((lab) => {
          const done = lab.steps.filter((st) => s.done.has(key(lab.id, st.id))).length;
          return {
            id: lab.id,
            title: lab.title.en,
            done,
            total: lab.steps.length,
            current: s.lab === lab.id ? (s.step ?? undefined) : undefined,
            finishedAt: s.finished.get(lab.id),
            steps: lab.steps.map((st) => {
              const seen = s.checks.get(key(lab.id, st.id));
              return {
                id: st.id,
                title: st.title.en,
                done: s.done.has(key(lab.id, st.id)),
                checkedAt: seen?.at,
                checks: (seen?.checks ?? []).map((c) => ({
                  title: c.title,
                  verdict: c.verdict,
                  observed: c.observed,
                  expected: '',
                  command: '',
                })),
              };
            }),
          };
        }),
      })),
    };
  }

  /** One row per learner, one column per step: done, skipped, failing, here (the current step) or empty. */
  csv(): string {
    const columns = this.labs.flatMap((lab) => lab.steps.map((st) => key(lab.id, st.id)));
    const rows = [['name', 'imported', 'done', 'current', ...columns]];
    for (const s of this.seats.values()) {
      rows.push([
        s.name,
        String(s.imported),
        String(s.done.size),
        s.lab && s.step ? key(s.lab, s.step) : '',
        ...columns.map((c) =>
          s.done.has(c)
            ? 'done'
            : s.skipped.has(c)
              ? 'skipped'
              : s.checks.get(c)?.passed === false
                ? 'failing'
                : s.lab && s.step && key(s.lab, s.step) === c
                  ? 'here'
                  : '',
        ),
      ]);
    }
    return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
  }
}

/** RFC 4180 quoting; a cell a spreadsheet would run as a formula is prefixed with a quote. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
