import net from 'node:net';
import type { HostPorts } from '../../../src/cluster/types.js';

function freePort(): Promise<{ port: number; server: net.Server }> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      resolve({ port: (server.address() as net.AddressInfo).port, server });
    });
  });
}

/** Five distinct ports that are free on 127.0.0.1 now, to stand for the cluster's host port mappings in tests. */
export async function freeHostPorts(): Promise<HostPorts> {
  const taken = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
  await Promise.all(taken.map(({ server }) => new Promise((resolve) => server.close(resolve))));
  const [http, https, nodePort, workerA, workerB] = taken.map((t) => t.port) as [
    number,
    number,
    number,
    number,
    number,
  ];
  return { http, https, nodePort, workerA, workerB };
}
