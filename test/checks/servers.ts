import forge from 'node-forge';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import { createServer as createTlsServer, createSecureContext, type Server as TlsServer } from 'node:tls';
import { connect, createServer as createNetServer, type Server, type Socket } from 'node:net';
import { X509Certificate } from 'node:crypto';

/** Test servers on loopback addresses, standing for nodes, proxies and pods. Each records what it saw. */

export interface Listening {
  address: string;
  port: number;
  close(): Promise<void>;
}

function listen(server: Server | HttpServer | TlsServer, address: string, sockets: Set<Socket>): Promise<Listening> {
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, address, () => {
      const port = (server.address() as { port: number }).port;
      resolve({
        address,
        port,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/** The text traefik/whoami v1.11 writes (Go's Request.Write uses CRLF for the request part). */
export function whoamiBody(opts: {
  name?: string;
  hostname: string;
  ips: string[];
  remote: string;
  req: IncomingMessage;
}): string {
  const lines = [
    ...(opts.name ? [`Name: ${opts.name}`] : []),
    `Hostname: ${opts.hostname}`,
    ...opts.ips.map((ip) => `IP: ${ip}`),
    `RemoteAddr: ${opts.remote}`,
  ];
  const head = [`${opts.req.method} ${opts.req.url} HTTP/1.1`];
  for (let i = 0; i < opts.req.rawHeaders.length; i += 2)
    head.push(`${opts.req.rawHeaders[i]}: ${opts.req.rawHeaders[i + 1]}`);
  return lines.join('\n') + '\n' + head.join('\r\n') + '\r\n\r\n';
}

export interface WhoamiServer extends Listening {
  hostname: string;
  /** One entry per request: the client port it came from (same port = same connection). */
  requests: { remotePort: number; host: string | undefined; url: string | undefined }[];
}

/** A whoami-like pod: answers every path with its hostname and the client's address. */
export async function whoamiServer(
  address: string,
  hostname: string,
  name = hostname.split('-')[0],
): Promise<WhoamiServer> {
  const requests: WhoamiServer['requests'] = [];
  const server = createHttpServer((req, res) => {
    requests.push({ remotePort: req.socket.remotePort!, host: req.headers.host, url: req.url });
    const remote = `${req.socket.remoteAddress}:${req.socket.remotePort}`;
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end(whoamiBody({ name, hostname, ips: [address, '10.244.1.7'], remote, req }));
  });
  server.keepAliveTimeout = 5000;
  const l = await listen(server, address, new Set());
  return { ...l, hostname, requests };
}

/** Any HTTP handler on an address. */
export async function httpServer(
  address: string,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<Listening> {
  return listen(createHttpServer(handler), address, new Set());
}

/**
 * An L4 front (like kube-proxy or cloud-provider-kind's Envoy): each new connection goes to the next backend in
 * turn and stays there. `sourceAddress` stands for SNAT: the backend then sees that address, not the client's.
 */
export async function roundRobinFront(
  address: string,
  backends: Listening[],
  sourceAddress?: string,
): Promise<Listening & { connections: number }> {
  let next = 0;
  const state = { connections: 0 };
  const sockets = new Set<Socket>();
  const server = createNetServer((client) => {
    state.connections++;
    const backend = backends[next++ % backends.length]!;
    const upstream = connect({ host: backend.address, port: backend.port, localAddress: sourceAddress });
    sockets.add(upstream);
    client.pipe(upstream).pipe(client);
    const closeBoth = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', closeBoth);
    upstream.on('error', closeBoth);
    client.on('close', closeBoth);
    upstream.on('close', closeBoth);
  });
  const l = await listen(server, address, sockets);
  return {
    ...l,
    get connections() {
      return state.connections;
    },
  };
}

/** Accepts connections and never writes a byte: a proxy with nowhere to send them, or a dropped answer. */
export async function silentListener(address: string): Promise<Listening> {
  return listen(
    createNetServer(() => undefined),
    address,
    new Set(),
  );
}

/** Accepts, then closes at once without a byte (an L4 proxy without backends). */
export async function closingListener(address: string, reset = false): Promise<Listening> {
  return listen(
    createNetServer((s) => {
      if (reset) s.resetAndDestroy();
      else s.end();
    }),
    address,
    new Set(),
  );
}

/** A port on `address` where nothing listens (bound once, then released). */
export async function closedPort(address: string): Promise<number> {
  const l = await listen(createNetServer(), address, new Set());
  await l.close();
  return l.port;
}

// One RSA key for every test certificate: key generation is the slow part.
const keys = forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });

export interface TestCert {
  keyPem: string;
  certPem: string;
  fingerprint256: string;
}

/** A self-signed certificate with CN = first host and SAN DNS entries for all hosts. */
export function selfSigned(hosts: string[], validity: { from?: Date; to?: Date } = {}): TestCert {
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '01' + forge.util.bytesToHex(forge.random.getBytesSync(8));
  cert.validity.notBefore = validity.from ?? new Date(Date.now() - 60_000);
  cert.validity.notAfter = validity.to ?? new Date(Date.now() + 360 * 86_400_000);
  const attrs = [{ name: 'commonName', value: hosts[0]! }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'subjectAltName', altNames: hosts.map((value) => ({ type: 2, value })) },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  return {
    keyPem: forge.pki.privateKeyToPem(keys.privateKey),
    certPem,
    fingerprint256: new X509Certificate(certPem).fingerprint256,
  };
}

/**
 * An HTTPS front like Envoy with Ingress TLS: a certificate per SNI name, and no fallback, so an unknown name
 * fails the handshake. Requests are answered whoami-style by `hostname`.
 */
export async function httpsServer(
  address: string,
  certs: Record<string, TestCert>,
  hostname = 'jordy-tls-1',
): Promise<Listening> {
  const contexts = Object.fromEntries(
    Object.entries(certs).map(([name, c]) => [name, createSecureContext({ key: c.keyPem, cert: c.certPem })]),
  );
  const server = createTlsServer({
    SNICallback: (name, cb) => {
      const ctx = contexts[name];
      if (ctx) cb(null, ctx);
      else cb(new Error(`no certificate for ${name}`));
    },
  });
  const http = createHttpServer((req, res) => {
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end(
      whoamiBody({
        name: hostname.split('-')[0],
        hostname,
        ips: [address],
        remote: `${req.socket.remoteAddress}:${req.socket.remotePort}`,
        req,
      }),
    );
  });
  server.on('secureConnection', (socket) => http.emit('connection', socket));
  server.on('tlsClientError', () => undefined);
  return listen(server, address, new Set());
}
