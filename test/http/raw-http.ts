import { connect } from 'node:net';

/** One write of a raw exchange, sent `delayMs` after the previous one. */
export interface RawWrite {
  data: string | Buffer;
  delayMs?: number;
}

/** What a server sent back on one connection, until it closed the connection. */
export interface RawExchange {
  /** Status of the first response, or 0 when the server sent nothing. */
  status: number;
  /** Headers of the first response, with lower-case names. */
  headers: Map<string, string>;
  /** Everything after the first response's headers, as text, without chunk framing. */
  body: string;
  /** Every byte the server sent, as text. */
  raw: string;
  /** Whether every write was sent before the server closed the connection. */
  sentAll: boolean;
  /** Time from connecting until the server closed the connection or the response was complete. */
  elapsedMs: number;
}

export interface RawExchangeOptions {
  /** Stop at the end of the first response, keeping the connection from closing the exchange. */
  untilResponse?: boolean;
  timeoutMs?: number;
}

/**
 * Writes bytes to a server exactly as given, with pauses between the writes, and reads until
 * the server closes the connection, or until the first response is complete. Fails after
 * `timeoutMs` if neither happens.
 */
export function rawExchange(
  url: URL,
  writes: RawWrite[],
  options: RawExchangeOptions = {},
): Promise<RawExchange> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const startedMs = Date.now();
    const socket = connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    let sentAll = false;
    let closed = false;
    const deadline = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server sent no complete answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const finish = () => {
      if (closed) {
        return;
      }
      closed = true;
      clearTimeout(deadline);
      socket.destroy();
      const raw = Buffer.concat(chunks).toString('latin1');
      resolve({ ...parseResponse(raw), raw, sentAll, elapsedMs: Date.now() - startedMs });
    };

    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (options.untilResponse === true && isComplete(Buffer.concat(chunks).toString('latin1'))) {
        finish();
      }
    });
    // A server that closes while the client still writes resets the connection.
    socket.on('error', () => undefined);
    socket.on('close', finish);

    void (async () => {
      for (const write of writes) {
        if (write.delayMs !== undefined) {
          await new Promise((done) => setTimeout(done, write.delayMs));
        }
        if (closed || socket.destroyed) {
          return;
        }
        socket.write(write.data);
      }
      sentAll = true;
    })();
  });
}

function isComplete(raw: string): boolean {
  const end = raw.indexOf('\r\n\r\n');
  if (end === -1) {
    return false;
  }
  const { headers, body } = parseResponse(raw);
  if (headers.get('transfer-encoding') === 'chunked') {
    return raw.endsWith('\r\n0\r\n\r\n');
  }
  const length = headers.get('content-length');
  return length !== undefined && body.length >= Number(length);
}

function parseResponse(raw: string): Pick<RawExchange, 'status' | 'headers' | 'body'> {
  const headers = new Map<string, string>();
  const end = raw.indexOf('\r\n\r\n');
  if (end === -1) {
    return { status: 0, headers, body: '' };
  }
  const [statusLine = '', ...lines] = raw.slice(0, end).split('\r\n');
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? 0);
  const body = raw.slice(end + 4);
  return {
    status,
    headers,
    body: headers.get('transfer-encoding') === 'chunked' ? dechunk(body) : body,
  };
}

/** Joins the chunks of a chunked body, as far as they have arrived. */
function dechunk(framed: string): string {
  let body = '';
  let offset = 0;
  for (;;) {
    const lineEnd = framed.indexOf('\r\n', offset);
    const size = lineEnd === -1 ? 0 : parseInt(framed.slice(offset, lineEnd), 16);
    if (!(size > 0)) {
      return body;
    }
    body += framed.slice(lineEnd + 2, lineEnd + 2 + size);
    offset = lineEnd + 2 + size + 2;
  }
}

/** Encodes a body as HTTP/1.1 chunks of `chunkBytes` each, with the final empty chunk. */
export function chunkedBody(body: Buffer, chunkBytes = 64 * 1024): RawWrite[] {
  const writes: RawWrite[] = [];
  for (let offset = 0; offset < body.length; offset += chunkBytes) {
    const chunk = body.subarray(offset, offset + chunkBytes);
    writes.push({ data: Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk]) });
    writes.push({ data: '\r\n' });
  }
  writes.push({ data: '0\r\n\r\n' });
  return writes;
}
