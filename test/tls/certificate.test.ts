import { execFileSync } from 'node:child_process';
import type crypto from 'node:crypto';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { generateSelfSigned, writeCertificateFiles, type GeneratedCert } from '../../src/tls/certificate.js';
import { opensslCommands } from '../../src/tls/openssl.js';

/** Everything here is checked by the real openssl binary and a real TLS handshake, not by forge itself. */

const openssl = (...args: string[]) => execFileSync('openssl', args, { encoding: 'utf8' });

let dir: string;
let cert: GeneratedCert;
let files: { keyFile: string; certFile: string };
const elapsedMs: number[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'expose-labs-tls-'));
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    cert = await generateSelfSigned({ hosts: ['niniz.com', 'jordy.niniz.com'], days: 360 });
    elapsedMs.push(performance.now() - start);
  }
  files = await writeCertificateFiles(dir, 'niniz', cert);
}, 30_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('self-signed certificate, read back by openssl', () => {
  it('has an RSA-2048 key with e = 65537 whose modulus is the certificate’s', () => {
    const keyText = openssl('pkey', '-in', files.keyFile, '-noout', '-text');
    expect(keyText).toMatch(/Private-Key: \(2048 bit/);
    expect(keyText).toMatch(/publicExponent: 65537/);
    const keyModulus = openssl('rsa', '-in', files.keyFile, '-noout', '-modulus');
    const certModulus = openssl('x509', '-in', files.certFile, '-noout', '-modulus');
    expect(keyModulus.trim()).toMatch(/^Modulus=[0-9A-F]{512}$/);
    expect(keyModulus).toBe(certModulus);
  });

  it('is X.509 v3, CN = first host, subjectAltName DNS for every host, SHA-256 signed, a server certificate', () => {
    const text = openssl('x509', '-in', files.certFile, '-noout', '-text');
    expect(text).toContain('Version: 3 (0x2)');
    expect(text).toMatch(/Subject: CN ?= ?niniz\.com\n/);
    expect(text).toMatch(/Issuer: CN ?= ?niniz\.com\n/);
    expect(text).toMatch(/X509v3 Subject Alternative Name: ?\n\s+DNS:niniz\.com, DNS:jordy\.niniz\.com\n/);
    expect(text.match(/Signature Algorithm: sha256WithRSAEncryption/g)).toHaveLength(2);
    expect(text).toMatch(/Public-Key: \(2048 bit\)/);
    expect(text).toMatch(/X509v3 Basic Constraints: critical\n\s+CA:FALSE/);
    expect(text).toMatch(/X509v3 Key Usage: critical\n\s+Digital Signature, Key Encipherment\n/);
    expect(text).toMatch(/X509v3 Extended Key Usage: ?\n\s+TLS Web Server Authentication\n/);
  });

  it('is valid for exactly the days asked, starting now', () => {
    const dates = openssl('x509', '-in', files.certFile, '-noout', '-startdate', '-enddate');
    const start = Date.parse(/notBefore=(.*)/.exec(dates)![1]!);
    const end = Date.parse(/notAfter=(.*)/.exec(dates)![1]!);
    expect(end - start).toBe(360 * 86_400_000);
    expect(Math.abs(start - Date.now())).toBeLessThan(60_000);
    expect(start).toBe(cert.notBefore.getTime());
    expect(end).toBe(cert.notAfter.getTime());
  });

  it('has a positive serial number (first byte below 0x80), the one reported', () => {
    const serial = openssl('x509', '-in', files.certFile, '-noout', '-serial')
      .trim()
      .replace(/^serial=/, '');
    expect(serial).toBe(cert.serialHex.toUpperCase());
    expect(parseInt(serial.slice(0, 2), 16)).toBeLessThan(0x80);
    expect(parseInt(serial.slice(0, 2), 16)).toBeGreaterThan(0);
    const asn1 = openssl('asn1parse', '-in', files.certFile);
    expect(asn1).not.toMatch(/INTEGER\s+:-/);
  });

  it('reports the SHA-256 fingerprint openssl computes', () => {
    const line = openssl('x509', '-in', files.certFile, '-noout', '-fingerprint', '-sha256').trim();
    expect(line.replace(/^sha256 Fingerprint=/i, '')).toBe(cert.fingerprint256);
  });

  it('carries a signature that verifies with its own public key', () => {
    const x509 = new X509Certificate(cert.certPem);
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.checkHost('jordy.niniz.com')).toBe('jordy.niniz.com');
    expect(x509.checkHost('other.com')).toBeUndefined();
  });

  it('writes the key with mode 0600 and the certificate with 0644, replacing older files and their mode', async () => {
    expect((await stat(files.keyFile)).mode & 0o777).toBe(0o600);
    expect((await stat(files.certFile)).mode & 0o777).toBe(0o644);
    const other = join(dir, 'loose.key');
    await writeFile(other, 'old', { mode: 0o644 });
    await writeCertificateFiles(dir, 'loose', cert);
    expect((await stat(other)).mode & 0o777).toBe(0o600);
  });
});

