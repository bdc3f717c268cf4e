import type { Socket } from 'node:net';

/** The address a pod believes a connection comes from (after kube-proxy's SNAT, or the kept client address). */
export interface ApparentPeer {
  address: string;
  port: number;
}

/**
 * The in-process side channel between the double's proxies and its pods. A proxy that opens a connection to a
 * pod registers, under the local end of that connection, the peer the pod should see; the pod looks its
 * connection's remote end up. No bytes are rewritten on the wire.
 */
export class ApparentPeers {
  private readonly peers = new Map<string, ApparentPeer>();

  /** Call once `socket` is connected and before anything is written on it. */
  register(socket: Socket, peer: ApparentPeer): void {
    const key = `${socket.localAddress}:${socket.localPort}`;
    this.peers.set(key, peer);
    socket.once('close', () => {
      if (this.peers.get(key) === peer) this.peers.delete(key);
    });
  }

  lookup(address: string | undefined, port: number | undefined): ApparentPeer | undefined {
    return this.peers.get(`${address}:${port}`);
  }
}
