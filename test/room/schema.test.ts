import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { eventBatch, note, wireEvent } from '../../src/room/schema.js';
import { wire } from './support.js';

describe('room event schema', () => {
  const seat = randomUUID();

  it('accepts each kind of learner event', () => {
    const envelope = { id: randomUUID(), seat, name: 'Mina', at: new Date().toISOString() };
    const where = { lab: 'nodeport', step: 'create-service' };
    const events = [
      { type: 'hello', version: '0.1.0' },
      { type: 'doctor', ok: false, failures: 1, warnings: 2 },
      { type: 'step', ...where, index: 0, count: 2 },
      {
        type: 'check',
        ...where,
        passed: false,
        checks: [{ title: 'GET /', verdict: 'not-yet', failure: 'refused', observed: 'connection refused' }],
      },
      { type: 'hint', ...where },
      { type: 'solution', ...where },
      { type: 'skip', ...where },
      { type: 'goto', ...where },
      { type: 'finished', lab: 'nodeport' },
    ];
    for (const event of events) expect(wireEvent.safeParse({ ...envelope, ...event }).success, event.type).toBe(true);
  });

  it('refuses a field the schema does not name (a kubeconfig, a command line)', () => {
    expect(wireEvent.safeParse(wire(seat, { kubeconfig: 'apiVersion: v1' })).success).toBe(false);
    expect(wireEvent.safeParse(wire(seat, { command: 'kubectl get secret -o yaml' })).success).toBe(false);
  });

  it('refuses ids that carry markup, unknown types, long names and control characters', () => {
    expect(wireEvent.safeParse(wire(seat, { lab: '<script>' })).success).toBe(false);
    expect(wireEvent.safeParse(wire(seat, { type: 'shell' })).success).toBe(false);
    expect(wireEvent.safeParse(wire(seat, { name: 'x'.repeat(41) })).success).toBe(false);
    expect(wireEvent.safeParse(wire(seat, { name: 'a\u0007b' })).success).toBe(false);
    expect(wireEvent.safeParse(wire(seat, { seat: 'not-a-uuid' })).success).toBe(false);
  });

  it('a display name of <script> is a valid name: the page, not the schema, keeps it text', () => {
    expect(wireEvent.safeParse(wire(seat, { name: '<script>alert(1)</script>' })).success).toBe(true);
    expect(wireEvent.safeParse(wire(seat, { name: '민아' })).success).toBe(true);
  });

  it('a batch holds 1 to 100 events', () => {
    expect(eventBatch.safeParse({ events: [] }).success).toBe(false);
    expect(eventBatch.safeParse({ events: Array.from({ length: 101 }, () => wire(seat)) }).success).toBe(false);
    expect(eventBatch.safeParse({ events: Array.from({ length: 100 }, () => wire(seat)) }).success).toBe(true);
  });

  it("a note is two short texts without control characters (it is printed on learners' terminals)", () => {
    expect(note.safeParse({ ko: '쉬는 시간', en: 'Break' }).success).toBe(true);
    expect(note.safeParse({ ko: '\u001b[2J', en: 'Break' }).success).toBe(false);
    expect(note.safeParse({ ko: 'a', en: 'x'.repeat(281) }).success).toBe(false);
    expect(note.safeParse({ en: 'Break' }).success).toBe(false);
  });
});
