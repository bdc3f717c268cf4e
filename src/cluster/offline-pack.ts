import { existsSync, readFileSync } from 'node:fs';
import { chmod, copyFile, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { UserError } from '../core/errors.js';
import type { Reporter } from '../core/reporter.js';
import type { Exec } from '../platform/command.js';
import { run } from '../platform/exec.js';
import { DOCKER_INFO_ARGS, enginePlatform, parseDockerInfo } from './docker.js';
import { cachedManifestOk, ensureManifest, manifestPath } from './manifests.js';
import { offlineRecordPath, savedRef, type OfflineRecord } from './offline-record.js';
import { toolRelease, toolDestination, type DownloadBases } from './tool-download.js';
import { downloadVerified, fetchPublishedSha256, sha256File, type Fetch } from './verified-download.js';
import { toolCommand } from '../platform/invocation.js';
import {
  PINNED_IMAGES,
  PINNED_MANIFESTS,
  type GoPlatform,
  type ManifestPin,
  type PinnedImage,
  type ToolName,
} from './versions.js';
import { withParticle } from '../core/korean.js';
import { makeFolders } from '../platform/folders.js';

/**
 * An offline pack for a room without internet, on a USB stick: every pinned image once per CPU
 * (`docker save --platform`: an archive of one platform, which `docker load` and the nodes'
 * `ctr images import --all-platforms` accept on every image store, see kind/images.ts), the third-party
 * manifests, kind and kubectl for every OS and CPU, and this tool itself with everything npm needs to install
 * it offline. manifest.json lists each file with its sha256. Made once where the network is good
 * (`pack DIR`), copied to each laptop, loaded there (`unpack DIR`).
 */
export const PACK_FORMAT = 'expose-labs-pack/2';
export const PACK_MANIFEST = 'manifest.json';
/** The CPUs of a room's laptops, as Docker names the platforms of Linux images. */
export const PACK_PLATFORMS = ['linux/amd64', 'linux/arm64'] as const;
/** Every OS and CPU kind and kubectl publish a binary for. */
export const TOOL_PLATFORMS: readonly GoPlatform[] = [
  'linux/amd64',
  'linux/arm64',
  'darwin/amd64',
  'darwin/arm64',
  'windows/amd64',
];

const fileEntry = z.object({ file: z.string(), sha256: z.string() });

const packSchema = z.object({
  format: z.literal(PACK_FORMAT),
  createdBy: z.string(),
  platforms: z.array(z.string()),
  images: z.array(
    z.object({
      ref: z.string(),
      saved: z.string(),
      where: z.enum(['host', 'cluster']),
      archives: z.record(z.string(), fileEntry.extend({ bytes: z.number().optional() })),
    }),
  ),
  manifests: z.array(
    z.object({ name: z.string(), version: z.string(), url: z.string(), file: z.string(), sha256: z.string() }),
  ),
  tools: z.array(
    z.object({ tool: z.enum(['kind', 'kubectl']), platform: z.string(), version: z.string() }).and(fileEntry),
  ),
  /** `npm pack` of this tool, and an npm cache holding every dependency it installs with. */
  npm: z.object({ tarball: z.string(), cache: z.string() }).optional(),
});

export type PackManifest = z.infer<typeof packSchema>;

export interface PackContext {
  exec: Exec;
  cacheDir: string;
  reporter: Reporter;
  signal: AbortSignal;
  dryRun: boolean;
  /** `expose-labs <version>`, recorded in manifest.json. */
  createdBy: string;
  fetch: Fetch;
  images?: readonly PinnedImage[];
  manifests?: readonly ManifestPin[];
  platforms?: readonly string[];
  /** kind and kubectl for these OS/CPUs (default: all); an empty list packs none. */
  toolPlatforms?: readonly GoPlatform[];
  bases?: DownloadBases;
  /** This tool's package folder, for `npm pack`; undefined packs no npm install. */
  packageRoot?: string;
}

/** `images/kindest_node_v1.36.1_arm64.tar` for `kindest/node:v1.36.1` on linux/arm64. */
export function imageFile(saved: string, platform: string): string {
  const arch = platform.split('/')[1] ?? platform;
  return join('images', `${saved.replace(/[^A-Za-z0-9._-]+/g, '_')}_${arch}.tar`);
}

export function toolFile(tool: ToolName, platform: GoPlatform): string {
  const [os, arch] = platform.split('/') as [string, string];
  return join('tools', `${os}-${arch}`, os === 'windows' ? `${tool}.exe` : tool);
}

/** The platform of the images this engine runs, from `docker info` (undefined in a dry run). */
export async function engineImagePlatform(exec: Exec, signal?: AbortSignal): Promise<string | undefined> {
  const result = await run(exec, { file: 'docker', args: [...DOCKER_INFO_ARGS] }, signal);
  return enginePlatform(parseDockerInfo(result.stdout));
}

export function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(0)} MB`;
}

/**
 * Bytes one laptop of `platform` gets from the pack: its image archives (what it would otherwise pull, as
 * `docker save` writes them: uncompressed layers, so more than a registry pull transfers).
 */
export function bytesPerLaptop(manifest: Pick<PackManifest, 'images'>, platform: string): number {
  return manifest.images.reduce((sum, image) => sum + (image.archives[platform]?.bytes ?? 0), 0);
}

async function packImages(dir: string, ctx: PackContext, result: PackManifest): Promise<void> {
  const own = await engineImagePlatform(ctx.exec, ctx.signal);
  // The classic image store keeps one platform per tag: the engine's own last, so the machine that made the
  // pack keeps images it can run.
  const platforms = [...result.platforms].sort((a, b) => Number(a === own) - Number(b === own));
  for (const image of ctx.images ?? PINNED_IMAGES) {
    const saved = savedRef(image.ref);
    const entry: PackManifest['images'][number] = { ref: image.ref, saved, where: image.where, archives: {} };
    await ctx.reporter.task({ ko: `이미지 저장: ${image.ref}`, en: `Save image ${image.ref}` }, async (signal) => {
      const s = AbortSignal.any([ctx.signal, signal]);
      for (const platform of platforms) {
        const file = imageFile(saved, platform);
        await run(ctx.exec, { file: 'docker', args: ['pull', '--platform', platform, image.ref] }, s);
        // `docker load` does not bring back a registry digest: save under the tag, which load restores.
        if (saved !== image.ref) await run(ctx.exec, { file: 'docker', args: ['tag', image.ref, saved] }, s);
        await run(
          ctx.exec,
          { file: 'docker', args: ['save', '--platform', platform, '-o', join(dir, file), saved] },
          s,
        );
        const bytes = ctx.dryRun ? undefined : (await stat(join(dir, file))).size;
        entry.archives[platform] = { file, sha256: ctx.dryRun ? '' : await sha256File(join(dir, file)), bytes };
        const size = bytes === undefined ? '' : ` (${megabytes(bytes)})`;
        ctx.reporter.note({ ko: `  ${platform}: ${file}${size}`, en: `  ${platform}: ${file}${size}` });
      }
    });
    result.images.push(entry);
  }
}

async function packTools(dir: string, ctx: PackContext, result: PackManifest): Promise<void> {
  for (const platform of ctx.toolPlatforms ?? TOOL_PLATFORMS) {
    for (const tool of ['kind', 'kubectl'] as const) {
      const release = toolRelease(tool, platform, ctx.bases);
      const file = toolFile(tool, platform);
      await ctx.reporter.task(
        { ko: `${tool} ${release.version} 받기 (${platform})`, en: `Fetch ${tool} ${release.version} (${platform})` },
        async (signal) => {
          if (ctx.dryRun) {
            ctx.reporter.note({
              ko: `# ${release.url} → ${join(dir, file)}`,
              en: `# ${release.url} → ${join(dir, file)}`,
            });
            return;
          }
          const s = AbortSignal.any([ctx.signal, signal]);
          const sha256 =
            'pinned' in release.sha256
              ? release.sha256.pinned
              : await fetchPublishedSha256(release.sha256.published, ctx.fetch, s);
          await downloadVerified({
            url: release.url,
            dest: join(dir, file),
            sha256,
            fetch: ctx.fetch,
            signal: s,
            mode: 0o755,
          });
          result.tools.push({ tool, platform, version: release.version, file, sha256 });
        },
      );
    }
  }
}

