import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadTool, toolRelease, type DownloadBases } from '../../src/cluster/tool-download.js';
import { resolveTool } from '../../src/cluster/tools.js';
import { ChecksumMismatchError } from '../../src/cluster/verified-download.js';
import { UserError } from '../../src/core/errors.js';
import { tr } from '../../src/core/i18n.js';
import { tempDir } from './kind-fixtures.js';

const FAKE_KIND = '#!/bin/sh\necho "kind v0.32.0 go1.25.5 linux/amd64"\n';
const FAKE_KUBECTL = '#!/bin/sh\necho fake kubectl\n';
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** A local stand-in for dl.k8s.io and GitHub releases, serving fake binaries and checksum files on 127.0.0.1. */
let server: Server;
let bases: DownloadBases;
const served = new Map<string, string>();
const requests: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const body = served.get(req.url ?? '');
    if (body === undefined) {
      res.writeHead(404).end('Not Found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  bases = { kubectl: base, kind: base };
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const KIND_PATH = '/kubernetes-sigs/kind/releases/download/v0.32.0/kind-linux-amd64';
const KUBECTL_PATH = '/release/v1.36.1/bin/linux/amd64/kubectl';

describe('doctor --fix downloads', () => {
  it('uses the official URLs and the pinned sha256 for this OS and CPU', () => {
    expect(toolRelease('kubectl', 'darwin/arm64')).toEqual({
      tool: 'kubectl',
      version: 'v1.36.1',
      platform: 'darwin/arm64',
      url: 'https://dl.k8s.io/release/v1.36.1/bin/darwin/arm64/kubectl',
      sha256: { pinned: '9092778abaef3079449da4cd70ded0e4be112480c93efcdeace3155968d1d133' },
    });
    expect(toolRelease('kind', 'linux/amd64').url).toBe(
      'https://github.com/kubernetes-sigs/kind/releases/download/v0.32.0/kind-linux-amd64',
    );
    expect(toolRelease('kind', 'windows/amd64').sha256).toEqual({
      published: 'https://github.com/kubernetes-sigs/kind/releases/download/v0.32.0/kind-windows-amd64.sha256sum',
    });
    expect(toolRelease('kubectl', 'windows/amd64').sha256).toEqual({
      published: 'https://dl.k8s.io/release/v1.36.1/bin/windows/amd64/kubectl.exe.sha256',
    });
  });

  it('installs a binary whose sha256 matches the pin into the cache, executable, and it is then used first', async () => {
    served.set(KIND_PATH, FAKE_KIND);
    const cacheDir = tempDir('cache');
    const release = toolRelease('kind', 'linux/amd64', bases, { 'linux/amd64': sha(FAKE_KIND) });

    const path = await downloadTool(release, { cacheDir, fetch: globalThis.fetch, platform: 'linux' });

    expect(path).toBe(join(cacheDir, 'bin', 'kind'));
    expect(readFileSync(path, 'utf8')).toBe(FAKE_KIND);
    expect(statSync(path).mode & 0o111).not.toBe(0);
    expect(resolveTool('kind', cacheDir, 'linux')).toBe(path);
    expect(readdirSync(join(cacheDir, 'bin'))).toEqual(['kind']);
  });

  it('checks against the published checksum file where no pin exists', async () => {
    served.set(KUBECTL_PATH, FAKE_KUBECTL);
    served.set(`${KUBECTL_PATH}.sha256`, `${sha(FAKE_KUBECTL)}\n`);
    const cacheDir = tempDir('cache');

    const path = await downloadTool(toolRelease('kubectl', 'linux/amd64', bases, {}), {
      cacheDir,
      fetch: globalThis.fetch,
      platform: 'linux',
    });

    expect(readFileSync(path, 'utf8')).toBe(FAKE_KUBECTL);
    expect(requests).toContain(`${KUBECTL_PATH}.sha256`);
  });

  it('refuses a binary whose sha256 is not the pinned one and leaves nothing behind', async () => {
    served.set(KIND_PATH, FAKE_KIND);
    const cacheDir = tempDir('cache');
    const release = toolRelease('kind', 'linux/amd64', bases);

    const error = await downloadTool(release, { cacheDir, fetch: globalThis.fetch, platform: 'linux' }).catch((e) => e);

    expect(error).toBeInstanceOf(ChecksumMismatchError);
    expect(tr(error.text, 'en')).toContain('50030de23cf40a18505f20426f6a8506bedf13c6e509244bd1fa9463721b0f54');
    expect(tr(error.text, 'en')).toContain(sha(FAKE_KIND));
    expect(readdirSync(join(cacheDir, 'bin'))).toEqual([]);
    expect(resolveTool('kind', cacheDir, 'linux')).toBe('kind');
  });

  it('a wrong published checksum is refused too, and an older good copy stays as it was', async () => {
    served.set(KUBECTL_PATH, FAKE_KUBECTL);
    served.set(`${KUBECTL_PATH}.sha256`, `${sha('something else')}  kubectl\n`);
    const cacheDir = tempDir('cache');
    mkdirSync(join(cacheDir, 'bin'), { recursive: true });
    writeFileSync(join(cacheDir, 'bin', 'kubectl'), 'older copy');

    await expect(
      downloadTool(toolRelease('kubectl', 'linux/amd64', bases, {}), {
        cacheDir,
        fetch: globalThis.fetch,
        platform: 'linux',
      }),
    ).rejects.toBeInstanceOf(ChecksumMismatchError);

    expect(readdirSync(join(cacheDir, 'bin'))).toEqual(['kubectl']);
    expect(readFileSync(join(cacheDir, 'bin', 'kubectl'), 'utf8')).toBe('older copy');
  });

  it('an HTTP error is a clear message, not a half-written file', async () => {
    const cacheDir = tempDir('cache');
    const release = toolRelease('kind', 'darwin/arm64', bases);

    const error = await downloadTool(release, { cacheDir, fetch: globalThis.fetch, platform: 'darwin' }).catch(
      (e) => e,
    );

    expect(error).toBeInstanceOf(UserError);
    expect(tr(error.text, 'en')).toContain('HTTP 404');
    expect(existsSync(join(cacheDir, 'bin', 'kind'))).toBe(false);
    expect(readdirSync(join(cacheDir, 'bin'))).toEqual([]);
  });
});
