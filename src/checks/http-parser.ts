/** One HTTP/1.x response as read off the wire. */
export interface HttpResponse {
  httpVersion: string;
  status: number;
  statusText: string;
  /** Header names in lower case, in the order received. */
  headers: [string, string][];
  body: string;
  /** May another request follow on this connection? */
  keepAlive: boolean;
}

export class MalformedResponse extends Error {
  override readonly name = 'MalformedResponse';
}

const CRLF = Buffer.from('\r\n');
export const HEAD_END = Buffer.from('\r\n\r\n');

/**
 * Limits on what is read of one answer: far above what the labs' servers send (whoami answers are under 1 KB),
 * so an endless or huge answer ends as a protocol failure instead of filling memory.
 */
export const MAX_HEAD_BYTES = 16 * 1024;
export const MAX_ANSWER_BYTES = 256 * 1024;

export const exceeded = (limit: number) => `the answer exceeded ${limit} bytes`;

export function headerValue(response: Pick<HttpResponse, 'headers'>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return response.headers.find(([n]) => n === wanted)?.[1];
}

/** Chunked body → bytes and where it ended; undefined while incomplete. */
function readChunked(buf: Buffer, start: number): { body: Buffer; end: number } | undefined {
  const parts: Buffer[] = [];
  let at = start;
  for (;;) {
    const lineEnd = buf.indexOf(CRLF, at);
    if (lineEnd < 0) return undefined;
    const size = parseInt(buf.subarray(at, lineEnd).toString('latin1').split(';')[0]!.trim(), 16);
    if (Number.isNaN(size)) throw new MalformedResponse('bad chunk size');
    at = lineEnd + 2;
    if (size === 0) {
      const trailerEnd = buf.subarray(at, at + 2).equals(CRLF) ? at : buf.indexOf(HEAD_END, at);
      if (trailerEnd < 0 || buf.length < trailerEnd + 2) return undefined;
      return { body: Buffer.concat(parts), end: trailerEnd === at ? at + 2 : trailerEnd + 4 };
    }
    if (buf.length < at + size + 2) return undefined;
    parts.push(buf.subarray(at, at + size));
    at += size + 2;
  }
}

/**
 * Try to read one complete response from the start of `buf`. Returns undefined when more bytes are needed;
 * `ended` says the peer closed, which completes a body that runs to the end of the connection.
 * Interim 1xx answers are skipped, as curl does.
 */
export function parseResponse(
  buf: Buffer,
  options: { head: boolean; ended: boolean; need?: { bytes?: number } },
): { response: HttpResponse; consumed: number } | undefined {
  let offset = 0;
  for (;;) {
    const headEnd = buf.indexOf(HEAD_END, offset);
    if (headEnd < 0 || headEnd - offset > MAX_HEAD_BYTES) {
      if (headEnd >= 0 || buf.length - offset > MAX_HEAD_BYTES) throw new MalformedResponse(exceeded(MAX_HEAD_BYTES));
      if (options.ended) throw new MalformedResponse('the connection closed in the middle of the answer');
      return undefined;
    }
    const lines = buf.subarray(offset, headEnd).toString('latin1').split('\r\n');
    const statusLine = /^HTTP\/(\d\.\d) (\d{3})(?: (.*))?$/.exec(lines[0] ?? '');
    if (!statusLine)
      throw new MalformedResponse(`not an HTTP answer: ${JSON.stringify((lines[0] ?? '').slice(0, 60))}`);
    const headers: [string, string][] = [];
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon > 0) headers.push([line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]);
    }
    const status = Number(statusLine[2]);
    const bodyStart = headEnd + 4;
    if (status >= 100 && status < 200 && status !== 101) {
      offset = bodyStart;
      continue;
    }
    const httpVersion = statusLine[1]!;
    const connection = (headerValue({ headers }, 'connection') ?? '').toLowerCase();
    let keepAlive = httpVersion === '1.1' ? !connection.includes('close') : connection.includes('keep-alive');
    const base = { httpVersion, status, statusText: statusLine[3] ?? '', headers };

    if (options.head || status === 204 || status === 304) {
      return { response: { ...base, body: '', keepAlive }, consumed: bodyStart };
    }
    if ((headerValue({ headers }, 'transfer-encoding') ?? '').toLowerCase().includes('chunked')) {
      const chunked = readChunked(buf, bodyStart);
      if (!chunked) {
        if (options.ended) throw new MalformedResponse('the connection closed in the middle of the answer');
        return undefined;
      }
      return { response: { ...base, body: chunked.body.toString('utf8'), keepAlive }, consumed: chunked.end };
    }
    const length = headerValue({ headers }, 'content-length');
    if (length !== undefined) {
      const size = Number(length);
      if (!Number.isInteger(size) || size < 0) throw new MalformedResponse(`bad Content-Length: ${length}`);
      if (bodyStart + size > MAX_ANSWER_BYTES) throw new MalformedResponse(exceeded(MAX_ANSWER_BYTES));
      if (buf.length < bodyStart + size) {
        if (options.ended) throw new MalformedResponse('the connection closed in the middle of the answer');
        // Tell the reader when to try again, so it does not reparse on every chunk.
        if (options.need) options.need.bytes = bodyStart + size;
        return undefined;
      }
      return {
        response: { ...base, body: buf.subarray(bodyStart, bodyStart + size).toString('utf8'), keepAlive },
        consumed: bodyStart + size,
      };
    }
    // No length and not chunked: the body runs until the server closes, so the connection cannot be reused.
    if (!options.ended) return undefined;
    keepAlive = false;
    return { response: { ...base, body: buf.subarray(bodyStart).toString('utf8'), keepAlive }, consumed: buf.length };
  }
}
