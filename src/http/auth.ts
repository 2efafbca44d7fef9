import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpError } from './io.ts';

/** Compares digests so neither the length nor the content of the token leaks through timing. */
export function safeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db);
}

/**
 * `tokens` is one token or a comma-separated list (the new one and the one being rotated out).
 * Every entry is compared, so the time taken does not say which one matched.
 */
export function requireBearer(req: IncomingMessage, tokens: string | undefined): void {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(header);
  const given = match?.[1]?.trim();
  const accepted = (tokens ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  let ok = false;
  for (const token of accepted) if (given && safeEqual(given, token)) ok = true;
  if (!ok) throw new HttpError(401, 'unauthorized', 'missing or invalid bearer token');
}
