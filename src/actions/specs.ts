import { z } from 'zod';
import { addressProblem, hostNameProblem } from '../core/host-names.js';

/*
 * What each action takes in lab.yaml, apart from the actions themselves: only the lab loader validates (when the
 * build's compiled labs do not match the files), so a command that runs or shows actions loads no zod.
 * `ACTION_SPECS` names the same actions as `ACTIONS` (registry.ts), as a test keeps it.
 */

export const fixturePath = z
  .string()
  .regex(/^fixtures\/[A-Za-z0-9_./-]+\.ya?ml$/, 'a .yaml file under fixtures/')
  .refine((p) => !p.includes('..'), 'no ".." in paths');

export const applySpec = z.union([
  fixturePath,
  z.strictObject({ file: fixturePath, expectError: z.string().min(1).optional() }),
]);
export type ApplySpec = z.infer<typeof applySpec>;

/**
 * Flags that would point kubectl at another cluster or identity than the lab's context, which the Cluster names
 * itself (`--context`): refused when the lab is loaded, not only by lint.
 */
const CONTEXT_FLAGS =
  /^(?:--context|--kubeconfig|--cluster|--user|--server|-s|--token|--as|--as-group|--as-uid|--username|--password|--certificate-authority|--client-certificate|--client-key|--insecure-skip-tls-verify|--tls-server-name)(?:=|$)/;

const args = z
  .array(z.string().min(1))
  .min(1)
  .refine((list) => !list.some((arg) => CONTEXT_FLAGS.test(arg)), {
    message:
      'no flag that chooses the cluster or the user (--context, --kubeconfig, --server, …): the tool names the lab context itself',
  });
export const kubectlSpec = z.strictObject({
  args,
  /** The call that undoes this one for `reset` (e.g. `delete secret niniz-secret --ignore-not-found`). */
  undo: args.optional(),
  expectError: z.string().min(1).optional(),
});
export type KubectlSpec = z.infer<typeof kubectlSpec>;

export const tlsGenerateSpec = z.strictObject({
  hosts: z.array(z.string().min(1)).min(1),
  days: z.number().int().min(1).max(36_500).default(360),
  /** File base name in the workspace: `<name>.key`, `<name>.cert`. Default: the first host's first label. */
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'letters, digits, . _ - (no folders)')
    .optional(),
});
export type TlsGenerateSpec = z.infer<typeof tlsGenerateSpec>;

const hostNames = z.array(z.string().refine((name) => !hostNameProblem(name), 'a host name such as niniz.com')).min(1);
// Validated as the hosts file will be: a newline here would otherwise put a line of its own into the file.
const address = z.string().refine((a) => !addressProblem(a), 'an IP address such as 127.0.0.1');
export const hostsAddSpec = z.strictObject({ names: hostNames, address: address.default('127.0.0.1') });
export const hostsRemoveSpec = z.strictObject({ names: hostNames });
export type HostsAddSpec = z.infer<typeof hostsAddSpec>;
export type HostsRemoveSpec = z.infer<typeof hostsRemoveSpec>;

export const ACTION_SPECS: ReadonlyMap<string, z.ZodType> = new Map<string, z.ZodType>([
  ['apply', applySpec],
  ['delete', fixturePath],
  ['kubectl', kubectlSpec],
  ['tls-generate', tlsGenerateSpec],
  ['hosts-add', hostsAddSpec],
  ['hosts-remove', hostsRemoveSpec],
]);
