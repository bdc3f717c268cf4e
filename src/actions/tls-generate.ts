import { unlink } from 'node:fs/promises';
import { z } from 'zod';
import { certificateFiles, defaultCertName, generateSelfSigned, writeCertificateFiles } from '../tls/certificate.js';
import { opensslCommands } from '../tls/openssl.js';
import { certificateSummary } from '../tls/summary.js';
import { formatCommand } from '../platform/command.js';
import type { ActionDefinition } from './types.js';

const schema = z.strictObject({
  hosts: z.array(z.string().min(1)).min(1),
  days: z.number().int().min(1).max(36_500).default(360),
  /** File base name in the workspace: `<name>.key`, `<name>.cert`. Default: the first host's first label. */
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'letters, digits, . _ - (no folders)')
    .optional(),
});
type Spec = z.infer<typeof schema>;

const nameOf = (spec: Spec) => spec.name ?? defaultCertName(spec.hosts);
const filesOf = (spec: Spec, workspace: string) => certificateFiles(workspace, nameOf(spec));

/** Make the TLS lab's RSA-2048 key and self-signed certificate in the workspace; reset deletes both files. */
export const tlsGenerateAction: ActionDefinition<Spec> = {
  name: 'tls-generate',
  schema,
  commands: (spec, ctx) =>
    opensslCommands({ ...filesOf(spec, ctx.paths.workspace), hosts: spec.hosts, days: spec.days }),
  async run(spec, ctx) {
    const cert = await generateSelfSigned({ hosts: spec.hosts, days: spec.days });
    const files = await writeCertificateFiles(ctx.paths.workspace, nameOf(spec), cert);
    for (const line of certificateSummary(files, cert)) ctx.log.info(line);
  },
  undoCommands: (spec, ctx) => {
    const files = filesOf(spec, ctx.paths.workspace);
    return [formatCommand({ file: 'rm', args: ['-f', files.keyFile, files.certFile] })];
  },
  dependsOn: async (spec, ctx) => {
    const { keyFile, certFile } = filesOf(spec, ctx.workspace);
    return [
      { type: 'file', path: keyFile },
      { type: 'file', path: certFile },
    ];
  },
  async undo(spec, ctx) {
    const { keyFile, certFile } = filesOf(spec, ctx.paths.workspace);
    for (const file of [keyFile, certFile]) {
      await unlink(file).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    }
  },
};
