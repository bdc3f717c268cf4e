import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { NODE_IMAGE } from './versions.js';

/**
 * `unpack` leaves this note in the cache: which pinned images it loaded into the host's Docker and under which
 * name. `docker load` does not bring back an image's registry digest, so an image pinned as `name:tag@sha256:…`
 * is saved and loaded by its tag; the kind provider then uses that tag, which is present locally and needs no
 * network.
 */
const recordSchema = z.object({
  images: z.array(
    z.object({
      ref: z.string(),
      saved: z.string(),
      where: z.enum(['host', 'cluster']),
      /** A cluster image's archive for each platform, copied into the cache: `kind load image-archive` reads it. */
      archives: z.record(z.string(), z.string()).optional(),
    }),
  ),
});

export type OfflineRecord = z.infer<typeof recordSchema>;

export function offlineRecordPath(cacheDir: string): string {
  return join(cacheDir, 'offline-images.json');
}

export function readOfflineRecord(cacheDir: string): OfflineRecord | undefined {
  const path = offlineRecordPath(cacheDir);
  if (!existsSync(path)) return undefined;
  const parsed = recordSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  return parsed.success ? parsed.data : undefined;
}

/** `name:tag@sha256:…` → `name:tag`: the name an image is saved and loaded under. */
export function savedRef(ref: string): string {
  const at = ref.indexOf('@');
  return at === -1 ? ref : ref.slice(0, at);
}

/** The node image reference to give kind: the pinned digest, or its tag when an offline pack loaded it. */
export function nodeImageFor(cacheDir: string): string {
  const entry = readOfflineRecord(cacheDir)?.images.find((i) => i.ref === NODE_IMAGE);
  return entry ? entry.saved : NODE_IMAGE;
}

/** The archive an offline pack left in the cache for a cluster image on this platform, if it is still there. */
export function packedArchive(cacheDir: string, ref: string, platform: string | undefined): string | undefined {
  if (!platform) return undefined;
  const file = readOfflineRecord(cacheDir)?.images.find((i) => i.ref === ref)?.archives?.[platform];
  return file && existsSync(file) ? file : undefined;
}
