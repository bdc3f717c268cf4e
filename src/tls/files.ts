import { isIP } from 'node:net';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';
import { withParticle } from '../core/korean.js';

/*
 * Where the key and certificate go, apart from making them (certificate.ts): the lines `show` prints name these
 * files without loading what signs and writes them.
 */

/** The file base name when none is given: the first name's first label (`niniz.com` → `niniz`), as in the post. */
export function defaultCertName(hosts: readonly string[]): string {
  const name = hosts.find((host) => !isIP(host));
  return name?.replace(/^\*\./, '').split('.')[0] || 'tls';
}

function checkedCertName(name: string): string {
  if (/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(name)) return name;
  throw new UserError({
    ko: `파일 이름 ${withParticle(JSON.stringify(name), '은/는')} 쓸 수 없습니다: 영문자, 숫자, . _ - 만 (경로 없이) 쓰세요.`,
    en: `The file name ${JSON.stringify(name)} cannot be used: letters, digits, . _ - only (no folders).`,
  });
}

export function certificateFiles(dir: string, name: string): { keyFile: string; certFile: string } {
  const base = checkedCertName(name);
  return { keyFile: join(dir, `${base}.key`), certFile: join(dir, `${base}.cert`) };
}
