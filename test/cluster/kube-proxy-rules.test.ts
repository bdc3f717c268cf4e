import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  chainSuffix,
  isIptablesMode,
  nftChainBase,
  readIptables,
  readNft,
  servicePortName,
} from '../../src/cluster/kube-proxy-rules.js';
import { nodeRules } from '../../src/cluster/node-rules.js';
import type { Command, CommandResult } from '../../src/platform/command.js';

/**
 * How kube-proxy's dumps are read. The dumps are the worked example of /tmp/research/gateway-kubeproxy.md (Part C),
 * written from kube-proxy's own proxiers (pkg/proxy/iptables/proxier.go, pkg/proxy/nftables/proxier.go) as read
 * in stored copies of about v1.31–v1.33 — kubernetes/kubernetes is too large to fetch, so tag v1.36.1 could not
 * be checked; its hashes were computed with /tmp/research/hash.js, which reproduces upstream's own test values.
 */
const fixture = (name: string) => readFile(join(import.meta.dirname, 'fixtures', 'kube-proxy', name), 'utf8');
const local = { namespace: 'default', name: 'jordy-local' };
const cluster = { namespace: 'default', name: 'jordy-node-port-svc' };

describe('chain names from the Service port name', () => {
  it('iptables: base32(sha256(svcPortName + protocol))[:16]', () => {
    expect(servicePortName(cluster)).toBe('default/jordy-node-port-svc');
    expect(chainSuffix(cluster)).toBe('YCFJILUDQGYDEKMW');
    expect(chainSuffix(local)).toBe('22FDQJ4UGVSUJO3H');
    expect(chainSuffix({ ...cluster, portName: 'http' })).toBe('KOIYMUDEUDJSHMHD');
  });

  it("nftables: hash of the name, then the name (upstream's own example ns1/svc1/tcp/p80 → ULMVA6XW)", () => {
    expect(nftChainBase({ namespace: 'ns1', name: 'svc1', portName: 'p80' })).toBe('ULMVA6XW-ns1/svc1/tcp/p80');
    expect(nftChainBase(local)).toBe('ZID4EUQZ-default/jordy-local/tcp/');
  });
});

describe('iptables-save, externalTrafficPolicy Local', () => {
  it('on the node without the pod: no KUBE-SVL, the filter table DROPs', async () => {
    const rules = readIptables(await fixture('worker-nat.txt'), await fixture('worker-filter.txt'), [local]);
    expect(isIptablesMode(await fixture('worker-nat.txt'))).toBe(true);
    expect(rules.lines.every((l) => l.includes('22FDQJ4UGVSUJO3H') || l.includes('default/jordy-local'))).toBe(true);
    expect(rules.lines.some((l) => l.includes('jordy-node-port-svc'))).toBe(false);
    expect(rules.facts).toEqual([
      { kind: 'entry', via: 'nodePort', port: 30001, to: 'KUBE-EXT-22FDQJ4UGVSUJO3H' },
      { kind: 'entry', via: 'cluster IP', address: '10.96.45.7', port: 80, to: 'KUBE-SVC-22FDQJ4UGVSUJO3H' },
      { kind: 'local-endpoints', present: false },
      { kind: 'endpoint', from: 'KUBE-SVC-22FDQJ4UGVSUJO3H', endpoint: '10.244.2.3:80' },
      { kind: 'drop', reason: 'default/jordy-local has no local endpoints', port: 30001 },
    ]);
    expect(rules.grep).toEqual(['default/jordy-local', '22FDQJ4UGVSUJO3H']);
  });

  it('on the node with the pod: KUBE-EXT jumps to KUBE-SVL, which holds the local endpoint', async () => {
    const rules = readIptables(await fixture('worker2-nat.txt'), '', [local]);
    expect(rules.facts).toContainEqual({ kind: 'local-endpoints', present: true });
    expect(rules.facts).toContainEqual({
      kind: 'endpoint',
      from: 'KUBE-SVL-22FDQJ4UGVSUJO3H',
      endpoint: '10.244.2.3:80',
    });
    expect(rules.facts.some((f) => f.kind === 'drop')).toBe(false);
  });
});

