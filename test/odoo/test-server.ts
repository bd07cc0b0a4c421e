import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Recording } from './recordings.js';

/** A request that reached a test server. */
export interface ReceivedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** Handles one request. `attempt` counts the requests received so far, this one included. */
export type TestHandler = (
  request: ReceivedRequest,
  response: ServerResponse,
  attempt: number,
) => void;

export interface TestServer {
  /** Base URL of the server, `http://127.0.0.1:<port>/`. */
  url: URL;
  /** Every request received, oldest first. */
  requests: ReceivedRequest[];
  /** The parsed JSON bodies of `requests`. */
  jsonBodies(): unknown[];
  close(): Promise<void>;
}

/** Starts an HTTP server on 127.0.0.1 and an ephemeral port that runs `handler` per request. */
export async function startTestServer(handler: TestHandler): Promise<TestServer> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const request = {
        path: incoming.url ?? '',
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      handler(request, response, requests.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}/`),
    requests,
    jsonBodies: () => requests.map((request) => JSON.parse(request.body) as unknown),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Starts a server that responds to a request for the recorded path with the recorded response:
 * status, Content-Type, Set-Cookie and Location where recorded, and the body as Odoo sent it.
 * Any other path gets a 404.
 */
export async function startReplayServer(recording: Recording): Promise<TestServer> {
  return startTestServer((request, response) => {
    if (request.path !== recording.request.path) {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end(`no recording for ${request.path}`);
      return;
    }
    sendRecordedResponse(recording, response);
  });
}

function sendRecordedResponse(recording: Recording, response: ServerResponse): void {
  const recorded = recording.response;
  const headers: Record<string, string> = {
    'content-type': recorded.headers['Content-Type'] ?? '',
  };
  for (const name of ['Set-Cookie', 'Location']) {
    const value = recorded.headers[name];
    if (value !== undefined) {
      headers[name.toLowerCase()] = value;
    }
  }
  const body = typeof recorded.body === 'string' ? recorded.body : JSON.stringify(recorded.body);
  response.writeHead(recorded.status, headers);
  response.end(body);
}

/** Writes a JSON-RPC success with `result`, echoing the request's id as Odoo does. */
export function sendJsonRpcResult(
  request: ReceivedRequest,
  response: ServerResponse,
  result: unknown,
): void {
  const id = (JSON.parse(request.body) as { id?: unknown }).id ?? null;
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify({ jsonrpc: '2.0', id, result }));
}

/** Writes a JSON-RPC error shaped like Odoo 17's, with HTTP status 200 as Odoo sends it. */
export function sendJsonRpcError(
  request: ReceivedRequest,
  response: ServerResponse,
  name: string,
  message: string,
): void {
  const id = (JSON.parse(request.body) as { id?: unknown }).id ?? null;
  const data = {
    name,
    debug: 'Traceback (most recent call last): …',
    message,
    arguments: [message],
  };
  const error = { code: 200, message: 'Odoo Server Error', data: { ...data, context: {} } };
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify({ jsonrpc: '2.0', id, error }));
}

/** Returns a loopback port that nothing listens on now, by opening one and closing it. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
