import { describe, expect, it } from 'vitest';
import { failureLabel } from '../../src/checks/explain.js';
import type { FailureKind, FailurePhase } from '../../src/checks/failure.js';
import { failureKind, maskAddresses } from '../../src/room/failure-kind.js';

describe('failure kind from what a check saw', () => {
  it('understands every label src/checks writes', () => {
    const cases: [FailureKind, FailurePhase, string][] = [
      ['refused', 'connect', 'refused'],
      ['dropped', 'connect', 'dropped'],
      ['dropped', 'handshake', 'dropped'],
      ['dropped', 'answer', 'dropped'],
      ['reset', 'answer', 'reset'],
      ['tls', 'verify', 'tls-untrusted'],
      ['tls', 'handshake', 'tls'],
      ['dns', 'resolve', 'dns'],
      ['not-lab', 'resolve', 'not-lab'],
      ['unreachable', 'connect', 'unreachable'],
      ['protocol', 'answer', 'protocol'],
    ];
    for (const [kind, phase, expected] of cases)
      expect(failureKind(`${failureLabel({ kind, phase, detail: '' }).en} from 127.0.0.1:30000`), kind).toBe(expected);
  });

  it('names an HTTP status, and nothing for an answer it does not know', () => {
    expect(failureKind('status 404')).toBe('http-404');
    expect(failureKind('answered by pod jordy-abc')).toBeUndefined();
  });

  it('masks addresses, v4 and v6, with ports', () => {
    expect(maskAddresses('connection refused from 172.18.0.3:30080')).toBe('connection refused from <addr>');
    expect(maskAddresses('no route to [fc00:f853:ccd:e793::3]:80')).toBe('no route to <addr>');
    expect(maskAddresses('answered by pod jordy-7d9f')).toBe('answered by pod jordy-7d9f');
  });
});