/**
 * `npm pack` of this tool (scripts off: an installed copy is already built, and has no TypeScript to build with),
 * then an install of that tarball into a throwaway prefix with the pack's own npm cache: the cache then holds every
 * dependency, and `npm install -g --offline --cache <cache> <tarball>` should work without network on a laptop
 * (npm's documented offline mode; not tried here).
 */
async function packNpm(dir: string, ctx: PackContext, root: string, result: PackManifest): Promise<void> {
  await ctx.reporter.task(
    { ko: 'expose-labs 자체를 npm 오프라인 설치용으로 담기', en: 'Pack expose-labs itself for an offline npm install' },
    async (signal) => {
      const s = AbortSignal.any([ctx.signal, signal]);
      const npmDir = join(dir, 'npm');
      if (!ctx.dryRun) await makeFolders(npmDir);
      const packed = await run(
        ctx.exec,
        { file: 'npm', args: ['pack', root, '--ignore-scripts', '--pack-destination', npmDir] },
        s,
      );
      const tarball = packed.stdout.trim().split('\n').pop()?.trim() || 'expose-labs.tgz';
      const fill = join(npmDir, '.fill');
      const cache = join(npmDir, 'cache');
      await run(
        ctx.exec,
        {
          file: 'npm',
          args: [
            'install',
            '--prefix',
            fill,
            '--cache',
            cache,
            '--omit=dev',
            '--no-audit',
            '--no-fund',
            join(npmDir, basename(tarball)),
          ],
          timeoutMs: 600_000,
        },
        s,
      );
      if (!ctx.dryRun) await rm(fill, { recursive: true, force: true });
      result.npm = { tarball: join('npm', basename(tarball)), cache: join('npm', 'cache') };
    },
  );
}