describe('key generation', () => {
  it('goes through Node’s native RSA key generation (no custom PRNG, e = 65537) and takes well under a second', async () => {
    const nodeCrypto = createRequire(import.meta.url)('node:crypto') as typeof crypto;
    const spy = vi.spyOn(nodeCrypto, 'generateKeyPair');
    try {
      await generateSelfSigned({ hosts: ['niniz.com'], days: 1 });
      expect(spy).toHaveBeenCalledTimes(1);
      expect(spy.mock.calls[0]![0]).toBe('rsa');
      expect(spy.mock.calls[0]![1]).toMatchObject({ modulusLength: 2048, publicExponent: 65537 });
    } finally {
      spy.mockRestore();
    }
    const sorted = [...elapsedMs].sort((a, b) => a - b);
    expect(sorted[1]).toBeLessThan(1000);
  });

  it.each([
    [{ hosts: [], days: 360 }, /No host name/],
    [{ hosts: ['bad name'], days: 360 }, /space/],
    [{ hosts: ['niniz.com'], days: 0 }, /whole number of days/],
    [{ hosts: ['niniz.com'], days: 1.5 }, /whole number of days/],
    [{ hosts: ['niniz.com'], days: 360, bits: 1024 }, /2048, 3072 or 4096/],
  ])('refuses %j with a clear message', async (request, message) => {
    await expect(generateSelfSigned(request)).rejects.toThrow(UserError);
    await expect(generateSelfSigned(request)).rejects.toThrow(message);
  });

  it('accepts a wildcard name and an IP address in subjectAltName', async () => {
    const more = await generateSelfSigned({ hosts: ['*.niniz.com', '127.0.0.1'], days: 1 });
    const x509 = new X509Certificate(more.certPem);
    expect(x509.subjectAltName).toBe('DNS:*.niniz.com, IP Address:127.0.0.1');
    expect(x509.checkHost('jordy.niniz.com')).toBe('*.niniz.com');
    expect(x509.checkIP('127.0.0.1')).toBe('127.0.0.1');
  });
});

describe('a real TLS handshake with the generated key and certificate', () => {
  async function handshake(servername: string): Promise<{ fingerprint: string } | { error: string }> {
    const server = tls.createServer({ key: cert.keyPem, cert: cert.certPem }, (socket) => socket.end('hello'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      return await new Promise((resolve) => {
        const socket = tls.connect({ host: '127.0.0.1', port, servername, ca: cert.certPem }, () => {
          resolve({ fingerprint: socket.getPeerCertificate().fingerprint256 });
          socket.end();
        });
        socket.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
      });
    } finally {
      server.close();
    }
  }

  it('is trusted for a name in subjectAltName and presents the reported fingerprint', async () => {
    expect(await handshake('jordy.niniz.com')).toEqual({ fingerprint: cert.fingerprint256 });
  });

  it('is refused for a name it does not carry', async () => {
    expect(await handshake('scappy.other.com')).toEqual({ error: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });
});

describe('the openssl commands shown to the learner', () => {
  it('are the post’s two commands plus subjectAltName, and really make an equivalent certificate', async () => {
    const keyFile = join(dir, 'by-openssl.key');
    const certFile = join(dir, 'by-openssl.cert');
    const lines = opensslCommands({ keyFile, certFile, hosts: ['niniz.com', 'jordy.niniz.com'], days: 360 });
    expect(lines).toEqual([
      `openssl genrsa -out ${keyFile} 2048`,
      `openssl req -new -x509 -key ${keyFile} -out ${certFile} -days 360 -subj /CN=niniz.com -addext subjectAltName=DNS:niniz.com,DNS:jordy.niniz.com`,
    ]);
    for (const line of lines) execFileSync('sh', ['-c', line], { stdio: 'ignore' });
    const text = openssl('x509', '-in', certFile, '-noout', '-text');
    expect(text).toMatch(/Subject: CN ?= ?niniz\.com/);
    expect(text).toContain('DNS:niniz.com, DNS:jordy.niniz.com');
    expect(text).toMatch(/Public-Key: \(2048 bit\)/);
  });
});

describe('the key and certificate replaced as one pair', () => {
  it('a kill after any step of the swap leaves the old pair, the new one, or a key alone: never a mismatch', async () => {
    const { writeFilePairAtomic } = await import('../../src/platform/atomic-file.js');
    const { mkdtemp, readFile, readdir, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'pair-'));
    const key = join(dir, 'niniz.key');
    const cert = join(dir, 'niniz.cert');
    for (const step of ['unlink', 'first'] as const) {
      await writeFile(key, 'old key');
      await writeFile(cert, 'old cert');
      const killed = writeFilePairAtomic(
        { file: key, data: Buffer.from('new key'), mode: 0o600 },
        { file: cert, data: Buffer.from('new cert'), mode: 0o644 },
        {
          afterStep: (at) => {
            if (at === step) throw new Error('killed');
          },
        },
      );
      await expect(killed).rejects.toThrow('killed');
      const names = await readdir(dir);
      expect(names.includes('niniz.cert'), step).toBe(false);
      expect(await readFile(key, 'utf8')).toBe(step === 'unlink' ? 'old key' : 'new key');
    }
    await writeFilePairAtomic(
      { file: key, data: Buffer.from('new key'), mode: 0o600 },
      { file: cert, data: Buffer.from('new cert'), mode: 0o644 },
    );
    expect([await readFile(key, 'utf8'), await readFile(cert, 'utf8')]).toEqual(['new key', 'new cert']);
  });
});
