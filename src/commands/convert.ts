import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT, UsageError, UserError } from '../core/errors.js';
import { convertIngressYaml } from '../ingress/convert.js';
import { convertToGateway } from '../ingress/to-gateway.js';
import { FileTooLargeError, readRegularFile } from '../platform/atomic-file.js';
import { fileProblem } from '../platform/os-errors.js';
import { shellQuote } from '../platform/command.js';
import { packageRoot } from '../platform/paths.js';
import type { CommandEnv, CommandInput } from './types.js';
import { toolCommand } from '../platform/invocation.js';

/** Far above any Ingress manifest; a bigger file is refused with this limit instead of taking minutes and GBs. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/** An IngressClass name is a DNS subdomain. */
const CLASS_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/** The lab cluster's GatewayClass (cloud-provider-kind v0.11.1, pkg/gateway/controller.go). */
const DEFAULT_GATEWAY_CLASS = 'cloud-provider-kind';

/**
 * `expose-labs convert FILE [--class NAME] [--to v1|gateway] [--gateway-class NAME]`: the v1 YAML (or the Gateway
 * API objects) on stdout, so it can be redirected or piped into `kubectl apply -f -`; one line per change on stderr.
 */
export async function run(env: CommandEnv, input: CommandInput): Promise<number> {
  const file = input.args[0];
  if (!file) {
    // The post's manifest where this install keeps it: the example runs from any folder.
    const example = `${toolCommand()} convert ${shellQuote(join(packageRoot(), 'fixtures', 'ingress', 'post', 'jordy-ing.yaml'))} > jordy-ing-v1.yaml`;
    throw new UsageError(
      { ko: '변환할 파일을 주세요.', en: 'Name the file to convert.' },
      {
        ko: `예: ${example}`,
        en: `e.g. ${example}`,
      },
    );
  }
  if (input.opts.to === 'gateway' && input.opts.class !== undefined) throw onlyWith('--class', '--to v1');
  if (input.opts.to !== 'gateway' && input.opts.gatewayClass !== undefined)
    throw onlyWith('--gateway-class', '--to gateway');
  const fromStdin = file === '-';
  const name = fromStdin ? '<stdin>' : file;
  const text = fromStdin ? await readStdin(env) : await readManifest(file);
  if (input.opts.to === 'gateway') {
    const options = {
      sourceName: name,
      gatewayClassName: className(input.opts.gatewayClass ?? DEFAULT_GATEWAY_CLASS, 'GatewayClass'),
      generator: `expose-labs-${packageVersion()}`,
    };
    const converted = notTooDeep(name, () => convertToGateway(text, options));
    env.out.raw(converted.yaml);
    for (const { ingress, text: note } of converted.notes)
      env.out.warn({ ko: `${ingress}: ${note.ko}`, en: `${ingress}: ${note.en}` });
    return EXIT.ok;
  }
  const options = {
    sourceName: name,
    ingressClassName: input.opts.class === undefined ? undefined : className(input.opts.class, 'IngressClass'),
  };
  const result = notTooDeep(name, () => convertIngressYaml(text, options));
  env.out.raw(result.yaml);
  for (const { ingress, text } of result.notes)
    env.out.warn({ ko: `${ingress}: ${text.ko}`, en: `${ingress}: ${text.en}` });
  // The YAML is still written (to finish by hand), but an Ingress that would not apply never exits 0.
  for (const { ingress, text } of result.problems)
    env.out.error({ ko: `${ingress}: ${text.ko}`, en: `${ingress}: ${text.en}` });
  return result.problems.length > 0 ? EXIT.failure : EXIT.ok;
}

/** The YAML parser recurses: a file nested deeply enough overflows the stack (a RangeError), said in one line. */
function notTooDeep<T>(name: string, convert: () => T): T {
  try {
    return convert();
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new UserError({
      ko: `${name}의 YAML이 너무 깊이 중첩되어 있어 변환하지 않았습니다.`,
      en: `The YAML in ${name} is nested too deeply; it was not converted.`,
    });
  }
}

/** `convert -`: the manifest from stdin (`kubectl get ing NAME -o yaml | expose-labs convert -`). */
async function readStdin(env: CommandEnv): Promise<string> {
  if (env.io.stdin.isTTY)
    throw new UsageError(
      {
        ko: '`-` 는 표준 입력에서 읽지만, 표준 입력이 터미널입니다.',
        en: '`-` reads stdin, but stdin is the terminal.',
      },
      {
        ko: '파이프로 넘기세요. 예: cat jordy-ing.yaml | ' + toolCommand('convert -'),
        en: 'Pipe the YAML in, e.g. cat jordy-ing.yaml | ' + toolCommand('convert -'),
      },
    );
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of env.io.stdin) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_MANIFEST_BYTES) throw new FileTooLargeError('<stdin>', MAX_MANIFEST_BYTES);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function className(value: unknown, what: 'IngressClass' | 'GatewayClass'): string {
  if (typeof value === 'string' && CLASS_NAME.test(value)) return value;
  const example = what === 'IngressClass' ? '--class contour' : '--gateway-class cloud-provider-kind';
  throw new UsageError(
    {
      ko: `${what} 이름이 올바르지 않습니다: ${JSON.stringify(value)}`,
      en: `Not a valid ${what} name: ${JSON.stringify(value)}`,
    },
    {
      ko: `소문자, 숫자, - 와 . 만 씁니다. 예: ${example}`,
      en: `Use lowercase letters, digits, - and . only, e.g. ${example}`,
    },
  );
}

/** --class names an IngressClass (the v1 output); --gateway-class a GatewayClass (the Gateway API output). */
function onlyWith(flag: string, mode: string): UsageError {
  return new UsageError(
    { ko: `${flag} 는 ${mode} 에서만 씁니다.`, en: `${flag} goes with ${mode} only.` },
    {
      ko: '--to gateway 에서는 Gateway 이름이 Ingress의 클래스를 따르고, --gateway-class 가 gatewayClassName 을 정합니다.',
      en: 'With --to gateway the Gateway is named after the Ingress class, and --gateway-class sets its gatewayClassName.',
    },
  );
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

async function readManifest(file: string): Promise<string> {
  try {
    return (await readRegularFile(file, MAX_MANIFEST_BYTES)).toString('utf8');
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new UserError(
        { ko: `파일이 없습니다: ${file}`, en: `No such file: ${file}` },
        { ko: '경로를 확인하세요.', en: 'Check the path.' },
      );
    }
    if (code === 'EISDIR') {
      throw new UserError(
        { ko: `${file}: 파일이 아니라 폴더입니다.`, en: `${file} is a folder.` },
        { ko: 'YAML 파일 하나를 주세요.', en: 'Give one YAML file.' },
      );
    }
    throw fileProblem(file, error, 'read');
  }
}
