// A small router behind one Bolt custom route. Bolt recompiles every custom route's pattern
// on every request; on the alert hot path a map lookup is cheaper, and capabilities can add
// routes from their own register() after the receiver exists.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Logger, maskLinkTokens } from '../observability/logger.ts';
import { HttpError, sendError, sendJson } from './io.ts';
import { createRejectionLog } from './rejections.ts';

export interface RouteContext {
  params: Record<string, string>;
  requestId: string;
  log: Logger;
  url: URL;
}

export type RouteHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RouteContext,
) => Promise<void> | void;

interface Route {
  method: string;
  parts: string[];
  handler: RouteHandler;
}

export type Router = ReturnType<typeof createRouter>;

export function createRouter(logger: Logger, now: () => number = Date.now) {
  const routes: Route[] = [];
  const refused = createRejectionLog(logger, now);

  function match(route: Route, segments: string[]): Record<string, string> | null {
    if (route.parts.length !== segments.length) return null;
    const params: Record<string, string> = {};
    for (let i = 0; i < segments.length; i++) {
      const part = route.parts[i] as string;
      const seg = segments[i] as string;
      if (part.startsWith(':')) params[part.slice(1)] = seg;
      else if (part !== seg) return null;
    }
    return params;
  }

  return {
    route(method: string, path: string, handler: RouteHandler): void {
      routes.push({ method: method.toUpperCase(), parts: path.split('/').filter(Boolean), handler });
    },

    async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const target = readTarget(req.url);
      if ('problem' in target) {
        // Anyone can send a path like /ack/%E0%A4%A: a 400 that says so, not a URIError.
        if (!req.readableEnded) res.setHeader('connection', 'close');
        sendError(res, new HttpError(400, 'invalid_path', target.problem, 'path'));
        return;
      }
      const { url, segments } = target;
      const requestId = (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) || randomUUID();
      const log = logger.child({ requestId, method: req.method, path: maskLinkTokens(url.pathname) });
      res.setHeader('x-request-id', requestId);
      let pathMatched = false;
      for (const route of routes) {
        const params = match(route, segments);
        if (!params) continue;
        pathMatched = true;
        if (route.method !== req.method) continue;
        try {
          await route.handler(req, res, { params, requestId, log, url });
        } catch (error) {
          if (error instanceof HttpError) {
            // One short line for what a stranger can cause at will; no stack, no body.
            if (error.status === 413 || error.code === 'request_aborted')
              log.info({ status: error.status, code: error.code }, error.message);
            if (error.status === 401) refused(req, route.parts.join('/'), log);
            // Unread request bodies are not drained: the connection is closed instead.
            if (!req.readableEnded) res.setHeader('connection', 'close');
            if (!res.headersSent) sendError(res, error);
          } else {
            log.error({ err: error }, 'request failed');
            if (!res.headersSent)
              sendJson(res, 500, { error: 'internal_error', message: 'internal error', requestId });
          }
        }
        return;
      }
      req.resume();
      sendJson(res, pathMatched ? 405 : 404, { error: pathMatched ? 'method_not_allowed' : 'not_found' });
    },
  };
}

/** The URL and its decoded path segments, or why the request target is neither. */
export function readTarget(raw: string | undefined): { url: URL; segments: string[] } | { problem: string } {
  let url: URL;
  try {
    url = new URL(raw ?? '/', 'http://localhost');
  } catch {
    return { problem: 'the request target is not a URL' };
  }
  try {
    return { url, segments: url.pathname.split('/').filter(Boolean).map(decodeURIComponent) };
  } catch {
    return { problem: 'the path has a percent-encoding that is not UTF-8' };
  }
}
