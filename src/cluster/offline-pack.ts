import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { UserError } from '../core/errors.js';
import type { Exec } from '../platform/command.js';
import { run } from '../platform/exec.js';
import { cachedManifestOk, ensureManifest, manifestPath } from './manifests.js';
import { offlineRecordPath, savedRef, type OfflineRecord } from './offline-record.js';
import type { Reporter } from '../core/reporter.js';
import { sha256File, type Fetch } from './verified-download.js';
import { PINNED_IMAGES, PINNED_MANIFESTS, type ManifestPin, type PinnedImage } from './versions.js';

/**
 * An offline pack for a workshop room on weak Wi-Fi: every pinned image as a `docker save` archive and the
 * third-party manifests, listed with their sha256 in manifest.json. Made once where the network is good
 * (`pack DIR`), copied to each laptop, loaded there (`unpack DIR`).
 */
export const PACK_FORMAT = 'expose-labs-pack/1';
export const PACK_MANIFEST = 'manifest.json';

const packSchema = z.object({
  format: z.literal(PACK_FORMAT),
  createdBy: z.string(),
  images: z.array(
    z.object({
      ref: z.string(),
      saved: z.string(),
      where: z.enum(['host', 'cluster']),
      file: z.string(),
      sha256: z.string(),
    }),
  ),
  manifests: z.array(
    z.object({ name: z.string(), version: z.string(), url: z.string(), file: z.string(), sha256: z.string() }),
  ),
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
}

/** `images/kindest_node_v1.36.1.tar` for `kindest/node:v1.36.1`. */
export function imageFile(saved: string): string {
  return join('images', `${saved.replace(/[^A-Za-z0-9._-]+/g, '_')}.tar`);
}

export async function pack(dir: string, ctx: PackContext): Promise<PackManifest> {
  const images = ctx.images ?? PINNED_IMAGES;
  const pins = ctx.manifests ?? PINNED_MANIFESTS;
  if (!ctx.dryRun) await mkdir(join(dir, 'images'), { recursive: true });
  const result: PackManifest = { format: PACK_FORMAT, createdBy: ctx.createdBy, images: [], manifests: [] };
  for (const image of images) {
    const saved = savedRef(image.ref);
    const file = imageFile(saved);
    await ctx.reporter.task({ ko: `이미지 저장: ${image.ref}`, en: `Save image ${image.ref}` }, async (signal) => {
      const s = AbortSignal.any([ctx.signal, signal]);
      await run(ctx.exec, { file: 'docker', args: ['pull', image.ref] }, s);
      // `docker load` does not bring back a registry digest: save under the tag, which load restores.
      if (saved !== image.ref) await run(ctx.exec, { file: 'docker', args: ['tag', image.ref, saved] }, s);
      await run(ctx.exec, { file: 'docker', args: ['save', '-o', join(dir, file), saved] }, s);
      const sha256 = ctx.dryRun ? '' : await sha256File(join(dir, file));
      result.images.push({ ref: image.ref, saved, where: image.where, file, sha256 });
    });
  }
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
        await mkdir(join(dir, 'manifests'), { recursive: true });
        await copyFile(cached, join(dir, file));
        result.manifests.push({ name: pin.name, version: pin.version, url: pin.url, file, sha256: pin.sha256 });
      },
    );
  }
  if (!ctx.dryRun) await writeFile(join(dir, PACK_MANIFEST), JSON.stringify(result, null, 2) + '\n');
  return result;
}

function corrupt(dir: string, why: string): UserError {
  return new UserError(
    { ko: `오프라인 팩 ${dir}을(를) 쓸 수 없습니다: ${why}`, en: `The offline pack ${dir} cannot be used: ${why}` },
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
  images?: readonly PinnedImage[];
  manifests?: readonly ManifestPin[];
}

/**
 * Check every file against manifest.json (and the manifests against this version's pins) before loading any;
 * then `docker load` each image and put the manifests in the cache. A note in the cache tells `start` to use
 * the loaded images (and `kind load` the cluster's into the nodes once they exist).
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
  if (!ctx.dryRun) {
    await ctx.reporter.task(
      { ko: '팩 파일의 sha256 확인', en: 'Check the sha256 of every file in the pack' },
      async () => {
        for (const entry of [...packed.images, ...packed.manifests]) {
          const path = join(dir, entry.file);
          if (!existsSync(path)) throw corrupt(dir, `${entry.file} is missing`);
          if ((await sha256File(path)) !== entry.sha256) throw corrupt(dir, `${entry.file} does not match its sha256`);
        }
      },
    );
  }
  for (const entry of packed.images) {
    await ctx.reporter.task({ ko: `이미지 불러오기: ${entry.saved}`, en: `Load image ${entry.saved}` }, (signal) =>
      run(
        ctx.exec,
        { file: 'docker', args: ['load', '-i', join(dir, entry.file)] },
        AbortSignal.any([ctx.signal, signal]),
      ),
    );
  }
  const record: OfflineRecord = { images: packed.images.map(({ ref, saved, where }) => ({ ref, saved, where })) };
  if (ctx.dryRun) {
    ctx.reporter.note({
      ko: `# 매니페스트를 ${ctx.cacheDir}에 복사하고 ${offlineRecordPath(ctx.cacheDir)}에 기록`,
      en: `# copy the manifests into ${ctx.cacheDir} and record ${offlineRecordPath(ctx.cacheDir)}`,
    });
    return;
  }
  for (const pin of pins) {
    const entry = packed.manifests.find((m) => m.name === pin.name)!;
    await mkdir(join(ctx.cacheDir, 'manifests'), { recursive: true });
    await copyFile(join(dir, entry.file), manifestPath(ctx.cacheDir, pin));
    if (!(await cachedManifestOk(ctx.cacheDir, pin))) throw corrupt(dir, `${entry.file} changed while it was copied`);
  }
  await mkdir(ctx.cacheDir, { recursive: true });
  await writeFile(offlineRecordPath(ctx.cacheDir), JSON.stringify(record, null, 2) + '\n');
}
