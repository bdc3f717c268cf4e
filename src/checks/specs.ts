import { z } from 'zod';
import { addressField, hostField, podField, regexField, resolveField, urlField } from './spec-fields.js';

/*
 * What each check takes in lab.yaml, apart from the checks themselves: only the lab loader validates (when the build's
 * compiled labs do not match the files), so a command that runs or shows checks loads no zod. `CHECK_SPECS` names
 * the same checks as `CHECKS` (registry.ts), as a test keeps it.
 */

const httpStatus = z.number().int().min(100).max(599);

export const httpSpec = z.strictObject({
  url: urlField,
  method: z
    .string()
    .regex(/^[A-Z]+$/, 'an HTTP method in capitals, e.g. GET')
    .optional(),
  host: hostField,
  resolve: resolveField,
  insecure: z.boolean().optional(),
  /** One status or a list; without it any status below 400 passes (like curl --fail). */
  status: z.union([httpStatus, z.array(httpStatus).min(1)]).optional(),
  bodyContains: z.string().min(1).optional(),
  bodyMatches: regexField.optional(),
  /** Response header name → regular expression its value must match. */
  headers: z.record(z.string().min(1), regexField).optional(),
  pod: podField,
});

export type HttpSpec = z.infer<typeof httpSpec>;

export const tlsSpec = z.strictObject({
  /** Where to connect, e.g. `127.0.0.1:{{ports.https}}`. */
  address: addressField,
  /** The name sent as SNI: the ingress picks the certificate by it. */
  servername: z.string().min(1),
  /** A certificate file made earlier (relative paths are in the workspace); the server must present exactly it. */
  certFile: z.string().min(1).optional(),
  fingerprint256: z
    .string()
    .regex(/^(sha-?256[:=\s]*)?([0-9A-Fa-f]{2}:?){32}$/, 'a SHA-256 fingerprint, AB:CD:… (32 bytes)')
    .optional(),
  subjectCN: z.string().min(1).optional(),
  sanContains: z.array(z.string().min(1)).min(1).optional(),
  notExpired: z.boolean().optional(),
});

export type TlsSpec = z.infer<typeof tlsSpec>;

export const refusedSpec = z.strictObject({
  /** `host:port` that must refuse connections at once (nothing listens, nothing mapped). */
  address: addressField,
  /**
   * The nodePort the refusal is about: the claim "no way in from 127.0.0.1" is false when one of the lab cluster's
   * host port mappings leads to it, so the check probes that mapping too and is wrong when it answers.
   */
  nodePort: z.union([z.number().int().min(1).max(65535), z.string().min(1)]).optional(),
});

export type RefusedSpec = z.infer<typeof refusedSpec>;

export const droppedSpec = z.strictObject({
  url: urlField,
  /** How long silence must last to count as dropped; defaults to the check's per-operation timeout. */
  timeoutMs: z.number().int().min(100).max(60_000).optional(),
});

export type DroppedSpec = z.infer<typeof droppedSpec>;

export const spreadSpec = z
  .strictObject({
    url: urlField,
    requests: z.number().int().min(2).max(100),
    atLeast: z.number().int().min(1),
    /** Where the text says "only" or names a number: more distinct pods than this is wrong. */
    atMost: z.number().int().min(1).optional(),
    host: hostField,
    resolve: resolveField,
    pod: podField,
  })
  .refine((s) => s.atLeast <= s.requests, { message: 'atLeast cannot exceed requests', path: ['atLeast'] })
  .refine((s) => s.atMost === undefined || s.atMost >= s.atLeast, {
    message: 'atMost cannot be below atLeast',
    path: ['atMost'],
  });

export type SpreadSpec = z.infer<typeof spreadSpec>;

export const stickySpec = z.strictObject({
  url: urlField,
  requests: z.number().int().min(2).max(100),
  host: hostField,
  resolve: resolveField,
});

export type StickySpec = z.infer<typeof stickySpec>;

export const sourceIpSpec = z.strictObject({
  url: urlField,
  /** kept: the pod sees the client's own address (externalTrafficPolicy: Local); rewritten: it sees another (SNAT). */
  expect: z.enum(['kept', 'rewritten']),
  host: hostField,
  resolve: resolveField,
});

export type SourceIpSpec = z.infer<typeof sourceIpSpec>;

const k8sName = z
  .string()
  .min(1)
  .regex(/^[A-Za-z0-9.{}_ -]+$/, 'a Kubernetes name (placeholders allowed)');

export const k8sSpec = z
  .strictObject({
    /** As kubectl takes it: `service`, `svc`, `ingress`, `deployment`, `node`… */
    kind: z.string().regex(/^[a-z][a-z0-9.]*$/, 'a kubectl resource type such as service or ingress'),
    name: k8sName,
    namespace: k8sName.optional(),
    /** Only the fields given are compared. */
    match: z.record(z.string(), z.unknown()).optional(),
    /** The object must not exist. */
    absent: z.literal(true).optional(),
  })
  .refine((s) => !(s.absent && s.match), { message: 'use either match or absent, not both', path: ['absent'] });

export type K8sSpec = z.infer<typeof k8sSpec>;

export const CHECK_SPECS: ReadonlyMap<string, z.ZodType> = new Map<string, z.ZodType>([
  ['http', httpSpec],
  ['tls', tlsSpec],
  ['refused', refusedSpec],
  ['dropped', droppedSpec],
  ['spread', spreadSpec],
  ['sticky', stickySpec],
  ['source-ip', sourceIpSpec],
  ['k8s', k8sSpec],
]);
