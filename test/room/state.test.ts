import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { csvCell, RoomState } from '../../src/room/state.js';
import type { StoredRecord } from '../../src/room/store.js';
import { LABS, wire } from './support.js';

const T0 = Date.parse('2026-12-01T09:00:00Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

function record(seat: string, name: string, ms: number, extra: Record<string, unknown>): StoredRecord {
  return { kind: 'event', rx: T0 + ms, event: wire(seat, { name, at: at(ms), ...extra }) as never };
}
const step = (lab: string, id: string, index: number) => ({ type: 'step', lab, step: id, index, count: 2 });
const failed = (lab: string, id: string, failure: string) => ({
  type: 'check',
  lab,
  step: id,
  passed: false,
  checks: [{ title: 'GET /', verdict: 'not-yet', failure, observed: 'connection refused' }],
  index: undefined,
  count: undefined,
});
const passed = (lab: string, id: string) => ({
  type: 'check',
  lab,
  step: id,
  passed: true,
  checks: [],
  index: undefined,
  count: undefined,
});
const clean = (r: StoredRecord): StoredRecord => {
  if (r.kind === 'event')
    r.event = Object.fromEntries(Object.entries(r.event).filter(([, v]) => v !== undefined)) as never;
  return r;
};

describe('room state', () => {
  it('marks stuck the seat far past the median time on its step, and the checks the room fails', () => {
    const state = new RoomState(LABS, { minStuckMs: 60_000 });
    const seats = Array.from({ length: 5 }, () => randomUUID());
    seats.forEach((seat, i) => state.apply(clean(record(seat, `s${i}`, 0, step('nodeport', 'create-service', 0)))));
    // Four move on to step 2 at minute 9; s0 stays on step 1 and keeps failing with "refused".
    for (const seat of seats.slice(1)) {
      state.apply(clean(record(seat, 'x', 9 * 60_000, passed('nodeport', 'create-service'))));
      state.apply(clean(record(seat, 'x', 9 * 60_000, step('nodeport', 'reach-it', 1))));
    }
    state.apply(clean(record(seats[0]!, 's0', 9 * 60_000, failed('nodeport', 'create-service', 'refused'))));
    seats
      .slice(1, 3)
      .forEach((seat) =>
        state.apply(clean(record(seat, 'x', 9.5 * 60_000, failed('nodeport', 'reach-it', 'http-404')))),
      );
    const view = state.view(T0 + 10 * 60_000);
    const s0 = view.seats.find((s) => s.seat === seats[0])!;
    expect(s0).toMatchObject({ stuck: true, failingNow: true, lab: 'nodeport', step: 'create-service' });
    expect(view.seats.filter((s) => s.stuck)).toHaveLength(1);
    expect(view.failing[0]).toMatchObject({ step: 'reach-it', failure: 'http-404', seats: 2 });
    expect(view.failing[1]).toMatchObject({ step: 'create-service', failure: 'refused', seats: 1 });
  });

  it('nobody is stuck before the minimum, however uneven the room', () => {
    const state = new RoomState(LABS, { minStuckMs: 10 * 60_000 });
    state.apply(clean(record(randomUUID(), 'a', 0, step('nodeport', 'create-service', 0))));
    state.apply(clean(record(randomUUID(), 'b', 4 * 60_000, step('nodeport', 'create-service', 0))));
    expect(state.view(T0 + 5 * 60_000).seats.some((s) => s.stuck)).toBe(false);
  });

  it('goto marks the steps before its target done; a skip is not done', () => {
    const state = new RoomState(LABS, { minStuckMs: 60_000 });
    const seat = randomUUID();
    state.apply(
      clean(record(seat, 'a', 0, { type: 'goto', lab: 'ingress', step: 'tls', index: undefined, count: undefined })),
    );
    state.apply(
      clean(
        record(seat, 'a', 1, { type: 'skip', lab: 'nodeport', step: 'reach-it', index: undefined, count: undefined }),
      ),
    );
    const view = state.view(T0 + 1000).seats[0]!;
    expect(view.done).toEqual(['ingress/host-rule']);
    expect(view.skipped).toEqual(['nodeport/reach-it']);
    expect(view).toMatchObject({ lab: 'ingress', step: 'tls' });
  });

  it('a laptop clock an hour behind does not make its seat look stuck', () => {
    const state = new RoomState(LABS, { minStuckMs: 60_000 });
    const seat = randomUUID();
    const r = clean(record(seat, 'late', -3600_000, step('nodeport', 'create-service', 0)));
    r.rx = T0;
    state.apply(r);
    expect(state.view(T0 + 1000).seats[0]).toMatchObject({ elapsedMs: 1000, stuck: false });
  });

  it('exports CSV with formula-looking names neutralised, and status --report JSON per learner', () => {
    const state = new RoomState(LABS, { minStuckMs: 60_000 });
    const seat = randomUUID();
    state.apply(clean(record(seat, '=HYPERLINK("x")', 0, step('nodeport', 'create-service', 0))));
    state.apply(clean(record(seat, '=HYPERLINK("x")', 1, passed('nodeport', 'create-service'))));
    const csv = state.csv().split('\r\n');
    expect(csv[0]).toBe(
      'name,imported,done,current,nodeport/create-service,nodeport/reach-it,ingress/host-rule,ingress/tls',
    );
    expect(csv[1]).toBe(`"'=HYPERLINK(""x"")",false,1,nodeport/create-service,done,,,`);
    expect(csvCell('a,b')).toBe('"a,b"');
    const report = state.report(T0).learners[0]!;
    expect(report.labs[0]).toMatchObject({
      id: 'nodeport',
      done: 1,
      total: 2,
      steps: [{ id: 'create-service', done: true }, { done: false }],
    });
  });

  it('an imported report fills a seat from its done steps', () => {
    const state = new RoomState(LABS, { minStuckMs: 60_000 });
    state.apply({
      kind: 'report',
      rx: T0,
      report: {
        seat: randomUUID(),
        name: 'Offline Jun',
        labs: [
          {
            id: 'nodeport',
            steps: [
              { id: 'create-service', done: true, checks: [] },
              { id: 'reach-it', done: false, checks: [] },
            ],
          },
        ],
      },
    });
    expect(state.view(T0).seats[0]).toMatchObject({
      name: 'Offline Jun',
      imported: true,
      done: ['nodeport/create-service'],
    });
  });
});
