import { resolve } from 'node:path';
import { EXIT, InterruptedError, UsageError, UserError } from '../core/errors.js';
import { formatCommand } from '../platform/command.js';
import { sendNudge } from '../platform/nudge.js';
import { fileProblem } from '../platform/os-errors.js';
import { clusterHome } from '../platform/paths.js';
import {
  certificateDays,
  certificateHosts,
  generateSelfSigned,
  keyExists,
  writeCertificateFiles,
} from '../tls/certificate.js';
import { certificateFiles, defaultCertName } from '../tls/files.js';
import { opensslCommands } from '../tls/openssl.js';
import { certificateSummary, OPENSSL_INTRO } from '../tls/summary.js';
import { labsOf } from './session.js';
import type { CommandRun } from './types.js';
import { toolCommand } from '../platform/invocation.js';
import { withParticle } from '../core/korean.js';

const USAGE = {
  ko: `사용법: ${toolCommand()} tls generate [--host 이름…] [--days 일수] [--out 폴더] [--name 파일이름] [--force] [--json]`,
  en: `Usage: ${toolCommand()} tls generate [--host NAME…] [--days N] [--out DIR] [--name BASE] [--force] [--json]`,
};

/** Without --host: the hosts of the labs' own `tls-generate` action (the TLS lab's), so the files match the lab. */
async function labHosts(): Promise<string[]> {
  for (const lab of await labsOf())
    for (const step of lab.steps)
      for (const action of step.actions)
        if (action.name === 'tls-generate') return (action.spec as { hosts: string[] }).hosts;
  throw new UsageError({ ko: '--host 가 필요합니다.', en: '--host is required.' }, USAGE);
}

/** `expose-labs tls generate`: the TLS lab's key and certificate, for use outside the labs too. */
export const run: CommandRun = async (env, input) => {
  const [action, ...extra] = input.args;
  if (action !== 'generate' || extra.length > 0) {
    throw new UsageError(
      { ko: `알 수 없는 tls 명령입니다: ${input.args.join(' ')}`, en: `Unknown tls command: ${input.args.join(' ')}` },
      USAGE,
    );
  }
  const given = (input.opts.host as string[] | undefined) ?? [];
  const hosts = certificateHosts(given.length ? given : await labHosts());
  const days = certificateDays((input.opts.days as number | undefined) ?? 360);
  const dir = resolve(
    (input.opts.out as string | undefined) ?? clusterHome(env.options.home, env.options.clusterName).workspace,
  );
  const name = (input.opts.name as string | undefined) ?? defaultCertName(hosts);
  const files = certificateFiles(dir, name);
  const openssl = opensslCommands({ ...files, hosts, days });
  const { out } = env;

  if (env.options.dryRun) {
    out.print(OPENSSL_INTRO);
    for (const line of openssl) out.command(line);
    return EXIT.ok;
  }
  // A Secret made from the old key would no longer match the files: replacing them is asked for, never silent.
  if (!input.opts.force && (await keyExists(dir, name))) {
    throw new UserError(
      {
        ko: `${withParticle(files.keyFile, '이/가')} 이미 있습니다. 이 키로 만든 Secret이 있다면 새 키와 맞지 않게 됩니다.`,
        en: `${files.keyFile} already exists; a Secret made from it would no longer match a new key.`,
      },
      {
        ko: '바꾸려면 --force 를 붙이세요 (그 뒤 Secret도 다시 만드세요). 또는 --name 이나 --out 으로 다른 곳에 만드세요.',
        en: 'To replace it, add --force (then make the Secret again). Or make a new pair elsewhere with --name or --out.',
      },
    );
  }
  const cert = await generateSelfSigned({ hosts, days });
  // Ctrl-C or SIGTERM while the key was being made: write nothing.
  if (env.signal.aborted) throw new InterruptedError();
  await writeCertificateFiles(dir, name, cert).catch((error: NodeJS.ErrnoException) => {
    throw error.code ? fileProblem(dir, error, 'write') : error;
  });
  await sendNudge(clusterHome(env.options.home, env.options.clusterName).nudgeFile);
  // The lab cluster's context, like every kubectl line the tool prints (--context for another cluster).
  const context = env.options.context ?? `kind-${env.options.clusterName}`;
  const secret = formatCommand({
    file: 'kubectl',
    args: [
      '--context',
      context,
      'create',
      'secret',
      'tls',
      `${name}-secret`,
      `--cert=${files.certFile}`,
      `--key=${files.keyFile}`,
    ],
  });

  if (input.opts.json) {
    out.json({
      keyFile: files.keyFile,
      certFile: files.certFile,
      hosts: cert.hosts,
      days,
      fingerprint256: cert.fingerprint256,
      serialHex: cert.serialHex,
      notBefore: cert.notBefore.toISOString(),
      notAfter: cert.notAfter.toISOString(),
      opensslCommands: openssl,
    });
    return EXIT.ok;
  }
  for (const line of certificateSummary(files, cert)) out.print(line);
  out.print();
  out.print(OPENSSL_INTRO);
  for (const line of openssl) out.command(line);
  out.print();
  out.print({ ko: '쿠버네티스 Secret으로 만들려면:', en: 'To turn them into a Kubernetes Secret:' });
  out.command(secret);
  return EXIT.ok;
};
