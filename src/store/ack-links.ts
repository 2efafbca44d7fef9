// One-tap ack links. The token itself is never stored, only its SHA-256 (computed by the
// caller), so a copy of this table opens no page.
import type { AckLink } from '../generated/prisma/client.ts';
import type { Tx } from './tx.ts';

export type { AckLink };

export function insertAckLink(
  db: Tx,
  link: Pick<
    AckLink,
    'tokenHash' | 'incidentId' | 'pdUserId' | 'slackUserId' | 'displayName' | 'createdAt' | 'expiresAt'
  >,
): Promise<AckLink> {
  return db.ackLink.create({ data: link });
}

export function findAckLinkByHash(db: Tx, tokenHash: string): Promise<AckLink | null> {
  return db.ackLink.findUnique({ where: { tokenHash } });
}

/** Ends every live link of the incident that acts for someone other than `keepPdUserId`. */
export async function revokeOtherAckLinks(
  db: Tx,
  incidentId: string,
  keepPdUserId: string,
  at: Date,
): Promise<number> {
  const { count } = await db.ackLink.updateMany({
    where: { incidentId, revokedAt: null, pdUserId: { not: keepPdUserId } },
    data: { revokedAt: at },
  });
  return count;
}
