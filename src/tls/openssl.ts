import { isIP } from 'node:net';
import { formatCommand } from '../platform/command.js';

/**
 * The post's two openssl commands for the same key and certificate, plus the `-addext subjectAltName` that today's
 * clients need (the post's CN-only certificate is refused by curl and kubectl). Needs OpenSSL 1.1.1 or later.
 */
export function opensslCommands(o: {
  keyFile: string;
  certFile: string;
  hosts: readonly string[];
  days: number;
  bits?: number;
}): string[] {
  const san = o.hosts.map((host) => (isIP(host) ? `IP:${host}` : `DNS:${host}`)).join(',');
  return [
    formatCommand({ file: 'openssl', args: ['genrsa', '-out', o.keyFile, String(o.bits ?? 2048)] }),
    formatCommand({
      file: 'openssl',
      args: [
        'req',
        '-new',
        '-x509',
        '-key',
        o.keyFile,
        '-out',
        o.certFile,
        '-days',
        String(o.days),
        '-subj',
        `/CN=${o.hosts[0] ?? ''}`,
        '-addext',
        `subjectAltName=${san}`,
      ],
    }),
  ];
}
