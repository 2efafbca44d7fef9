// The one-tap ack link: an opaque random token, sent only in the paged person's DM, that lets
// the phone page act as that person without a login. Only the token's SHA-256 is stored, with
// whom it acts for; nothing about the person can be read from the URL. A link acts only while
// its person is the incident's assignee: after a reassign or an escalation it is refused.
import { createHash, randomBytes } from 'node:crypto';
import type { Incident } from '../../generated/prisma/client.ts';
import {
  type AckLink,
  findAckLinkByHash,
  insertAckLink,
  revokeOtherAckLinks,
} from '../../store/ack-links.ts';
import type { PagingDeps } from './deps.ts';

export const ACK_LINK_TTL_MS = 24 * 60 * 60_000;
/** 32 random bytes, base64url without padding. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export type AckLinkProblem = 'malformed' | 'unknown' | 'expired';

export type AckTokenCheck = { ok: true; link: AckLink } | { ok: false; problem: AckLinkProblem };

export function hashAckToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The stored link behind a token, when the token is well formed, ours and not expired. */
export async function checkAckToken(
  deps: Pick<PagingDeps, 'db' | 'clock'>,
  token: string,
): Promise<AckTokenCheck> {
  if (!TOKEN.test(token)) return { ok: false, problem: 'malformed' };
  const link = await findAckLinkByHash(deps.db, hashAckToken(token));
  if (!link) return { ok: false, problem: 'unknown' };
  if (link.expiresAt.getTime() <= deps.clock.now().getTime()) return { ok: false, problem: 'expired' };
  return { ok: true, link };
}

/** Why a stored link no longer acts: revoked, or someone else now holds the incident. */
export function linkSuperseded(link: AckLink, incident: Pick<Incident, 'assigneePdId'>): boolean {
  return link.revokedAt !== null || link.pdUserId !== incident.assigneePdId;
}

type Assigned = Pick<Incident, 'id' | 'status' | 'assigneePdId' | 'assigneeName'>;

/**
 * A fresh link for the incident's assignee, stored as a hash; every other person's link of the
 * incident is revoked in the same transaction. Null when there is no one to act as or the
 * incident is resolved. The token exists only in the returned URL.
 */
export async function issueAckLink(
  deps: Pick<PagingDeps, 'config' | 'clock' | 'db'>,
  incident: Assigned,
  slackUserId: string | null,
): Promise<string | null> {
  const { assigneePdId, assigneeName } = incident;
  if (incident.status === 'resolved' || !assigneePdId || !assigneeName) return null;
  const token = randomBytes(32).toString('base64url');
  const now = deps.clock.now();
  await deps.db.$transaction(async (tx) => {
    await insertAckLink(tx, {
      tokenHash: hashAckToken(token),
      incidentId: incident.id,
      pdUserId: assigneePdId,
      slackUserId,
      displayName: assigneeName,
      createdAt: now,
      expiresAt: new Date(now.getTime() + ACK_LINK_TTL_MS),
    });
    await revokeOtherAckLinks(tx, incident.id, assigneePdId, now);
  });
  return `${deps.config.publicUrl}/ack/${token}`;
}
