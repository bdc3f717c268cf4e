import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { MAX_MANIFEST_BYTES, run } from '../../src/commands/convert.js';
import type { CommandEnv } from '../../src/commands/types.js';
import { UsageError, UserError } from '../../src/core/errors.js';
import { Output } from '../../src/ui/output.js';
import { captureIo } from '../support/capture-io.js';

const root = join(import.meta.dirname, '..', '..');
const postFile = (name: string) => join(root, 'fixtures', 'ingress', 'post', `${name}.yaml`);

/** The command's `run`, as the CLI calls it; `opts.class` is the --class flag the CLI is asked to declare. */
async function convert(args: string[], opts: Record<string, unknown> = {}, lang: 'en' | 'ko' = 'en') {
  const t = captureIo();
  const env = { out: new Output(lang, t.io.stdout, t.io.stderr, false), io: t.io } as unknown as CommandEnv;
  const code = await run(env, { args, opts });
  return { code, stdout: t.stdout(), stderr: t.stderr() };
}

async function failure(args: string[], opts: Record<string, unknown> = {}): Promise<UserError> {
  const error = await convert(args, opts).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof UserError) return error;
  throw new Error(`expected a UserError, got ${String(error)}`);
}

describe('expose-labs convert FILE', () => {
  it('without a file, the example names the post manifest where this install keeps it (runs from any folder)', async () => {
    const error = await failure([]);
    expect(error).toBeInstanceOf(UsageError);
    const hint = error.hint as { ko: string; en: string };
    expect(hint.en).toContain(` convert ${postFile('jordy-ing')} > jordy-ing-v1.yaml`);
    expect(hint.ko).toContain(` convert ${postFile('jordy-ing')} > jordy-ing-v1.yaml`);
  });

  it('writes the v1 YAML on stdout and one line per change on stderr, exit 0', async () => {
    const { code, stdout, stderr } = await convert([postFile('basic-niniz-ing')]);
    expect(code).toBe(0);
    const ingress = parse(stdout);
    expect(ingress.apiVersion).toBe('networking.k8s.io/v1');
    expect(ingress.spec.rules[1].http.paths[0].backend).toEqual({
      service: { name: 'scappy-node-port-svc', port: { number: 80 } },
    });
    const lines = stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('! basic-niniz-ing: apiVersion: extensions/v1beta1 → networking.k8s.io/v1');
    expect(lines.filter((l) => l.includes('pathType: Prefix added'))).toHaveLength(2);
    expect(lines.filter((l) => l.includes('service.port.number'))).toHaveLength(2);
    expect(lines.at(-1)).toMatch(/no ingressClassName/);
    expect(lines).toHaveLength(6);
  });

  it('speaks Korean on stderr in Korean; stdout stays YAML', async () => {
    const { stdout, stderr } = await convert([postFile('jordy-ing')], {}, 'ko');
    expect(parse(stdout).kind).toBe('Ingress');
    expect(stderr).toContain('pathType: Prefix 추가');
  });

  it('with --class, sets spec.ingressClassName', async () => {
    const { code, stdout, stderr } = await convert([postFile('basic-niniz-ing-multi-path')], { class: 'contour' });
    expect(code).toBe(0);
    expect(parse(stdout).spec.ingressClassName).toBe('contour');
    expect(stderr).toContain('spec.ingressClassName: contour (--class)');
  });

  it('refuses a class name Kubernetes would refuse', async () => {
    expect(await failure([postFile('jordy-ing')], { class: 'Not_A_Class' })).toBeInstanceOf(UsageError);
  });

  it('without a file: a usage error', async () => {
    expect(await failure([])).toBeInstanceOf(UsageError);
  });

  it('a missing file', async () => {
    expect((await failure([join(root, 'no-such-file.yaml')])).text).toMatchObject({
      en: expect.stringMatching(/^No such file: /),
    });
  });

  it('a folder instead of a file', async () => {
    expect((await failure([root])).text).toMatchObject({ en: expect.stringContaining(`${root} is a folder`) });
  });

  it('a file over the size limit, refused with the limit before it is read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'convert-'));
    const file = join(dir, 'huge.yaml');
    await writeFile(file, Buffer.alloc(4 * 1024 * 1024 + 1, 0x20));
    const started = Date.now();
    expect((await failure([file])).text).toMatchObject({
      en: `${file} is larger than 4194304 bytes, so it was not read.`,
    });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a file that is not YAML: file, line and column', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'convert-'));
    const file = join(dir, 'broken.yaml');
    await writeFile(file, 'kind: Ingress\nspec: [unclosed\n');
    expect((await failure([file])).text).toMatchObject({ en: expect.stringContaining(`${file}:`) });
  });

  it('a file without an Ingress', async () => {
    const file = join(root, 'fixtures', 'services', 'scappy-node-port-svc.yaml');
    expect((await failure([file])).text).toMatchObject({ en: `${file} holds no Ingress.` });
  });
});

