import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CheckContext, CheckResult } from '../../src/checks/types.js';
import type { Hop, Receipt } from '../../src/checks/receipt.js';
import { portMappingTarget, stoppedHop } from '../../src/checks/receipt.js';
import type { HostPorts } from '../../src/cluster/types.js';
import {
  nodeContainerNames,
  parseKindConfig,
  readKindConfigTemplate,
  renderKindConfig,
} from '../../src/cluster/kind/config.js';
import { packageRoot } from '../../src/platform/paths.js';
import { tr } from '../../src/core/i18n.js';
import { checkContext, fakeCluster, ok } from './context.js';
import {
  closedPort,
  closingListener,
  httpServer,
  httpsServer,
  selfSigned,
  silentListener,
  whoamiServer,
  type Listening,
} from './servers.js';
import { CHECK_SPECS } from '../../src/checks/specs.js';

// The OS resolver is replaced: no DNS query leaves this machine.
const lookup = vi.hoisted(() => vi.fn());
vi.mock('node:dns/promises', () => ({ lookup, default: { lookup } }));

const { CHECKS } = await import('../../src/checks/registry.js');

async function receiptOf(name: string, spec: unknown, ctx: CheckContext): Promise<Receipt> {
  const def = CHECKS.get(name)!;
  const result: CheckResult = await def.run(CHECK_SPECS.get(def.name)!.parse(spec), ctx);
  expect(result.receipt, `${name} gives a receipt`).toBeDefined();
  return result.receipt!;
}

/** `layer outcome [inferred]: note` per hop, the way a reader of the receipt sees it. */
function lines(receipt: Receipt): string[] {
  return receipt.hops.map(
    (h: Hop) => `${h.layer} ${h.outcome}${h.inferredFrom ? ' [inferred]' : ''}${h.note ? `: ${tr(h.note, 'en')}` : ''}`,
  );
}

let silentMapped: Listening, closingMapped: Listening, ingress: Listening, jordy: Listening, tlsFront: Listening;
let unmappedPort: number, closedAddressPort: number;
const niniz = selfSigned(['niniz.com']);

beforeAll(async () => {
  silentMapped = await silentListener('127.0.0.1');
  closingMapped = await closingListener('127.0.0.1');
  unmappedPort = await closedPort('127.0.0.1');
  closedAddressPort = await closedPort('127.0.0.61');
  ingress = await httpServer('127.0.0.62', (req, res) => {
    res.setHeader('server', 'envoy');
    if (req.url === '/down') return res.writeHead(503).end('no healthy upstream');
    res.writeHead(404, { 'content-length': '0' }).end();
  });
  jordy = await whoamiServer('127.0.0.63', 'jordy-6b8d7c9f5-aaaaa');
  tlsFront = await httpsServer('127.0.0.64', { 'jordy.niniz.com': niniz });
});

afterAll(async () => {
  await Promise.all([silentMapped, closingMapped, ingress, jordy, tlsFront].map((s) => s.close()));
});

function mappedContext(): CheckContext {
  return checkContext({
    cluster: fakeCluster({ ports: { workerB: silentMapped.port, nodePort: closingMapped.port } }),
    timeoutMs: 400,
  });
}

