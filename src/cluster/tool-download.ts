import { join } from 'node:path';
import { UserError } from '../core/errors.js';
import { toolBinDir, toolFileName } from './tools.js';
import { downloadVerified, fetchPublishedSha256, type Fetch } from './verified-download.js';
import { KIND_VERSION, KUBECTL_VERSION, TOOL_SHA256, type GoPlatform, type ToolName } from './versions.js';

/** The projects' official download hosts; a test serves the same paths from 127.0.0.1. */
export interface DownloadBases {
  kubectl: string;
  kind: string;
}

export const OFFICIAL_BASES: DownloadBases = { kubectl: 'https://dl.k8s.io', kind: 'https://github.com' };

export interface ToolRelease {
  tool: ToolName;
  version: string;
  platform: GoPlatform;
  url: string;
  /** Pinned sha256 (versions.ts), or where the release publishes it when no pin exists for this platform. */
  sha256: { pinned: string } | { published: string };
}

/**
 * The official binary of the pinned version for this OS/CPU: kubectl from dl.k8s.io, kind from its GitHub
 * release. Checked against the pinned sha256 where versions.ts has one, else against the checksum file that
 * exact release publishes next to the binary.
 */
export function toolRelease(
  tool: ToolName,
  platform: GoPlatform,
  bases: DownloadBases = OFFICIAL_BASES,
  pins: Partial<Record<GoPlatform, string>> = TOOL_SHA256[tool],
): ToolRelease {
  const [os, arch] = platform.split('/') as [string, string];
  const url =
    tool === 'kubectl'
      ? `${bases.kubectl}/release/${KUBECTL_VERSION}/bin/${os}/${arch}/${os === 'windows' ? 'kubectl.exe' : 'kubectl'}`
      : `${bases.kind}/kubernetes-sigs/kind/releases/download/${KIND_VERSION}/kind-${os}-${arch}`;
  const pinned = pins[platform];
  return {
    tool,
    version: tool === 'kubectl' ? KUBECTL_VERSION : KIND_VERSION,
    platform,
    url,
    sha256: pinned ? { pinned } : { published: tool === 'kubectl' ? `${url}.sha256` : `${url}.sha256sum` },
  };
}

/** Where a downloaded tool goes: the tool's own cache, never a system folder, never with sudo. */
export function toolDestination(cacheDir: string, tool: ToolName, platform: NodeJS.Platform): string {
  return join(toolBinDir(cacheDir), toolFileName(tool, platform));
}

/** Download, check, make executable; a file that does not match is deleted and nothing replaces the old one. */
export async function downloadTool(
  release: ToolRelease,
  options: { cacheDir: string; fetch: Fetch; platform: NodeJS.Platform; signal?: AbortSignal },
): Promise<string> {
  const dest = toolDestination(options.cacheDir, release.tool, options.platform);
  const sha256 =
    'pinned' in release.sha256
      ? release.sha256.pinned
      : () => fetchPublishedSha256((release.sha256 as { published: string }).published, options.fetch, options.signal);
  await downloadVerified({ url: release.url, dest, sha256, fetch: options.fetch, signal: options.signal, mode: 0o755 });
  return dest;
}

export function unsupportedPlatform(platform: string, arch: string): UserError {
  return new UserError(
    {
      ko: `이 컴퓨터(${platform}/${arch})용 kind·kubectl 공식 바이너리가 없습니다.`,
      en: `kind and kubectl publish no official binary for this machine (${platform}/${arch}).`,
    },
    {
      ko: '설치 안내를 따라 직접 설치하세요: https://kind.sigs.k8s.io/docs/user/quick-start/#installation',
      en: 'Install them by hand: https://kind.sigs.k8s.io/docs/user/quick-start/#installation',
    },
  );
}
