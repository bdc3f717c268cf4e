import type Forge from 'node-forge';
import { createHash, createPrivateKey, randomBytes, sign } from 'node:crypto';
import { access } from 'node:fs/promises';
import { isIP } from 'node:net';
import { UserError } from '../core/errors.js';
import { hostNameProblem, normalizeHostName } from '../core/host-names.js';
import { writeFilePairAtomic } from '../platform/atomic-file.js';
import { makeFolders } from '../platform/folders.js';
import { certificateFiles } from './files.js';

/**
 * The TLS lab's key and self-signed certificate, made with node-forge: what the post's `openssl genrsa` and
 * `openssl req -x509` make, plus what today's clients insist on (subjectAltName, SHA-256, a positive serial).
 */

export interface GeneratedCert {
  keyPem: string;
  certPem: string;
  /** SHA-256 of the certificate's DER, upper-case hex pairs joined by `:` (as Node's X509Certificate prints it). */
  fingerprint256: string;
  serialHex: string;
  notBefore: Date;
  notAfter: Date;
  hosts: string[];
}

export interface CertificateRequest {
  /** The first is the subject CN; all go into subjectAltName. Names (a leading `*.` allowed) or IP addresses. */
  hosts: string[];
  days: number;
  bits?: number;
}

const DAY_MS = 86_400_000;
const MAX_DAYS = 36_500;

/** The hosts as they go into the certificate: validated, lower-case, without repeats. Throws UserError. */
export function certificateHosts(hosts: readonly string[]): string[] {
  if (hosts.length === 0) {
    throw new UserError(
      { ko: '인증서에 넣을 호스트 이름이 없습니다.', en: 'No host name was given for the certificate.' },
      { ko: '예: --host niniz.com', en: 'For example: --host niniz.com' },
    );
  }
  return [
    ...new Set(
      hosts.map((host) => {
        if (isIP(host)) return host;
        const problem = hostNameProblem(host, { wildcard: true });
        if (problem) throw new UserError(problem);
        return normalizeHostName(host);
      }),
    ),
  ];
}

export function certificateDays(days: number): number {
  if (Number.isInteger(days) && days >= 1 && days <= MAX_DAYS) return days;
  throw new UserError({
    ko: `유효 기간은 1에서 ${MAX_DAYS} 사이의 일 수여야 합니다 (받은 값: ${days}).`,
    en: `The validity must be a whole number of days from 1 to ${MAX_DAYS} (got ${days}).`,
  });
}

function checkedBits(bits: number): number {
  if ([2048, 3072, 4096].includes(bits)) return bits;
  throw new UserError({
    ko: `RSA 키 길이는 2048, 3072, 4096 중 하나여야 합니다 (받은 값: ${bits}).`,
    en: `The RSA key size must be 2048, 3072 or 4096 (got ${bits}).`,
  });
}

/** node-forge is large: loaded when a certificate is made, so commands that make none start faster. */
async function loadForge(): Promise<typeof Forge> {
  return (await import('node-forge')).default;
}

/** No custom PRNG and e = 65537: forge then hands key generation to Node's native crypto (well under a second). */
function generateKeyPair(forge: typeof Forge, bits: number): Promise<Forge.pki.rsa.KeyPair> {
  return new Promise((resolve, reject) => {
    forge.pki.rsa.generateKeyPair({ bits, e: 0x10001 }, (error, keys) => (error ? reject(error) : resolve(keys)));
  });
}

/** 16 random bytes, first byte 0x01–0x7f: positive (Go refuses a negative serial) and minimally DER-encoded. */
function randomSerialHex(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f || 0x01;
  return bytes.toString('hex');
}

function fingerprintOfDer(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)!.join(':');
}

/**
 * What forge's `cert.sign(key, sha256)` does, with the RSA operation in Node's native crypto: forge's JavaScript
 * signature costs 50–150 ms, more than the rest of the certificate. PKCS#1 v1.5 signatures are deterministic, so the
 * bytes are the same either way.
 */
function signSha256(forge: typeof Forge, cert: Forge.pki.Certificate, keyPem: string): void {
  cert.signatureOid = forge.pki.oids.sha256WithRSAEncryption!;
  cert.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption!;
  // getTBSCertificate is public in forge but missing from its type definitions.
  const { getTBSCertificate } = forge.pki as unknown as {
    getTBSCertificate(this: void, c: Forge.pki.Certificate): Forge.asn1.Asn1;
  };
  const tbs = Buffer.from(forge.asn1.toDer(getTBSCertificate(cert)).getBytes(), 'binary');
  cert.signature = sign('sha256', tbs, createPrivateKey(keyPem)).toString('binary');
}

export async function generateSelfSigned(request: CertificateRequest): Promise<GeneratedCert> {
  const hosts = certificateHosts(request.hosts);
  const days = certificateDays(request.days);
  const forge = await loadForge();
  const keys = await generateKeyPair(forge, checkedBits(request.bits ?? 2048));

  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = randomSerialHex();
  // X.509 times have whole seconds; start now, as openssl does.
  const notBefore = new Date(Math.floor(Date.now() / 1000) * 1000);
  const notAfter = new Date(notBefore.getTime() + days * DAY_MS);
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  const subject = [{ name: 'commonName', value: hosts[0]! }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    // Modern clients (curl, browsers, Go's kubectl) match the name against these, not against the CN.
    {
      name: 'subjectAltName',
      altNames: hosts.map((host) => (isIP(host) ? { type: 7, ip: host } : { type: 2, value: host })),
    },
    { name: 'subjectKeyIdentifier' },
  ]);
  const keyPem = forge.pki.privateKeyToPem(keys.privateKey);
  signSha256(forge, cert, keyPem);

  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
  return {
    keyPem,
    certPem: forge.pki.certificateToPem(cert),
    fingerprint256: fingerprintOfDer(der),
    serialHex: cert.serialNumber,
    notBefore,
    notAfter,
    hosts,
  };
}

/** Does a key already exist there (one that a Secret may have been made from)? */
export async function keyExists(dir: string, name: string): Promise<boolean> {
  return access(certificateFiles(dir, name).keyFile).then(
    () => true,
    () => false,
  );
}

/**
 * `<dir>/<name>.key` (mode 0600, never readable by others, not even for a moment) and `<dir>/<name>.cert`, replacing
 * earlier ones as one pair: no kill leaves a key with a certificate it does not belong to.
 */
export async function writeCertificateFiles(
  dir: string,
  name: string,
  cert: GeneratedCert,
): Promise<{ keyFile: string; certFile: string }> {
  const files = certificateFiles(dir, name);
  await makeFolders(dir);
  await writeFilePairAtomic(
    { file: files.keyFile, data: Buffer.from(cert.keyPem), mode: 0o600 },
    { file: files.certFile, data: Buffer.from(cert.certPem), mode: 0o644 },
  );
  return files;
}
