import { readFile } from 'node:fs/promises';
import { EXIT, UsageError, UserError } from '../core/errors.js';
import { convertIngressYaml } from '../ingress/convert.js';
import type { CommandEnv, CommandInput } from './types.js';
import { toolCommand } from '../platform/invocation.js';

/** An IngressClass name is a DNS subdomain. */
const CLASS_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/**
 * `expose-labs convert FILE [--class NAME]`: the v1 YAML on stdout (so it can be redirected or piped into
 * `kubectl apply -f -`), one line per change on stderr.
 */
export async function run(env: CommandEnv, input: CommandInput): Promise<number> {
  const file = input.args[0];
  if (!file) {
    throw new UsageError(
      { ko: '변환할 파일을 주세요.', en: 'Name the file to convert.' },
      {
        ko: `예: ${toolCommand()} convert fixtures/ingress/post/jordy-ing.yaml > jordy-ing-v1.yaml`,
        en: `e.g. ${toolCommand()} convert fixtures/ingress/post/jordy-ing.yaml > jordy-ing-v1.yaml`,
      },
    );
  }
  const result = convertIngressYaml(await readManifest(file), {
    sourceName: file,
    ingressClassName: ingressClass(input.opts.class),
  });
  env.out.raw(result.yaml);
  for (const { ingress, text } of result.notes)
    env.out.warn({ ko: `${ingress}: ${text.ko}`, en: `${ingress}: ${text.en}` });
  return EXIT.ok;
}

function ingressClass(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && CLASS_NAME.test(value)) return value;
  throw new UsageError(
    {
      ko: `IngressClass 이름이 올바르지 않습니다: ${JSON.stringify(value)}`,
      en: `Not a valid IngressClass name: ${JSON.stringify(value)}`,
    },
    {
      ko: '소문자, 숫자, - 와 . 만 씁니다. 예: --class contour',
      en: 'Use lowercase letters, digits, - and . only, e.g. --class contour',
    },
  );
}

async function readManifest(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new UserError(
        { ko: `파일이 없습니다: ${file}`, en: `No such file: ${file}` },
        { ko: '경로를 확인하세요.', en: 'Check the path.' },
      );
    }
    if (code === 'EISDIR') {
      throw new UserError(
        { ko: `${file} 은(는) 폴더입니다.`, en: `${file} is a folder.` },
        { ko: 'YAML 파일 하나를 주세요.', en: 'Give one YAML file.' },
      );
    }
    throw new UserError({
      ko: `${file} 을(를) 읽을 수 없습니다: ${code ?? String(error)}`,
      en: `Cannot read ${file}: ${code ?? String(error)}`,
    });
  }
}
