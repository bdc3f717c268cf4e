import { unlink } from 'node:fs/promises';
import type { TlsGenerateSpec } from './specs.js';
import { generateSelfSigned, writeCertificateFiles } from '../tls/certificate.js';
import { certificateSummary } from '../tls/summary.js';
import type { ActionDefinition } from './types.js';
import { certificateFilesOf, certificateNameOf, tlsGenerateLines } from './lines.js';

/** Make the TLS lab's RSA-2048 key and self-signed certificate in the workspace; reset deletes both files. */
export const tlsGenerateAction: ActionDefinition<TlsGenerateSpec> = {
  name: 'tls-generate',
  ...tlsGenerateLines,
  async run(spec, ctx) {
    const cert = await generateSelfSigned({ hosts: spec.hosts, days: spec.days });
    const files = await writeCertificateFiles(ctx.paths.workspace, certificateNameOf(spec), cert);
    for (const line of certificateSummary(files, cert)) ctx.log.info(line);
  },
  dependsOn: async (spec, ctx) => {
    const { keyFile, certFile } = certificateFilesOf(spec, ctx.workspace);
    return [
      { type: 'file', path: keyFile },
      { type: 'file', path: certFile },
    ];
  },
  async undo(spec, ctx) {
    const { keyFile, certFile } = certificateFilesOf(spec, ctx.paths.workspace);
    for (const file of [keyFile, certFile]) {
      await unlink(file).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    }
  },
};
