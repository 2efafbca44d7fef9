// The HMAC signatures of the monitoring tools that sign instead of sending a bearer token.
// Both are HMAC-SHA256 in hex over the raw body with a timestamp in front, checked against
// every configured secret (rotation: any one matches) in constant time.
//
// Langfuse (packages/shared/src/encryption/signature.ts, langfuse/langfuse@6275144):
//   x-langfuse-signature: t=<unix seconds>,v1=<hex HMAC of "<t>.<raw body>">
//   keyed with the whole secret Langfuse shows, `lf-whsec_` prefix included.
// Grafana (http/hmac.go, grafana/alerting@783ce04):
//   <signature header>: <hex HMAC of ["<timestamp>:"] + raw body>; the timestamp (unix seconds)
//   is sent in, and signed only when, the contact point names a timestamp header.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a signed timestamp may be from our clock, either way, before it is a replay. */
export const MAX_SIGNATURE_AGE_SECONDS = 5 * 60;

export type SignatureProblem = 'missing' | 'malformed' | 'stale' | 'mismatch';

export type Verdict = { ok: true } | { ok: false; problem: SignatureProblem };

const HEX_SHA256 = /^[0-9a-f]{64}$/i;
const UNIX_SECONDS = /^\d{1,12}$/;

/** The parts of a Langfuse signature header, or why it has none; checked before the body is read. */
export function readLangfuseHeader(
  header: string | string[] | undefined,
  nowMs: number,
): { ok: true; timestamp: string; signatures: Buffer[] } | { ok: false; problem: SignatureProblem } {
  if (typeof header !== 'string' || header.trim() === '') return { ok: false, problem: 'missing' };
  let timestamp: string | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') timestamp = value;
    else if (key === 'v1' && HEX_SHA256.test(value)) signatures.push(Buffer.from(value, 'hex'));
  }
  if (timestamp === undefined || !UNIX_SECONDS.test(timestamp) || signatures.length === 0)
    return { ok: false, problem: 'malformed' };
  if (!fresh(timestamp, nowMs)) return { ok: false, problem: 'stale' };
  return { ok: true, timestamp, signatures };
}

export function verifyLangfuseSignature(
  header: string | string[] | undefined,
  raw: Buffer,
  secrets: readonly string[],
  nowMs: number,
): Verdict {
  const parsed = readLangfuseHeader(header, nowMs);
  if (!parsed.ok) return parsed;
  return anyMatches(parsed.signatures, secrets, (secret) => hmac(secret, `${parsed.timestamp}.`, raw));
}

/** The header Langfuse would send for `raw` at `timestampSeconds`: for tests and the sandbox. */
export function signLangfuse(secret: string, raw: Buffer | string, timestampSeconds: number): string {
  return `t=${timestampSeconds},v1=${hmac(secret, `${timestampSeconds}.`, Buffer.from(raw)).toString('hex')}`;
}

export interface GrafanaSignatureHeaders {
  signature: string | string[] | undefined;
  timestamp: string | string[] | undefined;
}

/** Whether a Grafana request could be signed at all; checked before the body is read. */
export function readGrafanaHeaders(
  headers: GrafanaSignatureHeaders,
  nowMs: number,
): { ok: true; timestamp: string | null; signature: Buffer } | { ok: false; problem: SignatureProblem } {
  const { signature, timestamp } = headers;
  if (typeof signature !== 'string' || signature.trim() === '') return { ok: false, problem: 'missing' };
  const hex = signature.trim();
  if (!HEX_SHA256.test(hex)) return { ok: false, problem: 'malformed' };
  if (timestamp === undefined) return { ok: true, timestamp: null, signature: Buffer.from(hex, 'hex') };
  const ts = typeof timestamp === 'string' ? timestamp.trim() : '';
  if (!UNIX_SECONDS.test(ts)) return { ok: false, problem: 'malformed' };
  if (!fresh(ts, nowMs)) return { ok: false, problem: 'stale' };
  return { ok: true, timestamp: ts, signature: Buffer.from(hex, 'hex') };
}

export function verifyGrafanaSignature(
  headers: GrafanaSignatureHeaders,
  raw: Buffer,
  secrets: readonly string[],
  nowMs: number,
): Verdict {
  const parsed = readGrafanaHeaders(headers, nowMs);
  if (!parsed.ok) return parsed;
  const prefix = parsed.timestamp === null ? '' : `${parsed.timestamp}:`;
  return anyMatches([parsed.signature], secrets, (secret) => hmac(secret, prefix, raw));
}

/** The signature Grafana would send; with a timestamp, as when its contact point names the header. */
export function signGrafana(secret: string, raw: Buffer | string, timestampSeconds?: number): string {
  const prefix = timestampSeconds === undefined ? '' : `${timestampSeconds}:`;
  return hmac(secret, prefix, Buffer.from(raw)).toString('hex');
}

function hmac(secret: string, prefix: string, raw: Buffer): Buffer {
  return createHmac('sha256', secret).update(prefix, 'utf8').update(raw).digest();
}

function fresh(timestamp: string, nowMs: number): boolean {
  return Math.abs(nowMs / 1000 - Number(timestamp)) <= MAX_SIGNATURE_AGE_SECONDS;
}

function anyMatches(
  offered: Buffer[],
  secrets: readonly string[],
  expected: (secret: string) => Buffer,
): Verdict {
  let matched = false;
  // Every pair is compared, so the time taken says neither which secret nor which signature matched.
  for (const secret of secrets) {
    const want = expected(secret);
    for (const candidate of offered)
      if (candidate.length === want.length && timingSafeEqual(candidate, want)) matched = true;
  }
  return matched ? { ok: true } : { ok: false, problem: 'mismatch' };
}
