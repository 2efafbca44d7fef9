// Links that act without a login (the one-tap ack page, a postmortem download) carry an HMAC
// under a key derived from the Slack signing secret: no new secret to provision, and a leaked
// link key says nothing about request signing. Each kind of link has its own derived key.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

const keys = new Map<string, Buffer>();

function linkKey(secret: string, purpose: string): Buffer {
  const id = `${purpose}\0${secret}`;
  let key = keys.get(id);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), purpose, 32));
    // Only a rotated secret adds entries; keep the map from growing without bound anyway.
    if (keys.size > 16) keys.clear();
    keys.set(id, key);
  }
  return key;
}

/** base64url HMAC-SHA256 of `payload` (43 characters). */
export function signLink(secret: string, purpose: string, payload: string): string {
  return createHmac('sha256', linkKey(secret, purpose)).update(payload).digest('base64url');
}

/**
 * Compares as text, not decoded bytes: base64url has several spellings of the same bytes and
 * only the canonical one is valid. Without a key nothing verifies (an empty key would).
 */
export function linkSignatureValid(
  secret: string | undefined,
  purpose: string,
  payload: string,
  signature: string,
): boolean {
  if (!secret) return false;
  const expected = signLink(secret, purpose, payload);
  return (
    signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected))
  );
}
