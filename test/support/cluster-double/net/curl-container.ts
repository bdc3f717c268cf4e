import http from 'node:http';
import type { Socket } from 'node:net';
import type { CommandResult, Exec } from '../../../../src/platform/command.js';

/**
 * `docker run --rm --network kind --entrypoint curl <image> …` for a double whose host "cannot reach the node
 * network": the network vantage's command (src/checks/network-vantage.ts), run as curl would from a container
 * on that network, which for the double is this process on loopback. Plain HTTP only (what lab 02's
 * LoadBalancer checks send): each URL is one transfer, on one kept-alive connection unless the command asks for
 * `Connection: close`; curl's `-i` output and the `-w` block follow each transfer, and a refused or timed-out
 * connect gives curl's exit code and its `-v` line. Anything else fails loudly, so a check that needs more is
 * seen.
 */
export function curlContainerExec(network: string, fallback: Exec): Exec {
  return async (command, options) => {
    const args = command.args;
    const entry = args.indexOf('--entrypoint');
    if (command.file !== 'docker' || args[0] !== 'run' || args[entry + 1] !== 'curl') return fallback(command, options);
    if (args[args.indexOf('--network') + 1] !== network)
      throw new Error(`curl container on another network: ${args.join(' ')}`);
    const rest = args.slice(entry + 3);
    const urls = rest.filter((a) => /^https?:\/\//.test(a));
    if (urls.some((u) => u.startsWith('https:')) || rest.includes('--resolve') || rest.includes('--connect-to'))
      throw new Error(`the double's curl container speaks plain HTTP to addresses only: ${rest.join(' ')}`);
    const headers: Record<string, string> = {};
    rest.forEach((a, i) => {
      if (a !== '-H') return;
      const [name, ...value] = (rest[i + 1] ?? '').split(':');
      headers[name!.trim()] = value.join(':').trim();
    });
    const writeOut = rest[rest.indexOf('-w') + 1] ?? '';
    const connectMs = Number(rest[rest.indexOf('--connect-timeout') + 1]) * 1000;
    const agent = new http.Agent({ keepAlive: !headers.Connection, maxSockets: 1 });
    const seen = new Set<Socket>();
    let stdout = '';
    let stderr = '';
    let exitCode = 0;
    try {
      for (const url of urls) {
        const started = Date.now();
        const result = await transfer(url, headers, agent, connectMs, seen);
        const fields: Record<string, string> = {
          exitcode: String(result.exit),
          errormsg: result.error ?? '',
          http_code: String(result.status ?? 0),
          remote_ip: result.remote?.address ?? '',
          remote_port: String(result.remote?.port ?? 0),
          local_ip: result.local?.address ?? '',
          local_port: String(result.local?.port ?? 0),
          num_connects: result.newConnection ? '1' : '0',
          time_connect: result.connected ? '0.001' : '0',
          time_appconnect: '0',
          time_total: String((Date.now() - started) / 1000),
          ssl_verify_result: '0',
          certs: '',
        };
        stdout += result.output + expand(writeOut, fields);
        if (result.exit !== 0) {
          stderr += `*   Trying ${new URL(url).host}...\n* ${result.verbose}\ncurl: (${result.exit}) ${result.error}\n`;
          exitCode = result.exit;
          break;
        }
      }
    } finally {
      agent.destroy();
    }
    const done: CommandResult = { exitCode, stdout, stderr, failed: exitCode !== 0, timedOut: false };
    return done;
  };
}

/** curl's `-w` text: `\n` escapes and `%{name}` fields. */
function expand(format: string, fields: Record<string, string>): string {
  return format.replace(/\\n/g, '\n').replace(/%\{(\w+)\}/g, (_m, name: string) => fields[name] ?? '');
}

interface Transfer {
  exit: number;
  error?: string;
  verbose?: string;
  status?: number;
  output: string;
  connected: boolean;
  newConnection: boolean;
  local?: { address: string; port: number };
  remote?: { address: string; port: number };
}

function transfer(
  url: string,
  headers: Record<string, string>,
  agent: http.Agent,
  connectMs: number,
  seen: Set<Socket>,
): Promise<Transfer> {
  return new Promise((resolve) => {
    const target = new URL(url);
    const req = http.request({ host: target.hostname, port: target.port || 80, path: target.pathname, headers, agent });
    const timer = setTimeout(() => {
      req.destroy();
      resolve({
        exit: 28,
        error: `Connection timed out after ${connectMs} milliseconds`,
        verbose: 'Connection timed out',
        output: '',
        connected: false,
        newConnection: false,
      });
    }, connectMs);
    req.on('response', (res) => {
      clearTimeout(timer);
      const socket = res.socket;
      const newConnection = !seen.has(socket);
      seen.add(socket);
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const head = [`HTTP/${res.httpVersion} ${res.statusCode} ${res.statusMessage}`];
        for (let i = 0; i < res.rawHeaders.length; i += 2) head.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`);
        resolve({
          exit: 0,
          status: res.statusCode,
          output: `${head.join('\r\n')}\r\n\r\n${Buffer.concat(chunks).toString()}`,
          connected: true,
          newConnection,
          local: { address: socket.localAddress ?? '', port: socket.localPort ?? 0 },
          remote: { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 },
        });
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const refused = error.code === 'ECONNREFUSED';
      resolve({
        exit: refused ? 7 : 52,
        error: refused ? `Failed to connect to ${target.host}: Connection refused` : 'Empty reply from server',
        verbose: refused
          ? `connect to ${target.hostname} port ${target.port || 80} failed: Connection refused`
          : error.message,
        output: '',
        connected: !refused,
        newConnection: false,
      });
    });
    req.end();
  });
}
