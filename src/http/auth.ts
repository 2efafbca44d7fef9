import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpError } from './io.ts';

/** Compares digests so neither the length nor the content of the token leaks through timing. */
export function safeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db);
}

export function requireBearer(req: IncomingMessage, token: string | undefined): void {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(header);
  if (!token || !match?.[1] || !safeEqual(match[1].trim(), token)) {
    throw new HttpError(401, 'unauthorized', 'missing or invalid bearer token');
  }
}
