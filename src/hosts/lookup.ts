import { isIP } from 'node:net';
import { readRegularFile } from '../platform/atomic-file.js';
import { MAX_HOSTS_BYTES } from './commit.js';

export interface HostsEntry {
  address: string;
  names: string[];
}

/**
 * Read-only view of a hosts file: every `address name [alias…]` line, comments dropped.
 * Lines whose first field is not an IP address are skipped, as the OS resolver skips them.
 */
export function parseHostsText(text: string): HostsEntry[] {
  const entries: HostsEntry[] = [];
  for (const rawLine of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const line = rawLine.replace(/#.*$/, '').trim();
    if (line === '') continue;
    const [address, ...names] = line.split(/\s+/);
    if (!address || isIP(address) === 0 || names.length === 0) continue;
    entries.push({ address, names });
  }
  return entries;
}

/**
 * Addresses the hosts file gives `name` (case-insensitive), in file order; a missing file gives none. A FIFO or
 * device in its place is refused (NotRegularFileError), never waited on.
 */
export async function lookupHostsFile(file: string, name: string): Promise<string[]> {
  let text: string;
  try {
    text = (await readRegularFile(file, MAX_HOSTS_BYTES)).toString('utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw error;
  }
  const wanted = name.toLowerCase().replace(/\.$/, '');
  const found: string[] = [];
  for (const entry of parseHostsText(text)) {
    if (entry.names.some((n) => n.toLowerCase() === wanted) && !found.includes(entry.address))
      found.push(entry.address);
  }
  return found;
}
