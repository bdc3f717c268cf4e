import { ProbeFailure } from './failure.js';
import { openConnection, type HttpConnection } from './http-client.js';
import type { Attempt, ExchangeOptions } from './attempt.js';
import type { RequestPlan } from './target.js';
import { parseWhoami } from './whoami.js';

/**
 * Send the plan's request `count` times from this process. Without keep-alive each request opens its own
 * connection and asks the server to close it; with keep-alive they share one socket, and a new one is opened
 * only when the server closed the old one (which the attempts then show as a second connection).
 */
export async function exchangeFromHost(plan: RequestPlan, options: ExchangeOptions): Promise<Attempt[]> {
  const deadline = { timeoutMs: options.timeoutMs, signal: options.signal };
  const attempts: Attempt[] = [];
  let connection: HttpConnection | undefined;
  let connections = 0;
  try {
    for (let index = 1; index <= options.count; index++) {
      const started = Date.now();
      try {
        if (!connection?.open || !options.keepAlive) {
          connection?.close();
          connection = undefined;
          connection = await openConnection(plan.endpoint, deadline);
          connections++;
        }
        const response = await connection.request({ ...plan.head, close: !options.keepAlive }, deadline);
        const { info } = connection;
        attempts.push({
          ok: true,
          index,
          connection: connections,
          ms: Date.now() - started,
          response,
          local: { address: info.localAddress, port: info.localPort },
          remote: { address: info.remoteAddress, port: info.remotePort },
          certificate: info.certificate,
          trustError: info.trustError,
          whoami: parseWhoami(response.body),
        });
      } catch (error) {
        if (!(error instanceof ProbeFailure)) throw error;
        attempts.push({
          ok: false,
          index,
          connection: connection ? connections : undefined,
          ms: Date.now() - started,
          failure: error.failure,
          certificate: error.certificate ?? connection?.info.certificate,
        });
        connection?.close();
        connection = undefined;
        if (options.stopOnFailure) break;
      }
    }
  } finally {
    connection?.close();
  }
  return attempts;
}
