import { X509Certificate } from 'node:crypto';

/** What a learner (and the tls check) needs to know about the certificate a server presented. */
export interface CertificateInfo {
  /** e.g. `CN=niniz.com` (several parts joined by `, `). */
  subject: string;
  subjectCN?: string;
  issuer: string;
  /** subjectAltName values without their `DNS:` / `IP Address:` prefix. */
  san: string[];
  /** SHA-256 of the DER certificate, `AB:CD:…` as openssl and node-forge helpers print it. */
  fingerprint256: string;
  serialNumber: string;
  validFrom: string;
  validTo: string;
  /** Issued by itself and signed with its own key. */
  selfSigned: boolean;
  expired: boolean;
}

function joinDn(dn: string): string {
  return dn.split('\n').filter(Boolean).join(', ');
}

function commonName(dn: string): string | undefined {
  for (const part of dn.split('\n')) if (part.startsWith('CN=')) return part.slice(3);
  return undefined;
}

function altNames(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(/,\s*/)
    .map((entry) => entry.replace(/^(DNS|IP Address|email|URI):/, '').trim())
    .filter(Boolean);
}

function isoDate(text: string): string {
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? text : date.toISOString();
}

export function describeCertificate(cert: X509Certificate, now: Date = new Date()): CertificateInfo {
  let selfSigned = false;
  try {
    selfSigned = cert.checkIssued(cert) && cert.verify(cert.publicKey);
  } catch {
    // A key type the runtime cannot verify with: it is not shown as self-signed rather than guessed.
  }
  return {
    subject: joinDn(cert.subject),
    subjectCN: commonName(cert.subject),
    issuer: joinDn(cert.issuer),
    san: altNames(cert.subjectAltName),
    fingerprint256: cert.fingerprint256,
    serialNumber: cert.serialNumber,
    validFrom: isoDate(cert.validFrom),
    validTo: isoDate(cert.validTo),
    selfSigned,
    expired: now.getTime() > new Date(cert.validTo).getTime() || now.getTime() < new Date(cert.validFrom).getTime(),
  };
}

/** The first PEM certificate in a text (a cert file, curl's `%{certs}` output); undefined when there is none. */
export function certificateFromPem(text: string): X509Certificate | undefined {
  const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(text)?.[0];
  if (!pem) return undefined;
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
}

/** `ab:cd…`, `ABCD…` and `sha256:ab…` all become `AB:CD:…`, so fingerprints compare however they were written. */
export function normalizeFingerprint(value: string): string {
  const hex = value
    .replace(/^sha-?256[:=\s]*/i, '')
    .replace(/[^0-9a-f]/gi, '')
    .toUpperCase();
  return hex.match(/.{1,2}/g)?.join(':') ?? '';
}

/** Is the certificate made for `name`? subjectAltName only (clients ignore the CN); `*.x` covers one label. */
export function certificateNames(cert: CertificateInfo, name: string): boolean {
  const wanted = name.toLowerCase();
  return cert.san.some((entry) => {
    const san = entry.toLowerCase();
    if (san === wanted) return true;
    if (!san.startsWith('*.')) return false;
    const suffix = san.slice(1);
    const label = wanted.endsWith(suffix) ? wanted.slice(0, -suffix.length) : '';
    return label !== '' && !label.includes('.');
  });
}
