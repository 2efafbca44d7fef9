// What a stranger can make the server hold: how long a request may take to arrive, how big a
// Slack body may be, and what is refused before its body is read. Every route behind
// /slack/events is signed; nothing there is buffered for a request that is not even trying.
import {
  type IncomingMessage,
  type Server,
  type ServerOptions,
  type ServerResponse,
  STATUS_CODES,
} from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../observability/logger.ts';
import { readTarget } from './router.ts';

/**
 * Slack caps a modal at 250 kB and a message at 40 000 characters plus its blocks; form
 * encoding of an interactivity payload can triple that. Bolt's default is 4 MB.
 */
export const SLACK_BODY_LIMIT = 1024 * 1024;

export interface ServerLimits {
  /** The whole request, headers and body, must arrive within this. */
  requestTimeoutMs: number;
  /** The headers must arrive within this (slow-loris). */
  headersTimeoutMs: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = { requestTimeoutMs: 10_000, headersTimeoutMs: 5_000 };

/** Node's own options; it checks for expired requests every `connectionsCheckingInterval` (30 s by default). */
export function serverOptions(limits: ServerLimits): ServerOptions {
  if (limits.headersTimeoutMs > limits.requestTimeoutMs)
    throw new Error('headersTimeoutMs must not be longer than requestTimeoutMs');
  return {
    requestTimeout: limits.requestTimeoutMs,
    headersTimeout: limits.headersTimeoutMs,
    connectionsCheckingInterval: Math.max(25, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 4))),
  };
}

/**
 * Replaces Node's clientError default with the same answer plus one short log line: a slow,
 * malformed or abandoned request is something anyone can cause, so it gets no stack trace.
 */
export function logClientErrors(server: Server, logger: Logger): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const code = error.code ?? 'unknown';
    // A response already under way cannot be replaced by a bare status line.
    const answering = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
    if (code === 'ECONNRESET' || !socket.writable || answering) {
      logger.debug({ code }, 'client connection closed');
      socket.destroy();
      return;
    }
    const status = code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    logger.info({ code, status }, 'request refused before it was complete');
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`,
      () => socket.destroy(),
    );
  });
}

/**
 * Bolt buffers the whole body before it checks the signature. A request without Slack's
 * signature headers cannot pass that check, so it is answered 401 before a byte is read.
 */
export function refuseUnsignedSlack(req: IncomingMessage, res: ServerResponse, endpoint: string): boolean {
  if (!isEndpoint(req, endpoint)) return false;
  const signature = req.headers['x-slack-signature'];
  const timestamp = req.headers['x-slack-request-timestamp'];
  if (typeof signature === 'string' && signature.startsWith('v0=') && /^\d+$/.test(String(timestamp)))
    return false;
  res.writeHead(401, { connection: 'close', 'content-length': 0 });
  res.end();
  return true;
}

/** A POST to Bolt's endpoint; a target that is not even a URL is not one (the router refuses it). */
export function isEndpoint(req: IncomingMessage, endpoint: string): boolean {
  const target = readTarget(req.url);
  return req.method === 'POST' && 'url' in target && target.url.pathname === endpoint;
}
