import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tlsGenerateAction } from '../../src/actions/tls-generate.js';
import type { Cluster } from '../../src/cluster/types.js';
import { run as tlsCommand } from '../../src/commands/tls.js';
import type { LabContext } from '../../src/contract/context.js';
import { UsageError, UserError } from '../../src/core/errors.js';
import { clusterHome } from '../../src/platform/paths.js';
import { tr, type Message } from '../../src/core/i18n.js';
import { noExec } from '../hosts/support.js';
import { commandEnv } from '../support/command-env.js';
import { tlsGenerateSpec } from '../../src/actions/specs.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'expose-labs-tls-cmd-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('expose-labs tls generate', () => {
  it('writes <name>.key and <name>.cert and prints the files, the fingerprint and the openssl commands, never the key', async () => {
    const out = join(dir, 'out');
    const { env, stdout } = commandEnv();
    expect(await tlsCommand(env, { args: ['generate'], opts: { host: ['niniz.com'], days: 360, out } })).toBe(0);
    const keyFile = join(out, 'niniz.key');
    const certFile = join(out, 'niniz.cert');
    const certPem = await readFile(certFile, 'utf8');
    const fingerprint = new X509Certificate(certPem).fingerprint256;
    const text = stdout();
    expect(text).toContain(`Private key: ${keyFile} (mode 0600`);
    expect(text).toContain(`Certificate: ${certFile}`);
    expect(text).toContain(`SHA-256 fingerprint: ${fingerprint}`);
    expect(text).toContain('Valid for 360 days');
    expect(text).toContain(`$ openssl genrsa -out ${keyFile} 2048`);
    expect(text).toContain(
      `$ openssl req -new -x509 -key ${keyFile} -out ${certFile} -days 360 -subj /CN=niniz.com -addext subjectAltName=DNS:niniz.com`,
    );
    expect(text).toContain(
      `$ kubectl --context kind-expose-labs create secret tls niniz-secret --cert=${certFile} --key=${keyFile}`,
    );
    expect(text).not.toContain('PRIVATE KEY');
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
  });

  it('prints JSON with --json, defaults to the workspace, and takes --name', async () => {
    const home = join(dir, 'home');
    const { env, stdout } = commandEnv({ options: { home } });
    await tlsCommand(env, {
      args: ['generate'],
      opts: { host: ['jordy.niniz.com', 'scappy.niniz.com'], days: 30, name: 'ingress', json: true },
    });
    const result = JSON.parse(stdout());
    const workspace = clusterHome(home, 'expose-labs').workspace;
    expect(result).toMatchObject({
      keyFile: join(workspace, 'ingress.key'),
      certFile: join(workspace, 'ingress.cert'),
      hosts: ['jordy.niniz.com', 'scappy.niniz.com'],
      days: 30,
      fingerprint256: new X509Certificate(await readFile(join(workspace, 'ingress.cert'))).fingerprint256,
    });
    expect(Date.parse(result.notAfter) - Date.parse(result.notBefore)).toBe(30 * 86_400_000);
    expect(JSON.stringify(result)).not.toContain('PRIVATE KEY');
  });

  it('with --dry-run prints the openssl commands and writes nothing', async () => {
    const out = join(dir, 'dry');
    const { env, stdout } = commandEnv({ options: { dryRun: true } });
    await tlsCommand(env, { args: ['generate'], opts: { host: ['niniz.com'], days: 360, out } });
    expect(stdout()).toContain('$ openssl genrsa');
    await expect(stat(out)).rejects.toThrow();
  });

  it.each([
    [['make'], { host: ['niniz.com'] }, UsageError],
    [['generate', 'extra'], { host: ['niniz.com'] }, UsageError],
    [['generate'], { host: ['niniz.com\nx'] }, UserError],
    [['generate'], { host: ['niniz.com'], name: '../escape' }, UserError],
    [['generate'], { host: ['niniz.com'], days: 100_000 }, UserError],
  ])('refuses %j %j', async (args, opts, kind) => {
    const { env } = commandEnv();
    await expect(tlsCommand(env, { args, opts: { out: join(dir, 'refused'), ...opts } })).rejects.toThrow(kind);
    await expect(stat(join(dir, 'refused'))).rejects.toThrow();
  });
});

