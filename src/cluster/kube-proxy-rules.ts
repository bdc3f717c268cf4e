import { createHash } from 'node:crypto';

/**
 * Reading kube-proxy's rules for one Service out of a node's dump: `iptables-save -t nat` / `-t filter`
 * (iptables mode, kind v0.32.0's default: pkg/apis/config/v1alpha4/default.go) or `nft list table ip kube-proxy`
 * (nftables mode). Names and comments follow kube-proxy's proxiers, pkg/proxy/iptables/proxier.go and
 * pkg/proxy/nftables/proxier.go. Caveat: kubernetes/kubernetes was too large to fetch for this project, so they
 * were read from stored copies of about v1.31–v1.33, not tag v1.36.1 of kind's node image; the chain names,
 * comments and hashes below have been stable since about v1.26.
 */

export interface ServicePortRef {
  namespace: string;
  name: string;
  /** The Service port's name ('' or absent for an unnamed port). */
  portName?: string;
  protocol?: string;
}

/** ServicePortName.String(): `ns/name:port`, or `ns/name` for an unnamed port. */
export function servicePortName(ref: ServicePortRef): string {
  const base = `${ref.namespace}/${ref.name}`;
  return ref.portName ? `${base}:${ref.portName}` : base;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest();

/** kube-proxy's iptables chain hash (portProtoHash, servicePortEndpointChainName): base32(sha256(text))[:16]. */
export function chainHash(text: string): string {
  return base32(sha256(text)).slice(0, 16);
}

/** iptables portProtoHash of svcPortName + protocol, shared by KUBE-SVC/SVL/EXT/FW. */
export function chainSuffix(ref: ServicePortRef): string {
  return chainHash(servicePortName(ref) + (ref.protocol ?? 'TCP').toLowerCase());
}

/** nftables servicePortChainNameBase: `HASH-ns/name/proto/port`, the hash over the rest (hashAndTruncate). */
export function nftChainBase(ref: ServicePortRef): string {
  const name = `${ref.namespace}/${ref.name}/${(ref.protocol ?? 'TCP').toLowerCase()}/${ref.portName ?? ''}`;
  return `${base32(sha256(name)).slice(0, 8)}-${name}`;
}

/** What the rules do with the Service's traffic, as facts `explain` puts into words. */
export type RuleFact =
  | { kind: 'entry'; via: 'cluster IP' | 'nodePort' | 'loadbalancer IP'; address?: string; port: number; to: string }
  | { kind: 'endpoint'; from: string; endpoint: string; probability?: string }
  | { kind: 'local-endpoints'; present: boolean }
  | { kind: 'drop' | 'reject'; reason: string; port?: number };

export interface ServiceRules {
  mode: 'iptables' | 'nftables';
  /** The lines of the dump that belong to this Service, in dump order. */
  lines: string[];
  facts: RuleFact[];
  /** What to grep for in the dump to see the same lines. */
  grep: string[];
}

function comment(rule: string): string | undefined {
  const m = / --comment (?:"([^"]*)"|(\S+))/.exec(rule);
  return m ? (m[1] ?? m[2]) : undefined;
}

const chainOf = (rule: string) => rule.split(' ')[1] ?? '';
const targetOf = (rule: string) => / -j (\S+)/.exec(rule)?.[1];
const dport = (rule: string) => Number(/ --dport (\d+)/.exec(rule)?.[1]) || undefined;
const destination = (rule: string) => / -d (\S+?)(?:\/32)? /.exec(rule)?.[1];

const FACT_ORDER: RuleFact['kind'][] = ['entry', 'local-endpoints', 'endpoint', 'drop', 'reject'];

/** The way in first, then where it goes, then what stops it. */
function ordered(facts: RuleFact[]): RuleFact[] {
  return [...facts].sort((a, b) => FACT_ORDER.indexOf(a.kind) - FACT_ORDER.indexOf(b.kind));
}

/** Is this comment about exactly this service port (not another whose name starts the same)? */
function about(text: string | undefined, spn: string): boolean {
  if (text === undefined) return false;
  return text === spn || text.startsWith(`${spn} `) || text.includes(` for ${spn} external destinations`);
}

/** The Service's rules from `iptables-save -t nat` and `-t filter` (either may be empty). */
export function readIptables(nat: string, filter: string, refs: ServicePortRef[]): ServiceRules {
  const rules = [...nat.split('\n'), ...filter.split('\n')].filter((l) => l.startsWith('-A '));
  const selected = new Set<string>();
  const grep: string[] = [];
  for (const ref of refs) {
    const spn = servicePortName(ref);
    const suffix = chainSuffix(ref);
    grep.push(spn, suffix);
    const roots = new Set(['SVC', 'SVL', 'EXT', 'FW'].map((p) => `KUBE-${p}-${suffix}`));
    const mine = rules.filter((r) => roots.has(chainOf(r)) || roots.has(targetOf(r) ?? '') || about(comment(r), spn));
    const seps = new Set(mine.map(targetOf).filter((t): t is string => t?.startsWith('KUBE-SEP-') ?? false));
    for (const r of rules) if (mine.includes(r) || seps.has(chainOf(r))) selected.add(r);
  }
  const lines = rules.filter((r) => selected.has(r));
  const facts: RuleFact[] = [];
  for (const r of lines) {
    const chain = chainOf(r);
    const target = targetOf(r) ?? '';
    const text = comment(r) ?? '';
    if (target === 'DROP' || target === 'REJECT') {
      facts.push({ kind: target === 'DROP' ? 'drop' : 'reject', reason: text, port: dport(r) });
    } else if (chain === 'KUBE-NODEPORTS' && dport(r)) {
      facts.push({ kind: 'entry', via: 'nodePort', port: dport(r)!, to: target });
    } else if (chain === 'KUBE-SERVICES' && dport(r)) {
      const via = text.endsWith('loadbalancer IP') ? 'loadbalancer IP' : 'cluster IP';
      facts.push({ kind: 'entry', via, address: destination(r), port: dport(r)!, to: target });
    } else if (target.startsWith('KUBE-SEP-') && / -> /.test(text)) {
      const probability = / --probability (\S+)/.exec(r)?.[1];
      facts.push({
        kind: 'endpoint',
        from: chain,
        endpoint: text.split(' -> ')[1]!,
        ...(probability ? { probability } : {}),
      });
    } else if (chain.startsWith('KUBE-EXT-') && target.startsWith('KUBE-SVL-')) {
      facts.push({ kind: 'local-endpoints', present: true });
    }
  }
  // Local with no pod on this node: the EXT chain keeps only its short-circuit rules, no jump to KUBE-SVL.
  const local = lines.some((r) => chainOf(r).startsWith('KUBE-EXT-') && comment(r)?.startsWith('pod traffic for '));
  if (local && !facts.some((f) => f.kind === 'local-endpoints'))
    facts.push({ kind: 'local-endpoints', present: false });
  return { mode: 'iptables', lines, facts: ordered(facts), grep };
}

