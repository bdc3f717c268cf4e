import { parseJsonObject } from '../../core/json.js';

/**
 * What `kubectl version -o json` prints: `Version` in pkg/cmd/version/version.go@kubernetes/kubectl v0.36.1
 * (`clientVersion`, `kustomizeVersion`, `serverVersion`, each version an apimachinery `version.Info`: `major`,
 * `minor`, `gitVersion`, `gitCommit`, … ). `serverVersion` is left out when the server did not answer; kubectl
 * still prints the rest, then exits 1 with the error on stderr.
 */
export interface VersionInfo {
  major?: string;
  /** `36`, or `28+` on some managed clusters. */
  minor?: string;
  /** `v1.36.1`, or `v1.28.9-eks-036c24b`. */
  gitVersion?: string;
}

export interface KubectlVersion {
  clientVersion?: VersionInfo;
  kustomizeVersion?: string;
  serverVersion?: VersionInfo;
}

export function parseKubectlVersion(stdout: string): KubectlVersion | undefined {
  return parseJsonObject<KubectlVersion>(stdout);
}

/** The version as kubectl shows it: gitVersion, else major.minor. */
export function versionText(info: VersionInfo | undefined): string | undefined {
  if (info?.gitVersion) return info.gitVersion;
  return info?.major && info.minor ? `v${info.major}.${info.minor}` : undefined;
}

function majorMinor(version: string): [number, number] | undefined {
  const match = /^v?(\d+)\.(\d+)/.exec(version.trim());
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/**
 * kubectl's own rule (pkg/cmd/version/skew_warning.go@v0.36.1, `supportedMinorVersionSkew = 1`): the same major,
 * minors at most one apart. False when either version cannot be read.
 */
export function withinSkew(a: string, b: string): boolean {
  const x = majorMinor(a);
  const y = majorMinor(b);
  return x !== undefined && y !== undefined && x[0] === y[0] && Math.abs(x[1] - y[1]) <= 1;
}