describe('tls generate: defaults, an existing key, interrupts and kills', () => {
  it('without --host makes the TLS lab’s niniz.com pair, and will not silently replace its key', async () => {
    const out = join(dir, 'default-host');
    const { env, stdout } = commandEnv();
    expect(await tlsCommand(env, { args: ['generate'], opts: { days: 360, out } })).toBe(0);
    const certPem = await readFile(join(out, 'niniz.cert'), 'utf8');
    expect(new X509Certificate(certPem).subjectAltName).toBe('DNS:niniz.com');
    expect(stdout()).toContain('niniz-secret');

    const again = commandEnv();
    const error = (await tlsCommand(again.env, { args: ['generate'], opts: { days: 360, out } }).catch(
      (e: unknown) => e,
    )) as UserError;
    expect(error).toBeInstanceOf(UserError);
    expect(tr(error.text, 'en')).toContain('already exists');
    expect(tr(error.hint!, 'en')).toContain('--force');
    expect(await readFile(join(out, 'niniz.cert'), 'utf8')).toBe(certPem);

    const forced = commandEnv();
    expect(await tlsCommand(forced.env, { args: ['generate'], opts: { days: 360, out, force: true } })).toBe(0);
    expect(await readFile(join(out, 'niniz.cert'), 'utf8')).not.toBe(certPem);
  });

  it('writes nothing when interrupted while the key is made', async () => {
    const out = join(dir, 'interrupted');
    const controller = new AbortController();
    const { env } = commandEnv();
    const running = tlsCommand(
      { ...env, signal: controller.signal },
      { args: ['generate'], opts: { host: ['niniz.com'], days: 360, out } },
    );
    controller.abort('SIGTERM');
    await expect(running).rejects.toThrow(/interrupted/);
    await expect(stat(join(out, 'niniz.key'))).rejects.toThrow(/ENOENT/);
  });

  it('fails with a clear error, not a spin, for a folder under /proc', async () => {
    const started = Date.now();
    const { env } = commandEnv();
    await expect(
      tlsCommand(env, { args: ['generate'], opts: { host: ['niniz.com'], days: 1, out: '/proc/1/x/y' } }),
    ).rejects.toThrow(/^Cannot write \/proc\/1\/x\/y: /);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('tls-generate action', () => {
  const seen: string[] = [];
  const ctx = (): LabContext => ({
    lang: 'en',
    cluster: {} as Cluster,
    exec: noExec,
    paths: { root: dir, workspace: join(dir, 'workspace'), hostsFile: '/nonexistent/etc/hosts' },
    noHosts: false,
    dryRun: false,
    signal: new AbortController().signal,
    log: {
      info: (m: Message) => seen.push(tr(m, 'en')),
      command: (l) => seen.push(`$ ${l}`),
      output: (t) => seen.push(t),
      warn: (m: Message) => seen.push(tr(m, 'en')),
      verbose: () => undefined,
    },
  });

  it('validates its spec: days default to 360, the name cannot leave the workspace', () => {
    expect(tlsGenerateSpec.parse({ hosts: ['niniz.com'] })).toEqual({ hosts: ['niniz.com'], days: 360 });
    expect(tlsGenerateSpec.safeParse({ hosts: ['niniz.com'], name: '../x' }).success).toBe(false);
    expect(tlsGenerateSpec.safeParse({ hosts: [] }).success).toBe(false);
  });

  it('shows the openssl commands, writes key and certificate into the workspace, and undo deletes both', async () => {
    const spec = tlsGenerateSpec.parse({ hosts: ['niniz.com'], days: 360, name: 'niniz' });
    const workspace = join(dir, 'workspace');
    expect(tlsGenerateAction.commands(spec, ctx())).toEqual([
      `openssl genrsa -out ${join(workspace, 'niniz.key')} 2048`,
      `openssl req -new -x509 -key ${join(workspace, 'niniz.key')} -out ${join(workspace, 'niniz.cert')} -days 360 -subj /CN=niniz.com -addext subjectAltName=DNS:niniz.com`,
    ]);
    await tlsGenerateAction.run(spec, ctx());
    const x509 = new X509Certificate(await readFile(join(workspace, 'niniz.cert')));
    expect(x509.subject).toBe('CN=niniz.com');
    expect(seen).toContain(`SHA-256 fingerprint: ${x509.fingerprint256}`);
    expect((await stat(join(workspace, 'niniz.key'))).mode & 0o777).toBe(0o600);

    await tlsGenerateAction.undo!(spec, ctx());
    await expect(stat(join(workspace, 'niniz.key'))).rejects.toThrow();
    await expect(stat(join(workspace, 'niniz.cert'))).rejects.toThrow();
    await tlsGenerateAction.undo!(spec, ctx());
  });
});
