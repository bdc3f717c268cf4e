import { droppedCheck } from './dropped.js';
import { httpCheck } from './http.js';
import { k8sCheck } from './k8s.js';
import { refusedCheck } from './refused.js';
import { sourceIpCheck } from './source-ip.js';
import { spreadCheck } from './spread.js';
import { stickyCheck } from './sticky.js';
import { tlsCheck } from './tls.js';
import type { CheckDefinition } from './types.js';

/** Every check kind, keyed by the name used in lab.yaml. */
// Each entry has its own spec and observation types; the loader validates a spec first, with its schema in specs.ts.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const CHECKS: ReadonlyMap<string, CheckDefinition<any>> = new Map<string, CheckDefinition<any>>(
  [httpCheck, tlsCheck, refusedCheck, droppedCheck, spreadCheck, stickyCheck, sourceIpCheck, k8sCheck].map((c) => [
    c.name,
    c,
  ]),
);
