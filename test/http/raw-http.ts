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
  /** Everything after the first response's headers, as text. */
  body: string;
  /** Every byte the server sent, as text. */
  raw: string;
  /** Whether every write was sent before the server closed the connection. */
  sentAll: boolean;
  /** Time from connecting until the server closed the connection. */
  elapsedMs: number;
}

/**
 * Writes bytes to a server exactly as given, with pauses between the writes, and reads until
 * the server closes the connection. Fails after `timeoutMs` if the server keeps it open.
 */
export function rawExchange(
  url: URL,
  writes: RawWrite[],
  timeoutMs = 10_000,
): Promise<RawExchange> {
  return new Promise((resolve, reject) => {
    const startedMs = Date.now();
    const socket = connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    let sentAll = false;
    let closed = false;
    const deadline = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open for ${timeoutMs} ms`));
    }, timeoutMs);

    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A server that closes while the client still writes resets the connection.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closed = true;
      clearTimeout(deadline);
      const raw = Buffer.concat(chunks).toString('latin1');
      resolve({ ...parseResponse(raw), raw, sentAll, elapsedMs: Date.now() - startedMs });
    });

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
  return { status, headers, body: raw.slice(end + 4) };
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
