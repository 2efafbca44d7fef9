// The one-tap ack link: a personal, signed token for one incident and one PagerDuty person,
// so the page can act as them without a login. Nothing is stored: the signature is the proof,
// the key derives from the Slack signing secret (no new secret to provision), and a resolved
// incident ends the link at use. The token is deterministic for an incident and person (issued
// at the page), so every message edit and the DM carry the same link.
import { z } from 'zod';
import type { Incident } from '../../generated/prisma/client.ts';
import { linkSignatureValid, signLink } from '../../kernel/signed-links.ts';
import type { PagingDeps } from './deps.ts';

export const ACK_LINK_TTL_MS = 24 * 60 * 60_000;
const KEY_INFO = 'failsafe ack link v1';
/** Far above any real token (~200 chars); refuses junk before hashing it. */
const MAX_TOKEN_CHARS = 1_024;
const SIGNATURE_CHARS = 43; // 32 bytes of HMAC-SHA256, base64url without padding

export interface AckClaims {
  incidentId: string;
  pdUserId: string;
  name: string;
  email: string;
  expiresAt: Date;
}

export type AckLinkProblem = 'malformed' | 'tampered' | 'expired';

export type AckTokenCheck = { ok: true; claims: AckClaims } | { ok: false; problem: AckLinkProblem };

/** Short keys keep the URL short enough to survive SMS and chat clients that wrap long links. */
const Payload = z.object({
  i: z.uuid(),
  u: z.string().min(1).max(64),
  n: z.string().min(1).max(256),
  e: z.string().min(3).max(320),
  x: z.number().int().positive(),
});

export function signAckToken(secret: string, claims: AckClaims): string {
  const payload = Buffer.from(
    JSON.stringify({
      i: claims.incidentId,
      u: claims.pdUserId,
      n: claims.name,
      e: claims.email,
      x: Math.floor(claims.expiresAt.getTime() / 1000),
    }),
  ).toString('base64url');
  return `${payload}.${signLink(secret, KEY_INFO, payload)}`;
}

export function verifyAckToken(secret: string, token: string, now: Date): AckTokenCheck {
  // Without a key no token can be ours; with no early return an empty key would still verify.
  if (!secret) return { ok: false, problem: 'tampered' };
  if (token.length > MAX_TOKEN_CHARS) return { ok: false, problem: 'malformed' };
  const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(token);
  const [, payload, signature] = match ?? [];
  if (!payload || signature?.length !== SIGNATURE_CHARS) return { ok: false, problem: 'malformed' };
  if (!linkSignatureValid(secret, KEY_INFO, payload, signature)) {
    return { ok: false, problem: 'tampered' };
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, problem: 'malformed' };
  }
  const parsed = Payload.safeParse(json);
  if (!parsed.success) return { ok: false, problem: 'malformed' };
  const claims: AckClaims = {
    incidentId: parsed.data.i,
    pdUserId: parsed.data.u,
    name: parsed.data.n,
    email: parsed.data.e,
    expiresAt: new Date(parsed.data.x * 1000),
  };
  if (claims.expiresAt.getTime() <= now.getTime()) return { ok: false, problem: 'expired' };
  return { ok: true, claims };
}

type LinkIncident = Pick<
  Incident,
  'id' | 'status' | 'pagedAt' | 'assigneePdId' | 'assigneeName' | 'assigneeEmail'
>;

/**
 * The paged person's link, or null when there is no one to act as (Events API pages name
 * nobody), no key, or the link would already be dead (resolved, or 24 h past the page).
 */
export function ackLinkFor(
  deps: Pick<PagingDeps, 'config' | 'clock'>,
  incident: LinkIncident,
): string | null {
  const secret = deps.config.slack.signingSecret;
  const { pagedAt, assigneePdId, assigneeName, assigneeEmail } = incident;
  if (!secret || incident.status === 'resolved' || !pagedAt) return null;
  if (!assigneePdId || !assigneeName || !assigneeEmail) return null;
  const expiresAt = new Date(pagedAt.getTime() + ACK_LINK_TTL_MS);
  if (expiresAt.getTime() <= deps.clock.now().getTime()) return null;
  const token = signAckToken(secret, {
    incidentId: incident.id,
    pdUserId: assigneePdId,
    name: assigneeName,
    email: assigneeEmail,
    expiresAt,
  });
  return `${deps.config.publicUrl}/ack/${token}`;
}
