// A refused token leaves a line for the operator (a client with a rotated-out token otherwise
// fails silently), but a stranger sending thousands must not flood the log: one line per route
// per minute, carrying how many more were refused since the last. Never the token itself.
import type { IncomingMessage } from 'node:http';
import type { Logger } from '../observability/logger.ts';

const EVERY_MS = 60_000;

export function createRejectionLog(logger: Logger, now: () => number) {
  const last = new Map<string, { at: number; since: number }>();
  return (req: IncomingMessage, route: string, log: Logger = logger): void => {
    const at = now();
    const seen = last.get(route);
    if (seen && at - seen.at < EVERY_MS) {
      seen.since++;
      return;
    }
    last.set(route, { at, since: 0 });
    log.warn(
      {
        status: 401,
        reason: req.headers.authorization ? 'token not accepted' : 'no Authorization header',
        remoteAddress: req.socket.remoteAddress,
        userAgent: req.headers['user-agent']?.slice(0, 120),
        ...(seen?.since ? { refusedSinceLastLine: seen.since } : {}),
      },
      'refused a request: missing or invalid bearer token',
    );
  };
}
