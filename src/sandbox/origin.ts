// The console's forms act as a sample person: a page on another site must not be able to post
// them from the user's browser (CSRF). Browsers put Origin on every POST, so one naming another
// site is refused; so is a Host that is not loopback, which is what a DNS-rebinding page sends
// (its Origin and Host then agree, but name the attacker's domain). Clients that send no Origin
// (curl, the tests' fetch) are not browsers and could reach 127.0.0.1 anyway.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RouteHandler, Router } from '../http/router.ts';

const LOOPBACK_HOST = /^(?:localhost|127\.0\.0\.1|\[::1\])(?::\d+)?$/;

/** Why a console POST is refused, or null when it may act. */
export function foreignRequest(req: Pick<IncomingMessage, 'headers'>): string | null {
  const host = req.headers.host ?? '';
  if (!LOOPBACK_HOST.test(host)) return `Host ${host || '(none)'} is not this machine`;
  const origin = req.headers.origin;
  if (origin === undefined) return null;
  if (origin !== `http://${host}`) return `Origin ${origin} is not the console's`;
  return null;
}

function refuse(res: ServerResponse, why: string): void {
  res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
  res.end(`Refused: ${why}. The sandbox console only takes its own forms.\n`);
}

/** A console POST route that refuses foreign origins before it reads the body. */
export function consolePost(router: Router, path: string, handler: RouteHandler): void {
  router.route('POST', path, (req, res, ctx) => {
    const why = foreignRequest(req);
    if (why) return refuse(res, why);
    return handler(req, res, ctx);
  });
}
