import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { downloadVerified, sha256File, type Fetch } from './verified-download.js';
import type { ManifestPin } from './versions.js';

/** Where fetched third-party manifests live: `unpack` puts them here too, so `start` needs no network. */
export function manifestPath(cacheDir: string, pin: ManifestPin): string {
  return join(cacheDir, 'manifests', pin.file);
}

export interface ManifestSource {
  cacheDir: string;
  fetch: Fetch;
  signal?: AbortSignal;
}

/** Is the cached copy there and exactly the pinned file? */
export async function cachedManifestOk(cacheDir: string, pin: ManifestPin): Promise<boolean> {
  const path = manifestPath(cacheDir, pin);
  return existsSync(path) && (await sha256File(path)) === pin.sha256;
}

/**
 * The pinned manifest as a local file, checked against its sha256 before anyone applies it: a cached copy that
 * matches is used as is; anything else is fetched again, and a download that does not match is refused.
 */
export async function ensureManifest(pin: ManifestPin, source: ManifestSource): Promise<string> {
  const path = manifestPath(source.cacheDir, pin);
  if (await cachedManifestOk(source.cacheDir, pin)) return path;
  await rm(path, { force: true });
  await downloadVerified({ url: pin.url, dest: path, sha256: pin.sha256, fetch: source.fetch, signal: source.signal });
  return path;
}
