// A tiny real HTTP server for contract fakes: port 0 on loopback, bodies parsed once,
// replies as plain data. Shared by the PagerDuty, Slack and Unleash fakes so each fake is
// only its routes and state.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface JsonRequest {
  method: string;
  /** Pathname only, percent-decoding left to the route. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** Parsed JSON, a form as a plain object, or undefined when empty or unparseable. */
  body: unknown;
  /** Set when the body claimed to be JSON but did not parse, so fakes can answer 400 like the real API. */
  bodyError: string | undefined;
  receivedAt: number;
}

export interface JsonReply {
  status: number;
  /** Strings are sent as-is (text/plain unless headers say otherwise); anything else as JSON. */
  body?: unknown;
  headers?: Record<string, string> | undefined;
}

export type JsonHandler = (req: JsonRequest) => JsonReply | Promise<JsonReply>;

export interface Route {
  method: string;
  /** A RegExp's capture groups are passed to the handler, decoded. */
  path: string | RegExp;
  handle: (req: JsonRequest, params: string[]) => JsonReply | Promise<JsonReply>;
}

export interface JsonServer {
  url: string;
  close(): Promise<void>;
}

const notFound: JsonHandler = (req) => ({
  status: 404,
  body: { error: `no route for ${req.method} ${req.path}` },
});

export function routeTo(routes: Route[], fallback: JsonHandler = notFound): JsonHandler {
  return (req) => {
    for (const route of routes) {
      if (route.method !== req.method) continue;
      if (typeof route.path === 'string') {
        if (route.path === req.path) return route.handle(req, []);
        continue;
      }
      const match = route.path.exec(req.path);
      if (match)
        return route.handle(
          req,
          match.slice(1).map((p) => decodeURIComponent(p ?? '')),
        );
    }
    return fallback(req);
  };
}

export async function startJsonServer(handler: JsonHandler): Promise<JsonServer> {
  const server = createServer((incoming, res) => {
    readRequest(incoming)
      .then(handler)
      .then(
        (reply) => send(res, reply),
        (error: unknown) => send(res, { status: 500, body: { error: String(error) } }),
      );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // fetch keeps connections alive (and a fake may be holding a request open on
        // purpose); without this, close() would wait for them.
        server.closeAllConnections();
      }),
  };
}

async function readRequest(incoming: IncomingMessage): Promise<JsonRequest> {
  const receivedAt = performance.now();
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const rawBody = Buffer.concat(chunks).toString('utf8');
  const url = new URL(incoming.url ?? '/', 'http://localhost');
  const { body, bodyError } = parseBody(rawBody, incoming.headers['content-type'] ?? '');
  return {
    method: incoming.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    headers: incoming.headers,
    rawBody,
    body,
    bodyError,
    receivedAt,
  };
}

function parseBody(raw: string, contentType: string): { body: unknown; bodyError: string | undefined } {
  if (raw === '') return { body: undefined, bodyError: undefined };
  if (contentType.includes('application/x-www-form-urlencoded')) {
    return { body: Object.fromEntries(new URLSearchParams(raw)), bodyError: undefined };
  }
  try {
    return { body: JSON.parse(raw), bodyError: undefined };
  } catch (error) {
    return { body: undefined, bodyError: (error as Error).message };
  }
}

function send(res: ServerResponse, reply: JsonReply): void {
  if (res.destroyed) return;
  const text = typeof reply.body === 'string';
  const payload = reply.body === undefined ? '' : text ? (reply.body as string) : JSON.stringify(reply.body);
  const headers: Record<string, string> = {
    'content-type': text ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
    ...reply.headers,
  };
  res.writeHead(reply.status, headers).end(payload);
}