export async function pack(dir: string, ctx: PackContext): Promise<PackManifest> {
  const pins = ctx.manifests ?? PINNED_MANIFESTS;
  if (!ctx.dryRun) await makeFolders(join(dir, 'images'));
  const result: PackManifest = {
    format: PACK_FORMAT,
    createdBy: ctx.createdBy,
    platforms: [...(ctx.platforms ?? PACK_PLATFORMS)],
    images: [],
    manifests: [],
    tools: [],
  };
  await packImages(dir, ctx, result);
  for (const pin of pins) {
    await ctx.reporter.task(
      { ko: `매니페스트 받기: ${pin.name} ${pin.version}`, en: `Fetch the ${pin.name} ${pin.version} manifest` },
      async (signal) => {
        const file = join('manifests', pin.file);
        if (ctx.dryRun) {
          ctx.reporter.note({
            ko: `# ${pin.url} → ${join(dir, file)} (sha256 ${pin.sha256})`,
            en: `# ${pin.url} → ${join(dir, file)} (sha256 ${pin.sha256})`,
          });
          return;
        }
        const cached = await ensureManifest(pin, {
          cacheDir: ctx.cacheDir,
          fetch: ctx.fetch,
          signal: AbortSignal.any([ctx.signal, signal]),
        });
        await makeFolders(join(dir, 'manifests'));
        await copyFile(cached, join(dir, file));
        result.manifests.push({ name: pin.name, version: pin.version, url: pin.url, file, sha256: pin.sha256 });
      },
    );
  }
  await packTools(dir, ctx, result);
  if (ctx.packageRoot) await packNpm(dir, ctx, ctx.packageRoot, result);
  if (!ctx.dryRun) await writeFile(join(dir, PACK_MANIFEST), JSON.stringify(result, null, 2) + '\n');
  return result;
}

/** The commands a laptop without internet runs, in order, for a pack in `dir`. */
export function offlineInstallCommands(dir: string, manifest: Pick<PackManifest, 'npm'>): string[] {
  // These run on the laptops: after the global install above, the bare name is on PATH there, whatever this
  // machine's prefix is; without the tool in the pack, the laptop runs it the way this one does.
  const tool = manifest.npm ? 'expose-labs' : toolCommand();
  return [
    ...(manifest.npm
      ? [`npm install -g --offline --cache "${join(dir, manifest.npm.cache)}" "${join(dir, manifest.npm.tarball)}"`]
      : []),
    `${tool} unpack "${dir}"`,
    `${tool} start`,
  ];
}

function corrupt(dir: string, why: string): UserError {
  return new UserError(
    {
      ko: `오프라인 팩 ${withParticle(dir, '을/를')} 쓸 수 없습니다: ${why}`,
      en: `The offline pack ${dir} cannot be used: ${why}`,
    },
    {
      ko: '같은 버전의 expose-labs로 pack을 다시 만들고, 복사가 끝났는지 확인하세요.',
      en: 'Make the pack again with the same expose-labs version, and check the copy finished.',
    },
  );
}

export function readPack(dir: string): PackManifest {
  const path = join(dir, PACK_MANIFEST);
  if (!existsSync(path)) throw corrupt(dir, `${PACK_MANIFEST} is missing`);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw corrupt(dir, `${PACK_MANIFEST} is not JSON`);
  }
  const parsed = packSchema.safeParse(value);
  if (!parsed.success) throw corrupt(dir, `${PACK_MANIFEST} is not an ${PACK_FORMAT} manifest`);
  return parsed.data;
}

export interface UnpackContext {
  exec: Exec;
  cacheDir: string;
  reporter: Reporter;
  signal: AbortSignal;
  dryRun: boolean;
  /** This laptop's engine's image platform (`linux/arm64`), from `docker info`. */
  platform: string | undefined;
  /** This laptop's OS/CPU for kind and kubectl; undefined: none is installed from the pack. */
  toolPlatform: GoPlatform | undefined;
  /** The OS the tools go to (their file names). */
  os: NodeJS.Platform;
  images?: readonly PinnedImage[];
  manifests?: readonly ManifestPin[];
}

