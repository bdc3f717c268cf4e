import { formatCommand, type Command, type Exec } from '../platform/command.js';
import { isIptablesMode, readIptables, readNft, type ServicePortRef, type ServiceRules } from './kube-proxy-rules.js';

/** The commands that show a node's kube-proxy rules (a kind node is a container: `docker exec`). */
export function iptablesCommands(node: string): Command[] {
  return ['nat', 'filter'].map((table) => ({
    file: 'docker',
    args: ['exec', node, 'iptables-save', '-t', table],
    timeoutMs: 20_000,
  }));
}

export function nftCommand(node: string): Command {
  return { file: 'docker', args: ['exec', node, 'nft', 'list', 'table', 'ip', 'kube-proxy'], timeoutMs: 20_000 };
}

export type NodeRules =
  | (ServiceRules & { node: string; commands: string[] })
  | { mode: 'unavailable'; node: string; commands: string[]; reason: string };

/**
 * The Service's kube-proxy rules on one node: iptables-save first (kind's default mode), and when kube-proxy left
 * no KUBE-SERVICES chain there, nftables mode's `kube-proxy` table.
 */
export async function nodeRules(
  exec: Exec,
  node: string,
  refs: ServicePortRef[],
  signal?: AbortSignal,
): Promise<NodeRules> {
  const [natCommand, filterCommand] = iptablesCommands(node);
  const nat = await exec(natCommand!, { signal });
  if (!nat.failed && isIptablesMode(nat.stdout)) {
    const filter = await exec(filterCommand!, { signal });
    const rules = readIptables(nat.stdout, filter.failed ? '' : filter.stdout, refs);
    return { ...rules, node, commands: [natCommand!, filterCommand!].map(formatCommand) };
  }
  const nft = await exec(nftCommand(node), { signal });
  const commands = [formatCommand(natCommand!), formatCommand(nftCommand(node))];
  if (!nft.failed && nft.stdout.includes('table ip kube-proxy'))
    return { ...readNft(nft.stdout, refs), node, commands };
  const reason =
    (nat.failed ? nat.stderr : nft.stderr).trim().split('\n')[0] ||
    'neither iptables-save nor nft shows kube-proxy rules on this node';
  return { mode: 'unavailable', node, commands, reason };
}
