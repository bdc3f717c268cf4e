import { chainHash, servicePortName } from '../../../src/cluster/kube-proxy-rules.js';
import { endpointsOf, textOrder, type Endpoint, type ServicePortSpec } from './endpoints.js';
import type { KubeObject } from './objects.js';
import type { ObjectStore } from './store.js';
import type { NodeInfo } from './topology.js';
import type { Workloads } from './workloads.js';

/**
 * What `iptables-save -t nat` and `-t filter` print on a node of the double, written from kube-proxy's iptables
 * proxier (pkg/proxy/iptables/proxier.go). Caveat: kubernetes/kubernetes is too large to fetch here, so the
 * source read was a stored copy of about v1.31–v1.33 (see /tmp/research/gateway-kubeproxy.md, Part C), not
 * tag v1.36.1 that kind v0.32.0's node image runs; the chain names, comments and hash have not changed since
 * about v1.26. kind v0.32.0 runs kube-proxy in iptables mode by default (pkg/apis/config/v1alpha4/default.go).
 * The double's own model (Services, their ready endpoints, the nodes) is what is written out; the matches are in
 * the order iptables-save prints them (`-s/-d`, `-p`, `-m comment`, `-m tcp`).
 */

/** ServicePortName.String() of one port of a Service in the double's store. */
function spnOf(svc: KubeObject, port: ServicePortSpec): string {
  return servicePortName({
    namespace: svc.metadata.namespace ?? 'default',
    name: svc.metadata.name,
    portName: port.name,
  });
}

/** What iptables-save prints for the probability kube-proxy writes as %0.10f (the kernel keeps a fixed point). */
function probability(n: number): string {
  return n === 3 ? '0.33333333349' : n === 2 ? '0.50000000000' : (1 / n).toFixed(11);
}

interface Tables {
  nat: string[];
  natChains: Set<string>;
  filter: string[];
}

function writeService(t: Tables, svc: KubeObject, port: ServicePortSpec, ready: Endpoint[], node: NodeInfo): void {
  const spn = spnOf(svc, port);
  const proto = (port.protocol ?? 'TCP').toLowerCase();
  const suffix = chainHash(spn + proto);
  const svcChain = `KUBE-SVC-${suffix}`;
  const svlChain = `KUBE-SVL-${suffix}`;
  const extChain = `KUBE-EXT-${suffix}`;
  const clusterIp = svc.spec.clusterIP as string;
  const type = svc.spec.type as string;
  const external = type === 'NodePort' || type === 'LoadBalancer';
  const local = external && svc.spec.externalTrafficPolicy === 'Local';
  const lbIps = ((svc.status?.loadBalancer?.ingress ?? []) as { ip?: string }[]).flatMap((i) => (i.ip ? [i.ip] : []));
  if (ready.length === 0) {
    t.filter.push(
      `-A KUBE-SERVICES -d ${clusterIp}/32 -p ${proto} -m comment --comment "${spn} has no endpoints" -m ${proto} --dport ${port.port} -j REJECT --reject-with icmp-port-unreachable`,
    );
    if (external && port.nodePort)
      t.filter.push(
        `-A KUBE-EXTERNAL-SERVICES -p ${proto} -m comment --comment "${spn} has no endpoints" -m addrtype --dst-type LOCAL -m ${proto} --dport ${port.nodePort} -j REJECT --reject-with icmp-port-unreachable`,
      );
    return;
  }
  // pkg/proxy/endpointslicecache.go endpointsMapFromEndpointInfo sorts byEndpoint: the text `ip:port`.
  const sorted = [...ready].sort((a, b) => textOrder(`${a.ip}:${a.port}`, `${b.ip}:${b.port}`));
  const localEps = sorted.filter((e) => e.nodeName === node.name);
  t.natChains.add(svcChain);
  t.nat.push(
    `-A KUBE-SERVICES -d ${clusterIp}/32 -p ${proto} -m comment --comment "${spn} cluster IP" -m ${proto} --dport ${port.port} -j ${svcChain}`,
  );
  for (const ip of lbIps)
    t.nat.push(
      `-A KUBE-SERVICES -d ${ip}/32 -p ${proto} -m comment --comment "${spn} loadbalancer IP" -m ${proto} --dport ${port.port} -j ${extChain}`,
    );
  t.nat.push(
    `-A ${svcChain} ! -s 10.244.0.0/16 -d ${clusterIp}/32 -p ${proto} -m comment --comment "${spn} cluster IP" -m ${proto} --dport ${port.port} -j KUBE-MARK-MASQ`,
  );
  const toEndpoints = (chain: string, eps: Endpoint[]) =>
    eps.forEach((e, i) => {
      const sep = `KUBE-SEP-${chainHash(spn + proto + `${e.ip}:${e.port}`)}`;
      const left = eps.length - i;
      const pick = left > 1 ? ` -m statistic --mode random --probability ${probability(left)}` : '';
      t.nat.push(`-A ${chain} -m comment --comment "${spn} -> ${e.ip}:${e.port}"${pick} -j ${sep}`);
    });
  toEndpoints(svcChain, sorted);
  for (const e of sorted) {
    const sep = `KUBE-SEP-${chainHash(spn + proto + `${e.ip}:${e.port}`)}`;
    t.natChains.add(sep);
    t.nat.push(`-A ${sep} -s ${e.ip}/32 -m comment --comment "${spn}" -j KUBE-MARK-MASQ`);
    t.nat.push(
      `-A ${sep} -p ${proto} -m comment --comment "${spn}" -m ${proto} -j DNAT --to-destination ${e.ip}:${e.port}`,
    );
  }
  if (!external) return;
  t.natChains.add(extChain);
  if (port.nodePort)
    t.nat.push(
      `-A KUBE-NODEPORTS -p ${proto} -m comment --comment "${spn}" -m ${proto} --dport ${port.nodePort} -j ${extChain}`,
    );
  if (!local) {
    t.nat.push(
      `-A ${extChain} -m comment --comment "masquerade traffic for ${spn} external destinations" -j KUBE-MARK-MASQ`,
      `-A ${extChain} -j ${svcChain}`,
    );
    return;
  }
  t.nat.push(
    `-A ${extChain} -s 10.244.0.0/16 -m comment --comment "pod traffic for ${spn} external destinations" -j ${svcChain}`,
    `-A ${extChain} -m comment --comment "masquerade LOCAL traffic for ${spn} external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ`,
    `-A ${extChain} -m comment --comment "route LOCAL traffic for ${spn} external destinations" -m addrtype --src-type LOCAL -j ${svcChain}`,
  );
  if (localEps.length === 0) {
    // No KUBE-SVL chain and no jump to it: the filter table drops what comes from outside.
    if (port.nodePort)
      t.filter.push(
        `-A KUBE-EXTERNAL-SERVICES -p ${proto} -m comment --comment "${spn} has no local endpoints" -m addrtype --dst-type LOCAL -m ${proto} --dport ${port.nodePort} -j DROP`,
      );
    for (const ip of lbIps)
      t.filter.push(
        `-A KUBE-EXTERNAL-SERVICES -d ${ip}/32 -p ${proto} -m comment --comment "${spn} has no local endpoints" -m ${proto} --dport ${port.port} -j DROP`,
      );
    return;
  }
  t.natChains.add(svlChain);
  t.nat.push(`-A ${extChain} -j ${svlChain}`);
  toEndpoints(svlChain, localEps);
}

