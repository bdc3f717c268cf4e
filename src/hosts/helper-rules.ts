import { readFile, realpath } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { addressProblem, hostNameProblem } from '../core/host-names.js';
import { regularTarget } from '../platform/atomic-file.js';
import { packageRoot } from '../platform/paths.js';
import { changeableByOthers } from '../platform/trusted-code.js';
import { blockEntries, blockIsToolMade, outsideBlock, type HostsEntry } from './block.js';
import { withParticle } from '../core/korean.js';

/**
 * What the root helper (`hosts-write`, run through sudo) may do, and nothing more: write the system hosts file, or
 * the one file an admin named in `hosts-write.json` at the package root (root-owned like the code), and only
 * when that file looks like a hosts file. The change must stay inside the tool's block, and every line of the new
 * block must be one the tool writes. The code sudo runs must be code only root can change.
 */

export const HELPER_CONFIG = 'hosts-write.json';

const refused = (file: string, why: { ko: string; en: string }) =>
  new UserError({
    ko: `hosts-write: ${withParticle(file, '은/는')} 쓰지 않습니다: ${why.ko}`,
    en: `hosts-write: not writing ${file}: ${why.en}`,
  });

async function configuredFile(root: string): Promise<string | undefined> {
  try {
    const parsed = JSON.parse(await readFile(join(root, HELPER_CONFIG), 'utf8')) as { hostsFile?: unknown };
    return typeof parsed.hostsFile === 'string' ? resolve(parsed.hostsFile) : undefined;
  } catch {
    return undefined;
  }
}

const real = (file: string) => realpath(file).catch(() => resolve(file));

/** Every line outside the block is blank, a comment, or `address name…` with a valid address. */
function looksLikeHostsFile(text: string, file: string): boolean {
  return outsideBlock(text, file)
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean)
    .every((line) => {
      const [address, ...names] = line.split(/\s+/);
      return names.length > 0 && !addressProblem(address!);
    });
}

/** What the root side looks at besides the request; tests replace it. */
export interface HelperRules {
  /** The first path of the running code (node, script, package) a non-root user could change. */
  changeableCode(): Promise<string | undefined>;
  /** The file an admin named in `hosts-write.json` next to the code, if any. */
  configuredFile(): Promise<string | undefined>;
  /** The first of `folder` and the folders above it that a non-root user could change. */
  changeableFolder(folder: string): Promise<string | undefined>;
}

export const installedHelperRules: HelperRules = {
  changeableCode: () => changeableByOthers([process.execPath, process.argv[1]!], [packageRoot()]),
  configuredFile: () => configuredFile(packageRoot()),
  changeableFolder: (folder) => changeableByOthers([folder], []),
};

/** Root side: the path to write, once it is known to be the one file this helper may write. Throws otherwise. */
export async function checkedHelperRequest(
  file: string,
  systemHostsFile: string,
  rules: HelperRules = installedHelperRules,
): Promise<string> {
  const code = await rules.changeableCode();
  if (code) {
    throw refused(file, {
      ko: `root로 실행되는 코드 ${withParticle(code, '을/를')} root가 아닌 사용자도 바꿀 수 있습니다`,
      en: `the code run as root (${code}) can be changed by users other than root`,
    });
  }
  const wanted = await real(file);
  if (wanted === (await real(systemHostsFile))) return wanted;
  const configured = await rules.configuredFile();
  if (!configured || wanted !== (await real(configured))) {
    throw refused(file, {
      ko: `시스템 hosts 파일(${systemHostsFile})도, ${HELPER_CONFIG}에 지정된 파일도 아닙니다`,
      en: `it is neither the system hosts file (${systemHostsFile}) nor the file named in ${HELPER_CONFIG}`,
    });
  }
  // Root also writes beside the file (its backup, lock and temp files, through links): in a folder another user
  // can change, a link planted there would have root write wherever it points.
  const folder = await rules.changeableFolder(dirname(wanted));
  if (folder) {
    throw refused(file, {
      ko: `그 폴더(${folder})를 root가 아닌 사용자도 바꿀 수 있습니다`,
      en: `its folder (${folder}) can be changed by users other than root`,
    });
  }
  if (await regularTarget(wanted)) {
    const text = (await readFile(wanted)).toString('latin1');
    if (!looksLikeHostsFile(text, wanted))
      throw refused(file, { ko: 'hosts 파일 형식이 아닙니다', en: 'it does not look like a hosts file' });
  }
  return wanted;
}

/** Root side: the new text changes only the block, and the block holds only lines the tool writes. */
export function checkBlockOnlyChange(file: string, before: string, after: string): void {
  const validEntry = (e: HostsEntry) =>
    !addressProblem(e.address) && e.names.every((n) => !hostNameProblem(n) && n === n.toLowerCase());
  let ok: boolean;
  try {
    ok =
      outsideBlock(before, file) === outsideBlock(after, file) &&
      blockIsToolMade(after, file, validEntry) &&
      blockEntries(after, file).every(validEntry);
  } catch {
    ok = false;
  }
  if (ok) return;
  throw new UserError({
    ko: `${file}의 새 내용이 expose-labs 블록 밖을 바꾸거나 도구가 쓰지 않는 줄을 담고 있어 거부했습니다.`,
    en: `The new content for ${file} changes lines outside the expose-labs block or holds lines the tool does not write; refused.`,
  });
}

/**
 * User side, before sudo: the code sudo would run as root ([node, script] and the script's package) must be code
 * only root can change; otherwise running it through sudo would hand root to whoever can edit it.
 */
export async function helperCodeProblem(argv0: readonly string[]): Promise<UserError | undefined> {
  const [node, script] = argv0;
  if (!node || !script) return undefined;
  const found = await changeableByOthers([node, script], [packageRoot(script)]).catch(() => script);
  if (!found) return undefined;
  return new UserError(
    {
      ko: `hosts 파일을 sudo로 고치지 않았습니다: sudo가 root로 실행할 코드(${found})를 root가 아닌 사용자도 바꿀 수 있습니다.`,
      en: `The hosts file was not changed through sudo: the code sudo would run as root (${found}) can be changed by users other than root.`,
    },
    {
      ko: 'root만 바꿀 수 있는 곳에 설치하세요 (sudo npm install -g expose-labs, README의 "sudo 규칙" 참고). 또는 --no-hosts 로 진행하거나 --hosts-file 로 쓸 수 있는 파일을 지정하세요.',
      en: 'Install it where only root can change it (sudo npm install -g expose-labs; see "The sudo rule" in README). Or go on with --no-hosts, or point --hosts-file at a file you can write.',
    },
  );
}
