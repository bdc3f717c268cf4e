import { UserError } from '../core/errors.js';
import type { Text } from '../core/i18n.js';
import { withParticle } from '../core/korean.js';

/** One line naming the path the learner gave, with the system's reason (its code, not a temp file's name). */
export function fileProblem(file: string, error: unknown, doing: 'read' | 'write'): UserError {
  const missing = doing === 'read' && (error as NodeJS.ErrnoException).code === 'ENOENT';
  const reason = missing ? { ko: '그런 파일이 없습니다', en: 'there is no such file' } : osReason(error);
  return doing === 'read'
    ? new UserError({
        ko: `${withParticle(file, '을/를')} 읽을 수 없습니다: ${reason.ko}`,
        en: `Cannot read ${file}: ${reason.en}`,
      })
    : new UserError({ ko: `${file}에 쓸 수 없습니다: ${reason.ko}`, en: `Cannot write ${file}: ${reason.en}` });
}

const REASONS: Record<string, Text> = {
  ENOENT: { ko: '그 경로의 폴더가 없습니다', en: 'its folder does not exist' },
  ENOTDIR: { ko: '경로 중간에 폴더가 아닌 것이 있습니다', en: 'a part of the path is not a folder' },
  EISDIR: { ko: '폴더입니다', en: 'it is a folder' },
  EACCES: { ko: '권한이 없습니다', en: 'permission denied' },
  EPERM: { ko: '허용되지 않습니다', en: 'operation not permitted' },
  EROFS: { ko: '읽기 전용 파일 시스템입니다', en: 'the file system is read-only' },
  ENOSPC: { ko: '디스크에 빈 공간이 없습니다', en: 'the disk is full' },
  EDQUOT: { ko: '디스크 할당량을 넘었습니다', en: 'the disk quota is exceeded' },
  ELOOP: { ko: '링크가 너무 많이 이어집니다', en: 'too many levels of links' },
};

/** The system's reason in words, from its code; its message (which may name a temp file) only when unknown. */
export function osReason(error: unknown): Text {
  const known = REASONS[(error as NodeJS.ErrnoException).code ?? ''];
  return known ?? { ko: (error as Error).message, en: (error as Error).message };
}
