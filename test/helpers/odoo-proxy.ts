import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A way for the proxy to fail, in place of forwarding to Odoo. */
export type OdooFault =
  /** Accepts the request and never responds. */
  | 'hang'
  /** 502 with the HTML page a reverse proxy sends when Odoo is down. */
  | 'bad_gateway'
  /** 503 with the HTML page of a server in maintenance. */
  | 'unavailable'
  /** 200 with a login page in HTML, as a wrong URL or path gives. */
  | 'html'
  /** 200 with the first half of Odoo's JSON response, complete by its Content-Length. */
  | 'truncated_json'
  /** Odoo's headers and half its body, then the connection is destroyed. */
  | 'dropped_mid_body';

/** One request the proxy received, with the API key it carried. */
export interface ProxiedRequest {
  path: string;
  /** The key of a JSON-RPC call or `common.authenticate`, or the bearer token of JSON-2. */
  apiKey: string | undefined;
  body: string;
}

/**
 * A fake Odoo on 127.0.0.1 that forwards to a real (demo) Odoo, records every request, and
 * fails in a chosen way on demand.
 */
export interface OdooProxy {
  /** The base URL to give the bridge as its Odoo URL. */
  url: URL;
  /** The Odoo that requests go to, set once it has started. */
  target: URL | undefined;
  requests: ProxiedRequest[];
  /** The fault of the next requests, or undefined to forward them. */
  fault: OdooFault | undefined;
  /** Stops listening, so that connections are refused, until `acceptConnections`. */
  refuseConnections(): Promise<void>;
  acceptConnections(): Promise<void>;
  close(): Promise<void>;
}

/** The HTML pages of the faults that send one, with their status. */
const PAGES = {
  bad_gateway: {
    status: 502,
    page: '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>',
  },
  unavailable: {
    status: 503,
    page: '<html><head><title>503 Service Unavailable</title></head><body>Back soon.</body></html>',
  },
  html: {
    status: 200,
    page: '<!DOCTYPE html><html><head><title>Login | Odoo</title></head><body></body></html>',
  },
};

/** Starts a proxy, which forwards requests once its `target` is set. */
export async function startOdooProxy(): Promise<OdooProxy> {
  const requests: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();
  const hanging = new Set<Socket>();
  const proxy = { fault: undefined as OdooFault | undefined, target: undefined as URL | undefined };
  const handle = async (incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> => {
    const body = await readBody(incoming);
    requests.push({ path: incoming.url ?? '/', apiKey: apiKeyOf(incoming, body), body });

    const fault = proxy.fault;
    if (fault === 'hang') {
      hanging.add(incoming.socket);
      return;
    }
    if (fault === 'bad_gateway' || fault === 'unavailable' || fault === 'html') {
      const { status, page } = PAGES[fault];
      outgoing.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(page);
      return;
    }

    if (proxy.target === undefined) {
      throw new Error('The Odoo proxy has no target yet');
    }
    const odoo = await forward(proxy.target, incoming, body);
    sendOdooResponse(outgoing, odoo, fault);
  };
  const server: Server = createServer((incoming, outgoing) => {
    handle(incoming, outgoing).catch(() => outgoing.socket?.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await listen(server, 0);
  const { port } = server.address() as AddressInfo;

  const stop = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) {
        socket.destroy();
      }
      server.close(() => resolve());
    });

  return {
    url: new URL(`http://127.0.0.1:${port}/`),
    requests,
    get target() {
      return proxy.target;
    },
    set target(value) {
      proxy.target = value;
    },
    get fault() {
      return proxy.fault;
    },
    set fault(value) {
      proxy.fault = value;
      for (const socket of hanging) {
        socket.destroy();
      }
      hanging.clear();
    },
    refuseConnections: stop,
    acceptConnections: () => listen(server, port),
    close: stop,
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

async function readBody(incoming: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Finds the API key in `common.authenticate` or `execute_kw` args, or a JSON-2 bearer token. */
function apiKeyOf(incoming: IncomingMessage, body: string): string | undefined {
  const bearer = /^bearer (\S+)$/i.exec(incoming.headers.authorization ?? '')?.[1];
  if (bearer !== undefined) {
    return bearer;
  }
  try {
    const envelope = JSON.parse(body) as { params?: { service?: string; args?: unknown[] } };
    const { service, args } = envelope.params ?? {};
    if ((service === 'object' || service === 'common') && typeof args?.[2] === 'string') {
      return args[2];
    }
  } catch {
    // Not JSON: no key to record.
  }
  return undefined;
}

/** Sends Odoo's response, or half of it for the faults that cut it short. */
function sendOdooResponse(
  outgoing: ServerResponse,
  odoo: OdooResponse,
  fault: 'truncated_json' | 'dropped_mid_body' | undefined,
): void {
  const half = odoo.body.subarray(0, Math.floor(odoo.body.length / 2));
  const sent = fault === 'truncated_json' ? half : odoo.body;
  outgoing.writeHead(odoo.status, {
    'content-type': odoo.contentType,
    'content-length': String(sent.length),
  });
  if (fault === 'dropped_mid_body') {
    outgoing.write(half, () => outgoing.socket?.destroy());
    return;
  }
  outgoing.end(sent);
}

interface OdooResponse {
  status: number;
  contentType: string;
  body: Buffer;
}

async function forward(
  target: URL,
  incoming: IncomingMessage,
  body: string,
): Promise<OdooResponse> {
  const headers = { ...incoming.headers, host: target.host };
  delete headers['content-length'];
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      new URL(incoming.url ?? '/', target),
      { method: incoming.method, headers },
      (response) => {
        void readBody(response).then((text) =>
          resolve({
            status: response.statusCode ?? 502,
            contentType: response.headers['content-type'] ?? 'application/json',
            body: Buffer.from(text, 'utf8'),
          }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
