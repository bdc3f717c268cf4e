import type { Text } from '../core/i18n.js';
import type { GeneratedCert } from './certificate.js';

/** What the learner is told after a key and certificate were written. The key's content is never shown. */
export function certificateSummary(files: { keyFile: string; certFile: string }, cert: GeneratedCert): Text[] {
  const days = Math.round((cert.notAfter.getTime() - cert.notBefore.getTime()) / 86_400_000);
  const until = cert.notAfter.toISOString().slice(0, 10);
  return [
    {
      ko: `개인 키: ${files.keyFile} (권한 0600, 다른 사람에게 보여 주지 마세요)`,
      en: `Private key: ${files.keyFile} (mode 0600; keep it to yourself)`,
    },
    { ko: `인증서: ${files.certFile}`, en: `Certificate: ${files.certFile}` },
    {
      ko: `이름 (CN, subjectAltName): ${cert.hosts.join(', ')}`,
      en: `Names (CN, subjectAltName): ${cert.hosts.join(', ')}`,
    },
    { ko: `유효 기간: ${days}일 (${until}까지)`, en: `Valid for ${days} days (until ${until})` },
    { ko: `SHA-256 지문: ${cert.fingerprint256}`, en: `SHA-256 fingerprint: ${cert.fingerprint256}` },
  ];
}

export const OPENSSL_INTRO: Text = {
  ko: 'openssl로 같은 일을 하는 명령 (글에 나온 두 명령 + 요즘 클라이언트가 요구하는 subjectAltName):',
  en: 'The same with openssl (the post’s two commands, plus the subjectAltName today’s clients require):',
};