describe('iptables-save, Cluster and no endpoints', () => {
  it('Cluster: one SEP per endpoint, the probabilities as iptables-save prints them', async () => {
    const rules = readIptables(await fixture('worker-nat.txt'), '', [cluster]);
    expect(rules.facts.filter((f) => f.kind === 'endpoint')).toEqual([
      { kind: 'endpoint', from: 'KUBE-SVC-YCFJILUDQGYDEKMW', endpoint: '10.244.1.2:80', probability: '0.33333333349' },
      { kind: 'endpoint', from: 'KUBE-SVC-YCFJILUDQGYDEKMW', endpoint: '10.244.1.3:80', probability: '0.50000000000' },
      { kind: 'endpoint', from: 'KUBE-SVC-YCFJILUDQGYDEKMW', endpoint: '10.244.2.2:80' },
    ]);
    expect(rules.lines.filter((l) => l.startsWith('-A KUBE-SEP-'))).toHaveLength(6);
    expect(rules.facts.some((f) => f.kind === 'local-endpoints')).toBe(false);
  });

  it('no endpoints at all: REJECT for the ClusterIP and the nodePort', async () => {
    const rules = readIptables('', await fixture('no-endpoints-filter.txt'), [cluster]);
    expect(rules.facts).toEqual([
      { kind: 'reject', reason: 'default/jordy-node-port-svc has no endpoints', port: 80 },
      { kind: 'reject', reason: 'default/jordy-node-port-svc has no endpoints', port: 30000 },
    ]);
  });
});

describe('nft list table ip kube-proxy (nftables mode)', () => {
  it('Local, no pod here: the nodePort element drops; the external chain short-circuits and goes no further', async () => {
    const rules = readNft(await fixture('worker-nft.txt'), [local]);
    expect(rules.facts).toEqual([
      {
        kind: 'entry',
        via: 'cluster IP',
        address: '10.96.45.7',
        port: 80,
        to: 'service-ZID4EUQZ-default/jordy-local/tcp/',
      },
      { kind: 'entry', via: 'nodePort', port: 30001, to: 'external-ZID4EUQZ-default/jordy-local/tcp/' },
      { kind: 'local-endpoints', present: false },
      { kind: 'drop', reason: 'default/jordy-local (no-endpoint-nodeports)', port: 30001 },
    ]);
    expect(rules.lines).toContain('no-endpoint-nodeports: tcp . 30001 comment "default/jordy-local" : drop');
  });

  it('Cluster: the endpoint chain DNATs; another Service is not mixed in', async () => {
    const rules = readNft(await fixture('worker-nft.txt'), [cluster]);
    expect(rules.facts).toContainEqual({
      kind: 'endpoint',
      from: 'endpoint-PXHP7SAO-default/jordy-node-port-svc/tcp/__10.244.1.2/80',
      endpoint: '10.244.1.2:80',
    });
    expect(rules.lines.some((l) => l.includes('jordy-local'))).toBe(false);
  });
});

describe('which dump a node gives: iptables first, nftables when kube-proxy left no KUBE-SERVICES', () => {
  const result = (stdout: string, exitCode = 0): CommandResult => ({
    exitCode,
    stdout,
    stderr: exitCode ? 'Error: No such file or directory' : '',
    failed: exitCode !== 0,
    timedOut: false,
  });

  it('reads nft when iptables-save shows no kube-proxy chains, and says which commands', async () => {
    const nft = await fixture('worker-nft.txt');
    const seen: string[] = [];
    const exec = async (command: Command) => {
      seen.push(command.args.join(' '));
      return command.args[2] === 'nft' ? result(nft) : result('# Generated by iptables-save\n*nat\nCOMMIT\n');
    };
    const rules = await nodeRules(exec, 'kind-worker', [local]);
    expect(rules.mode).toBe('nftables');
    expect(seen).toEqual(['exec kind-worker iptables-save -t nat', 'exec kind-worker nft list table ip kube-proxy']);
  });

  it('neither works: unavailable, with the reason', async () => {
    const rules = await nodeRules(async () => result('', 1), 'kind-worker', [local]);
    expect(rules).toMatchObject({ mode: 'unavailable', reason: 'Error: No such file or directory' });
  });
});