/**
 * Check the pack against this version's pins and this laptop's platform, and every file it will use against
 * manifest.json, before loading any; then `docker load` each image for this platform (a load that fails is
 * reported: `start` pulls that image instead), keep the cluster images' archives in the cache for
 * `kind load image-archive`, put kind, kubectl and the manifests in the cache. A note in the cache tells `start`.
 */
export async function unpack(dir: string, ctx: UnpackContext): Promise<void> {
  const packed = readPack(dir);
  const images = ctx.images ?? PINNED_IMAGES;
  const pins = ctx.manifests ?? PINNED_MANIFESTS;
  const missing = [
    ...images.filter((i) => !packed.images.some((p) => p.ref === i.ref)).map((i) => i.ref),
    ...pins
      .filter((m) => !packed.manifests.some((p) => p.name === m.name && p.sha256 === m.sha256))
      .map((m) => `${m.name} ${m.version}`),
  ];
  if (missing.length > 0) throw corrupt(dir, `made for another version: it lacks ${missing.join(', ')}`);
  const platform = ctx.platform;
  if (!ctx.dryRun && (!platform || !packed.platforms.includes(platform))) {
    throw corrupt(
      dir,
      `it holds images for ${packed.platforms.join(', ')}; this laptop's Docker runs ${platform ?? 'another platform'}`,
    );
  }
  const chosen = packed.images.flatMap((i) => {
    const archive = platform ? i.archives[platform] : undefined;
    return archive ? [{ ...i, archive }] : [];
  });
  const tools = packed.tools.filter((t) => t.platform === ctx.toolPlatform);
  if (!ctx.dryRun) {
    await ctx.reporter.task(
      { ko: '팩 파일의 sha256 확인', en: 'Check the sha256 of every file in the pack' },
      async () => {
        for (const entry of [...chosen.map((i) => i.archive), ...packed.manifests, ...tools]) {
          const path = join(dir, entry.file);
          if (!existsSync(path)) throw corrupt(dir, `${entry.file} is missing`);
          if ((await sha256File(path)) !== entry.sha256) throw corrupt(dir, `${entry.file} does not match its sha256`);
        }
      },
    );
  }
  const record: OfflineRecord = { images: [] };
  for (const entry of chosen) {
    const source = join(dir, entry.archive.file);
    const loaded = await ctx.reporter.task(
      { ko: `이미지 불러오기: ${entry.saved}`, en: `Load image ${entry.saved}` },
      async (signal) => {
        const result = await ctx.exec(
          { file: 'docker', args: ['load', '-i', source] },
          { signal: AbortSignal.any([ctx.signal, signal]) },
        );
        if (result.failed) {
          ctx.reporter.note({
            ko: `불러오지 못했습니다 (start 가 대신 받습니다): ${result.stderr.trim()}`,
            en: `Could not load it (start will pull it instead): ${result.stderr.trim()}`,
          });
        }
        return !result.failed;
      },
    );
    let archives: Record<string, string> | undefined;
    if (entry.where === 'cluster' && platform) {
      const kept = join(ctx.cacheDir, entry.archive.file);
      if (!ctx.dryRun) {
        await makeFolders(join(ctx.cacheDir, 'images'));
        await copyFile(source, kept);
      }
      archives = { [platform]: kept };
    }
    if (loaded || archives) record.images.push({ ref: entry.ref, saved: entry.saved, where: entry.where, archives });
  }
  if (ctx.dryRun) {
    ctx.reporter.note({
      ko: `# 매니페스트와 kind·kubectl을 ${ctx.cacheDir}에 복사하고 ${offlineRecordPath(ctx.cacheDir)}에 기록`,
      en: `# copy the manifests, kind and kubectl into ${ctx.cacheDir} and record ${offlineRecordPath(ctx.cacheDir)}`,
    });
    return;
  }
  for (const tool of tools) {
    const dest = toolDestination(ctx.cacheDir, tool.tool, ctx.os);
    await makeFolders(join(dest, '..'));
    await copyFile(join(dir, tool.file), dest);
    await chmod(dest, 0o755);
  }
  for (const pin of pins) {
    const entry = packed.manifests.find((m) => m.name === pin.name)!;
    await makeFolders(join(ctx.cacheDir, 'manifests'));
    await copyFile(join(dir, entry.file), manifestPath(ctx.cacheDir, pin));
    if (!(await cachedManifestOk(ctx.cacheDir, pin))) throw corrupt(dir, `${entry.file} changed while it was copied`);
  }
  await makeFolders(ctx.cacheDir);
  await writeFile(offlineRecordPath(ctx.cacheDir), JSON.stringify(record, null, 2) + '\n');
}