function tables(store: ObjectStore, workloads: Workloads, node: NodeInfo): Tables {
  const t: Tables = {
    nat: [],
    natChains: new Set(['KUBE-MARK-MASQ', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-SERVICES']),
    filter: [],
  };
  for (const svc of store.list('Service')) {
    if (!svc.spec?.selector) continue;
    for (const port of (svc.spec.ports ?? []) as ServicePortSpec[]) {
      const ready = endpointsOf(store, workloads, svc, port).filter((e) => e.ready);
      writeService(t, svc, port, ready, node);
    }
  }
  return t;
}

const STAMP = 'Tue Dec  1 00:00:00 2026';
const BUILTIN = ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'];

/** iptables-save prints the rules chain by chain: the built-in chains first, then the others by name. */
function byChain(rules: string[]): string[] {
  const chain = (rule: string) => rule.split(' ')[1]!;
  const rank = (c: string) => (BUILTIN.includes(c) ? String(BUILTIN.indexOf(c)) : `9${c}`);
  return rules
    .map((rule, i) => ({ rule, i }))
    .sort((a, b) => rank(chain(a.rule)).localeCompare(rank(chain(b.rule))) || a.i - b.i)
    .map((r) => r.rule);
}

/** `iptables-save -t nat` or `-t filter` on `node`, as kube-proxy left it. */
export function iptablesSave(
  store: ObjectStore,
  workloads: Workloads,
  node: NodeInfo,
  table: 'nat' | 'filter',
): string {
  const t = tables(store, workloads, node);
  const lines = [`# Generated by iptables-save v1.8.11 (nf_tables) on ${STAMP}`, `*${table}`];
  if (table === 'nat') {
    lines.push(':PREROUTING ACCEPT [0:0]', ':INPUT ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':POSTROUTING ACCEPT [0:0]');
    lines.push(...[...t.natChains].sort().map((c) => `:${c} - [0:0]`));
    lines.push(
      ...byChain([
        '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
        '-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
        '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
        '-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000',
        '-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN',
        '-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0',
        '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
        ...t.nat,
        '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
      ]),
    );
  } else {
    lines.push(':INPUT ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]');
    lines.push(
      ':KUBE-EXTERNAL-SERVICES - [0:0]',
      ':KUBE-FORWARD - [0:0]',
      ':KUBE-NODEPORTS - [0:0]',
      ':KUBE-SERVICES - [0:0]',
    );
    lines.push(
      ...byChain([
        '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES',
        '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES',
        ...t.filter,
        '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT',
      ]),
    );
  }
  lines.push('COMMIT', `# Completed on ${STAMP}`);
  return lines.join('\n') + '\n';
}

/**
 * `docker exec <node> …` for the commands `explain` runs: iptables-save of a table, and nft, which finds no
 * kube-proxy table in iptables mode. Anything else is not modelled and says so.
 */
export function nodeExec(
  store: ObjectStore,
  workloads: Workloads,
  nodes: readonly NodeInfo[],
  args: readonly string[],
): { exitCode: number; stdout: string; stderr: string } {
  const [verb, name, ...command] = args;
  if (verb !== 'exec' || name === undefined)
    throw new Error(`the cluster double does not implement: docker ${args.join(' ')}`);
  const node = nodes.find((n) => n.name === name);
  if (!node) return { exitCode: 1, stdout: '', stderr: `Error response from daemon: No such container: ${name}\n` };
  const line = command.join(' ');
  if (line === 'iptables-save -t nat' || line === 'iptables-save -t filter')
    return { exitCode: 0, stdout: iptablesSave(store, workloads, node, command[2] as 'nat' | 'filter'), stderr: '' };
  if (line === 'nft list table ip kube-proxy')
    return {
      exitCode: 1,
      stdout: '',
      stderr: 'Error: No such file or directory\nlist table ip kube-proxy\n                ^^^^^^^^^^\n',
    };
  throw new Error(`the cluster double does not implement: docker ${args.join(' ')}`);
}
