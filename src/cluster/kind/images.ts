import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Reporter } from '../../core/reporter.js';
import type { Exec } from '../../platform/command.js';
import type { EngineProfile } from '../engine-profile.js';
import { packedArchive } from '../offline-record.js';
import { CLOUD_PROVIDER_KIND_PROXY_IMAGE, CONTOUR_IMAGE, ENVOY_IMAGE, WHOAMI_IMAGE } from '../versions.js';
import { makeFolders } from '../../platform/folders.js';

/**
 * Each image crosses the network at most once per laptop: pulled into the host's Docker (at once, while
 * `kind create` runs), then copied into every node, so no node pulls Contour, Envoy or whoami by itself.
 * kind pulls its node image itself, first thing in `kind create`.
 */

/** On the host: the controller, the Envoy it starts per LoadBalancer, and whoami for the client-address probe. */
export function hostImages(profile: EngineProfile): string[] {
  return [profile.controllerImage, CLOUD_PROVIDER_KIND_PROXY_IMAGE, WHOAMI_IMAGE];
}

/** In the nodes: what the add-ons and the labs' manifests run. */
export const CLUSTER_IMAGES: readonly string[] = [CONTOUR_IMAGE, ENVOY_IMAGE, WHOAMI_IMAGE];

async function present(exec: Exec, ref: string, signal: AbortSignal): Promise<boolean> {
  const result = await exec({ file: 'docker', args: ['image', 'inspect', '--format', '{{.Id}}', ref] }, { signal });
  return !result.failed;
}

/**
 * `docker pull` every image not yet on the host, all at once (the engine shares layers between them), with a
 * line per image as it is done. A failed pull is reported, not thrown: a node or `docker run` pulls it again.
 * Returns the images that are on the host now.
 */
export async function pullImages(
  exec: Exec,
  refs: readonly string[],
  reporter: Reporter,
  signal: AbortSignal,
): Promise<Set<string>> {
  const unique = [...new Set(refs)];
  let done = 0;
  const ready = new Set<string>();
  await Promise.all(
    unique.map(async (ref) => {
      const had = await present(exec, ref, signal);
      const pulled = had || !(await exec({ file: 'docker', args: ['pull', ref] }, { signal })).failed;
      done += 1;
      if (pulled) ready.add(ref);
      const count = `${done}/${unique.length}`;
      reporter.note(
        pulled
          ? {
              ko: `이미지 ${had ? '있음' : '받음'} (${count}): ${ref}`,
              en: `Image ${had ? 'present' : 'pulled'} (${count}): ${ref}`,
            }
          : {
              ko: `이미지를 받지 못했습니다 (${count}): ${ref} — 나중에 다시 받습니다.`,
              en: `Could not pull (${count}): ${ref} — it will be pulled again where it is needed.`,
            },
      );
    }),
  );
  return ready;
}

/**
 * The host's `docker save` for one image. On containerd's image store the archive must name one platform:
 * without it `docker save` writes the whole multi-platform index while only this platform's layers exist, and
 * the node's `ctr images import --all-platforms` (pkg/cluster/nodeutils/util.go@v0.32.0, what `kind load` runs)
 * fails with "content digest … not found" (kind issues #3795, #4224; kind PR #4247 documents this workaround).
 * The classic store holds one platform per tag, and plain `docker save -o` is what `kind load docker-image` runs
 * (`save`, pkg/cmd/kind/load/docker-image/docker-image.go@v0.32.0).
 */
export function saveArgs(profile: EngineProfile, ref: string, file: string): string[] {
  const platform = profile.containerdStore && profile.platform ? ['--platform', profile.platform] : [];
  return ['save', ...platform, '-o', file, ref];
}

/**
 * Copy the cluster's images into every node with `kind load image-archive`: from an offline pack's archive for
 * this platform when there is one, else from the host's Docker. A load that fails is reported and skipped: the
 * node then pulls that image itself.
 */
export async function loadIntoNodes(
  settings: { exec: Exec; cacheDir: string },
  kind: string,
  clusterName: string,
  profile: EngineProfile,
  onHost: Set<string>,
  reporter: Reporter,
  signal: AbortSignal,
): Promise<void> {
  const { exec } = settings;
  // In the cache, not the system's temp folder: the archives are as big as the images.
  const dir = join(settings.cacheDir, 'loading');
  await makeFolders(dir);
  try {
    for (const [index, ref] of CLUSTER_IMAGES.entries()) {
      const count = `${index + 1}/${CLUSTER_IMAGES.length}`;
      let archive = packedArchive(settings.cacheDir, ref, profile.platform);
      if (!archive && onHost.has(ref)) {
        const file = join(dir, `${index}.tar`);
        if (!(await exec({ file: 'docker', args: saveArgs(profile, ref, file) }, { signal })).failed) archive = file;
      }
      const loaded =
        archive !== undefined &&
        !(
          await exec(
            { file: kind, args: ['load', 'image-archive', archive, '--name', clusterName], timeoutMs: 600_000 },
            { signal },
          )
        ).failed;
      reporter.note(
        loaded
          ? { ko: `노드에 넣음 (${count}): ${ref}`, en: `Loaded into the nodes (${count}): ${ref}` }
          : {
              ko: `노드에 넣지 못했습니다 (${count}): ${ref} — 노드가 직접 받습니다.`,
              en: `Could not load (${count}): ${ref} — the nodes will pull it themselves.`,
            },
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
