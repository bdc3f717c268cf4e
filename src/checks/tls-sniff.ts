import { connect } from 'node:tls';

/**
 * Does a TLS server answer on this address and port? Asked by `probe` after a plain-HTTP request was closed without
 * a byte, so that "this is a TLS port" is said only when TLS was actually seen there: a finished handshake, or a TLS
 * alert record (OpenSSL reports it as ERR_SSL_…_ALERT_…). A server that only closes says nothing either way. Tried
 * with the name (SNI), then without it. Lab addresses only: the caller has already decided the request may be sent.
 */
export async function answersTls(
  address: string,
  port: number,
  timeoutMs: number,
  servername?: string,
): Promise<boolean> {
  if (await tlsSeen(address, port, timeoutMs, servername)) return true;
  return servername !== undefined && tlsSeen(address, port, timeoutMs, undefined);
}

function tlsSeen(address: string, port: number, timeoutMs: number, servername: string | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port, servername, rejectUnauthorized: false });
    const done = (value: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('secureConnect', () => done(true));
    socket.once('error', (error: NodeJS.ErrnoException) => done(/^ERR_SSL_.*ALERT/.test(error.code ?? '')));
  });
}