/** Does this iptables-save output come from a node where kube-proxy runs in iptables mode? */
export function isIptablesMode(nat: string): boolean {
  return /^:KUBE-SERVICES /m.test(nat) || /^-A KUBE-SERVICES /m.test(nat);
}

interface NftBlock {
  kind: 'chain' | 'map' | 'set';
  name: string;
  lines: string[];
}

/** `nft list table` text → its chains, maps and sets with their lines. */
function nftBlocks(text: string): NftBlock[] {
  const blocks: NftBlock[] = [];
  let current: NftBlock | undefined;
  let depth = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const open = /^(chain|map|set) (\S+) \{$/.exec(line);
    if (!current && open) {
      current = { kind: open[1] as NftBlock['kind'], name: open[2]!, lines: [] };
      depth = 1;
      continue;
    }
    if (!current) continue;
    depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
    if (depth <= 0) {
      blocks.push(current);
      current = undefined;
      continue;
    }
    current.lines.push(line);
  }
  return blocks;
}

/** A map's elements, one string each (`tcp . 30001 comment "default/x" : drop`). */
function elements(block: NftBlock): string[] {
  const joined = block.lines.join(' ');
  const m = /elements = \{ (.*) \}/.exec(joined);
  return m ? m[1]!.split(/,\s*/).map((e) => e.trim()) : [];
}

/** The Service's rules from `nft list table ip kube-proxy`. */
export function readNft(ruleset: string, refs: ServicePortRef[]): ServiceRules {
  const blocks = nftBlocks(ruleset);
  const lines: string[] = [];
  const facts: RuleFact[] = [];
  const grep: string[] = [];
  for (const ref of refs) {
    const spn = servicePortName(ref);
    const base = nftChainBase(ref);
    grep.push(base);
    for (const block of blocks.filter((b) => b.kind === 'map')) {
      for (const el of elements(block)) {
        const mentions = el.includes(base) || el.includes(`comment "${spn}"`);
        if (!mentions) continue;
        lines.push(`${block.name}: ${el}`);
        const port = Number(/(?:^|\. )(?:tcp|udp|sctp) \. (\d+)/.exec(el)?.[1]) || undefined;
        if (/: drop$/.test(el)) facts.push({ kind: 'drop', reason: `${spn} (${block.name})`, port });
        else if (/: goto reject-chain$/.test(el))
          facts.push({ kind: 'reject', reason: `${spn} (${block.name})`, port });
        else if (block.name === 'service-nodeports' && port)
          facts.push({ kind: 'entry', via: 'nodePort', port, to: /goto (\S+)$/.exec(el)?.[1] ?? '' });
        else if (block.name === 'service-ips') {
          const m = /^(\S+) \. \S+ \. (\d+)/.exec(el);
          if (m)
            facts.push({
              kind: 'entry',
              via: 'cluster IP',
              address: m[1],
              port: Number(m[2]),
              to: /goto (\S+)$/.exec(el)?.[1] ?? '',
            });
        }
      }
    }
    const rest = `${ref.namespace}/${ref.name}/${(ref.protocol ?? 'TCP').toLowerCase()}/${ref.portName ?? ''}`;
    const owned = (name: string) => {
      const m = /^(?:service|local|external|endpoint|firewall)-[A-Z2-7]{8}-(.*)$/.exec(name);
      return m !== null && (m[1] === rest || m[1]!.startsWith(`${rest}__`));
    };
    for (const block of blocks.filter((b) => b.kind === 'chain' && owned(b.name))) {
      lines.push(`chain ${block.name} {`, ...block.lines.map((l) => `\t${l}`), '}');
      for (const l of block.lines) {
        const dnat = /dnat to (\S+)/.exec(l);
        if (dnat) facts.push({ kind: 'endpoint', from: block.name, endpoint: dnat[1]! });
      }
      // Under Local the external chain short-circuits pod and node traffic, then goes to local- only if the node has one.
      if (block.name.startsWith('external-') && block.lines.some((l) => l.includes('short-circuit')))
        facts.push({ kind: 'local-endpoints', present: block.lines.some((l) => /goto local-/.test(l)) });
    }
  }
  return { mode: 'nftables', lines, facts: ordered(facts), grep };
}
