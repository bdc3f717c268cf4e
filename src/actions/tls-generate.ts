import { unlink } from 'node:fs/promises';
import type { TlsGenerateSpec } from './specs.js';
import { certificateFiles, defaultCertName, generateSelfSigned, writeCertificateFiles } from '../tls/certificate.js';
import { opensslCommands } from '../tls/openssl.js';
import { certificateSummary } from '../tls/summary.js';
import { formatCommand } from '../platform/command.js';
import type { ActionDefinition } from './types.js';

const nameOf = (spec: TlsGenerateSpec) => spec.name ?? defaultCertName(spec.hosts);
const filesOf = (spec: TlsGenerateSpec, workspace: string) => certificateFiles(workspace, nameOf(spec));

/** Make the TLS lab's RSA-2048 key and self-signed certificate in the workspace; reset deletes both files. */
export const tlsGenerateAction: ActionDefinition<TlsGenerateSpec> = {
  name: 'tls-generate',
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