describe('receipts: where the traffic went and where it stopped, over real sockets', () => {
  it('refused on 127.0.0.1 where kind maps nothing: stopped at the port mapping', async () => {
    const receipt = await receiptOf('refused', { address: `127.0.0.1:${unmappedPort}` }, mappedContext());
    expect(lines(receipt)).toEqual(['client through', 'port-mapping refused: no port mapping']);
    expect(receipt.target).toBe(`127.0.0.1:${unmappedPort}`);
    const http = await receiptOf('http', { url: `http://127.0.0.1:${unmappedPort}/` }, mappedContext());
    expect(stoppedHop(http)?.outcome).toBe('refused');
  });

  it('refused on a node address: stopped there, inferred from the RST', async () => {
    const receipt = await receiptOf('http', { url: `http://127.0.0.61:${closedAddressPort}/` }, mappedContext());
    expect(lines(receipt)).toEqual([
      'client through',
      'address refused [inferred]: nothing listens here, or kube-proxy rejects (no endpoints)',
    ]);
  });

  it('dropped behind a mapped port: docker-proxy accepted, the node is inferred, kube-proxy dropped', async () => {
    const receipt = await receiptOf(
      'dropped',
      { url: `http://127.0.0.1:${silentMapped.port}/`, timeoutMs: 300 },
      mappedContext(),
    );
    expect(lines(receipt)).toEqual([
      'client through',
      'port-mapping through: docker-proxy accepted',
      'node through [inferred]',
      'kube-proxy dropped [inferred]: dropped at kube-proxy (no local pod, externalTrafficPolicy: Local) or a firewall',
    ]);
    expect(receipt.hops[2]!.at).toBe('expose-labs-worker2:30080');
    expect(tr(receipt.hops[3]!.inferredFrom!, 'en')).toBe('connected, then silence');
  });

  it('reset behind a mapped port: docker-proxy accepted and closed, nothing on the node port', async () => {
    const receipt = await receiptOf('http', { url: `http://127.0.0.1:${closingMapped.port}/` }, mappedContext());
    expect(lines(receipt)).toEqual([
      'client through',
      'port-mapping through: docker-proxy accepted',
      "node reset [inferred]: docker-proxy accepted and closed: nothing listens on the node's port",
    ]);
    expect(receipt.hops[2]!.at).toBe('expose-labs-worker:30000');
  });

  it('Envoy 404 with an empty body, and 503: stopped at the ingress, observed', async () => {
    const url = `http://127.0.0.62:${ingress.port}`;
    const notFound = await receiptOf('http', { url: `${url}/`, host: 'niniz.com' }, mappedContext());
    expect(lines(notFound).at(-1)).toBe('ingress http: HTTP 404, empty body (server: envoy)');
    const down = await receiptOf('http', { url: `${url}/down`, host: 'niniz.com' }, mappedContext());
    expect(lines(down).at(-1)).toBe('ingress http: HTTP 503: no healthy upstream (server: envoy)');
    expect(stoppedHop(down)?.layer).toBe('ingress');
  });

  it('TLS: no certificate for the name stops the handshake; another certificate is a mismatch', async () => {
    const address = `127.0.0.64:${tlsFront.port}`;
    const unknown = await receiptOf('tls', { address, servername: 'niniz.com' }, mappedContext());
    expect(lines(unknown).at(-1)).toBe('ingress tls: TLS handshake failed: no certificate for this name (SNI)');
    const mismatch = await receiptOf(
      'tls',
      { address, servername: 'jordy.niniz.com', subjectCN: 'jordy.niniz.com' },
      mappedContext(),
    );
    expect(lines(mismatch).at(-1)).toBe(
      'ingress mismatch: certificate CN=niniz.com — not made for jordy.niniz.com (not in its SAN), CN is niniz.com',
    );
  });

  it('a pod that answered: its name, its node from the API, and the client address it saw', async () => {
    const cluster = fakeCluster({
      kubectl: (args) => {
        expect(args).toEqual(['get', 'pod', 'jordy-6b8d7c9f5-aaaaa', '-o', 'json']);
        return ok(JSON.stringify({ spec: { nodeName: 'expose-labs-worker' } }));
      },
    });
    const receipt = await receiptOf('http', { url: `http://127.0.0.63:${jordy.port}/` }, checkContext({ cluster }));
    expect(receipt.pod).toEqual({ name: 'jordy-6b8d7c9f5-aaaaa', node: 'expose-labs-worker', ip: '10.244.1.7' });
    expect(receipt.clientSeen).toBe('127.0.0.1');
    expect(lines(receipt)).toEqual(['client through', 'address through', 'pod answered: HTTP 200']);
    expect(receipt.hops.at(-1)!.at).toBe('jordy-6b8d7c9f5-aaaaa @ expose-labs-worker');
    expect(stoppedHop(receipt)).toBeUndefined();
  });
});

describe('portMappingTarget', () => {
  it("reads the host ports as fixtures/kind/cluster.yaml maps them: each one's node container and port", () => {
    const ports: HostPorts = { http: 8001, https: 8002, nodePort: 8003, workerA: 8004, workerB: 8005 };
    const config = parseKindConfig(
      renderKindConfig(readKindConfigTemplate(packageRoot()), { cluster: 'labs', nodeImage: 'kindest/node', ports }),
    );
    const names = nodeContainerNames(config);
    const mapped = config.nodes.flatMap((node, i) =>
      node.extraPortMappings.map((m) => [m.hostPort, { node: names[i], port: m.containerPort }] as const),
    );
    expect(mapped.map(([hostPort]) => hostPort).sort()).toEqual(Object.values(ports).sort());
    for (const [hostPort, target] of mapped)
      expect(portMappingTarget({ name: 'labs', ports }, hostPort), String(hostPort)).toEqual(target);
    expect(portMappingTarget({ name: 'labs', ports }, 8006)).toBeUndefined();
  });
});
