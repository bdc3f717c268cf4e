import { readFileSync } from 'node:fs';
import { arch, hostname, platform } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from './paths.js';

/** The version in package.json: what `--version` prints, and what reports and `doctor --json` name. */
export function toolVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** Which machine a report or a doctor run came from, so thirty of them can be told apart. */
export function machineIdentity(): { hostname: string; platform: string; arch: string } {
  return { hostname: hostname(), platform: platform(), arch: arch() };
}
