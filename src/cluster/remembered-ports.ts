import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { HostPorts } from './types.js';

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

export function writeClusterPorts(home: string, clusterName: string, ports: HostPorts): void {
  const file = portsFile(home, clusterName);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(ports, null, 2) + '\n');
}
