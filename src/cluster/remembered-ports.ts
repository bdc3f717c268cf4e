import { readFileSync } from 'node:fs';

import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../platform/atomic-file.js';
import type { HostPorts } from './types.js';
import { makeFolders } from '../platform/folders.js';

/** `<home>/<cluster>/ports.json`: the host ports a cluster was made with, so later commands use the same ones. */
function portsFile(home: string, clusterName: string): string {
  return join(home, clusterName, 'ports.json');
}

const KEYS: (keyof HostPorts)[] = ['http', 'https', 'nodePort', 'workerA', 'workerB'];

/** The saved ports, or undefined when none were saved or the file is not ours to trust. */
export function readClusterPorts(home: string, clusterName: string): HostPorts | undefined {
  try {
    const data = JSON.parse(readFileSync(portsFile(home, clusterName), 'utf8')) as Record<string, unknown>;
    const valid = KEYS.every(
      (k) => Number.isInteger(data[k]) && (data[k] as number) > 0 && (data[k] as number) < 65536,
    );
    return valid ? (Object.fromEntries(KEYS.map((k) => [k, data[k]])) as unknown as HostPorts) : undefined;
  } catch {
    return undefined;
  }
}

/** Through the one atomic writer: a kill mid-write never leaves a half file later commands would distrust. */
export async function writeClusterPorts(home: string, clusterName: string, ports: HostPorts): Promise<void> {
  const file = portsFile(home, clusterName);
  await makeFolders(dirname(file));
  await writeFileAtomic(file, Buffer.from(JSON.stringify(ports, null, 2) + '\n'));
}
