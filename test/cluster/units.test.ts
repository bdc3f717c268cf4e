import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ipv4Gateway } from '../../src/cluster/docker.js';
import { portState, probePort } from '../../src/cluster/host-ports.js';
import {
  nodeContainerNames,
  parseKindConfig,
  readKindConfigTemplate,
  renderKindConfig,
} from '../../src/cluster/kind/config.js';
import { compareNodes } from '../../src/cluster/kind/node-state.js';
import { savedRef } from '../../src/cluster/offline-record.js';
import { goPlatform } from '../../src/cluster/tools.js';
import { DEFAULT_HOST_PORTS } from '../../src/cluster/types.js';
import { minorOf } from '../../src/cluster/versions.js';
import { packageRoot } from '../../src/platform/paths.js';
import { fixture } from './kind-fixtures.js';

describe('host port probe (loopback only)', () => {
  it('sees a listener as taken and a closed port as free', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;

    expect(await probePort(port)).toBe('taken');
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(await probePort(port)).toBe('free');
  });

  it('a bind refused for permission, with nobody listening, is denied, not free (macOS on 127.0.0.1:80)', () => {
    expect(portState('EACCES', 'free')).toBe('denied');
    expect(portState('EPERM', 'free')).toBe('denied');
    expect(portState('EACCES', 'taken')).toBe('taken');
    expect(portState('EADDRNOTAVAIL', 'free')).toBe('free');
    expect(portState('EADDRINUSE', 'free')).toBe('taken');
  });
});

describe('kind config template', () => {
  const template = readKindConfigTemplate(packageRoot());

  it('names the node containers the way kind does', () => {
    const config = parseKindConfig(
      renderKindConfig(template, { cluster: 'lab', nodeImage: 'img', ports: DEFAULT_HOST_PORTS }),
    );
    expect(nodeContainerNames(config)).toEqual(['lab-control-plane', 'lab-worker', 'lab-worker2']);
  });

  it('an unknown placeholder is a loud error', () => {
    expect(() =>
      renderKindConfig('name: {{clusterName}}', { cluster: 'x', nodeImage: 'i', ports: DEFAULT_HOST_PORTS }),
    ).toThrow('unknown placeholder {{clusterName}}');
  });

  it('a cluster made from an offline pack (node image by tag) still matches', () => {
    const config = parseKindConfig(
      renderKindConfig(template, {
        cluster: 'expose-labs',
        nodeImage: 'kindest/node:v1.36.1',
        ports: DEFAULT_HOST_PORTS,
      }),
    );
    const containers = JSON.parse(fixture('docker-inspect-nodes.json'));
    for (const c of containers) c.Config.Image = 'kindest/node:v1.36.1';
    const accepted = [
      'kindest/node:v1.36.1@sha256:3489c7674813ba5d8b1a9977baea8a6e553784dab7b84759d1014dbd78f7ebd5',
      'kindest/node:v1.36.1',
    ];

    expect(compareNodes(config, containers, JSON.parse(fixture('nodes.json')), accepted)).toEqual([]);
    expect(compareNodes(config, containers, undefined, accepted).map((d) => d.en)).toEqual([
      'The cluster’s API server does not answer.',
    ]);
  });
});

describe('small parsers', () => {
  it('finds the IPv4 gateway of the kind network, computing it when Docker leaves it out', () => {
    expect(ipv4Gateway(JSON.parse(fixture('network-kind.json')))).toBe('172.18.0.1');
    expect(
      ipv4Gateway([{ IPAM: { Config: [{ Subnet: 'fc00:f853:ccd:e793::/64' }, { Subnet: '172.19.0.0/16' }] } }]),
    ).toBe('172.19.0.1');
    expect(ipv4Gateway([{ IPAM: { Config: [{ Subnet: 'fc00:f853:ccd:e793::/64' }] } }])).toBeUndefined();
  });

  it('strips the digest from a pinned reference', () => {
    expect(savedRef('kindest/node:v1.36.1@sha256:3489')).toBe('kindest/node:v1.36.1');
    expect(savedRef('traefik/whoami:v1.11.0')).toBe('traefik/whoami:v1.11.0');
  });

  it('maps Node’s platform names to the download names', () => {
    expect(goPlatform('darwin', 'arm64')).toBe('darwin/arm64');
    expect(goPlatform('win32', 'x64')).toBe('windows/amd64');
    expect(goPlatform('win32', 'arm64')).toBeUndefined();
    expect(goPlatform('freebsd', 'x64')).toBeUndefined();
  });

  it('reads minor versions', () => {
    expect(minorOf('v1.36.1')).toBe(36);
    expect(minorOf('kind')).toBeUndefined();
  });
});