describe('expose-labs convert FILE --to gateway', () => {
  it('prints the Gateway and HTTPRoutes on stdout, the notes on stderr, exit 0', async () => {
    const { code, stdout, stderr } = await convert([postFile('basic-niniz-ing-multi-path-tls')], { to: 'gateway' });
    expect(code).toBe(0);
    const docs = parseAllDocuments(stdout).map((d) => d.toJS());
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual([
      'Gateway/cloud-provider-kind',
      'HTTPRoute/basic-niniz-ing-multi-path-niniz-com',
    ]);
    expect(docs[0].metadata.annotations['gateway.networking.k8s.io/generator']).toMatch(/^expose-labs-\d+\.\d+\.\d+/);
    expect(stderr).toContain(
      'basic-niniz-ing-multi-path: no Ingress class, so the Gateway is named after the GatewayClass, cloud-provider-kind.',
    );
  });

  it('--gateway-class sets gatewayClassName, and a name Kubernetes would refuse is a usage error', async () => {
    const { stdout } = await convert([postFile('jordy-ing')], { to: 'gateway', gatewayClass: 'istio' });
    expect(parseAllDocuments(stdout)[0]!.toJS().spec.gatewayClassName).toBe('istio');
    expect(await failure([postFile('jordy-ing')], { to: 'gateway', gatewayClass: 'No Such' })).toBeInstanceOf(
      UsageError,
    );
  });

  it('--class with --to gateway, or --gateway-class without it, is a usage error', async () => {
    expect(await failure([postFile('jordy-ing')], { to: 'gateway', class: 'contour' })).toBeInstanceOf(UsageError);
    expect(await failure([postFile('jordy-ing')], { to: 'v1', gatewayClass: 'istio' })).toBeInstanceOf(UsageError);
  });

  it('the CLI declares --to (v1 or gateway) and --gateway-class', async () => {
    const t = captureIo();
    const { main } = await import('../../src/cli.js');
    const code = await main(['convert', postFile('jordy-ing'), '--to', 'yaml'], { io: t.io });
    expect(code).toBe(2);
    expect(t.stderr()).toMatch(/--to <format>.*yaml.*(v1, gateway|Allowed choices are v1, gateway)/s);
  });
});

/** The post's `kubectl edit` block, as printed in the post: `...` for the metadata it left out, and its status. */
const POST_TLS_EXCERPT = `apiVersion: extensions/v1beta1
kind: Ingress
...
spec:
  rules:
  - host: niniz.com
    http:
      paths:
      - backend:
          serviceName: jordy-node-port-svc
          servicePort: 80
        path: /jordy
      - backend:
          serviceName: scappy-node-port-svc
          servicePort: 80
        path: /scappy
# tls part [start]
  tls:
  - hosts:
    - niniz.com
    secretName: niniz-secret
# tls part [end]
status:
  loadBalancer:
    ingress:
    - ip: 34.000.000.000
`;

describe('convert on excerpts (issue 12, item 2)', () => {
  async function excerptFile(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'convert-excerpt-'));
    const file = join(dir, 'tls-excerpt.yaml');
    await writeFile(file, POST_TLS_EXCERPT);
    return file;
  }

  it("reads the post's `...` as left-out fields, converts the whole object, names what is missing, exit 1", async () => {
    const { code, stdout, stderr } = await convert([await excerptFile()]);
    expect(code).toBe(1);
    const docs = stdout.split(/^---$/m);
    expect(docs).toHaveLength(1);
    const ingress = parse(stdout);
    expect(ingress.apiVersion).toBe('networking.k8s.io/v1');
    // The rules and tls are the post's, converted; nothing invented, and no unconverted second document.
    expect(ingress.spec.rules[0].http.paths[1].backend).toEqual({
      service: { name: 'scappy-node-port-svc', port: { number: 80 } },
    });
    expect(ingress.spec.tls).toEqual([{ hosts: ['niniz.com'], secretName: 'niniz-secret' }]);
    expect(stdout).not.toContain('serviceName');
    expect(ingress.status).toBeUndefined();
    expect(stderr).toContain('was read as an excerpt');
    expect(stderr).toContain('status removed');
    expect(stderr).toMatch(/^✖ .*metadata\.name is missing/m);
  });

  it('a document with no kind is named as a problem, never exit 0', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'convert-excerpt-'));
    const file = join(dir, 'two.yaml');
    await writeFile(
      file,
      'apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: a\nspec:\n  backend:\n    serviceName: s\n    servicePort: 80\n---\nspec:\n  rules: []\n',
    );
    const { code, stderr } = await convert([file]);
    expect(code).toBe(1);
    expect(stderr).toContain('document 2, has no kind');
  });

  it('`convert -` reads stdin', async () => {
    const t = captureIo();
    t.io.stdin.end(await readFile(postFile('jordy-ing'), 'utf8'));
    const env = { out: new Output('en', t.io.stdout, t.io.stderr, false), io: t.io } as unknown as CommandEnv;
    expect(await run(env, { args: ['-'], opts: {} })).toBe(0);
    expect(parse(t.stdout()).apiVersion).toBe('networking.k8s.io/v1');
  });

  it('refuses stdin far bigger than a manifest with one clear line', async () => {
    const t = captureIo();
    t.io.stdin.end('#'.repeat(MAX_MANIFEST_BYTES + 1));
    const env = { out: new Output('en', t.io.stdout, t.io.stderr, false), io: t.io } as unknown as CommandEnv;
    await expect(run(env, { args: ['-'], opts: {} })).rejects.toThrow(/larger than/);
  });
});
