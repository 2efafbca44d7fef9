// Stakeholder updates as posted. `request_key` (the modal's view id) makes a double submit or
// a second replica one update; the incident's `next_update_at` is the promise reminders key on.
import type { StakeholderUpdate } from '../generated/prisma/client.ts';
import { isUniqueViolation, type Tx } from './tx.ts';

export interface NewUpdate {
  requestKey: string;
  featureKey: string;
  incidentId: string | null;
  text: string;
  postedBy: string;
  nextUpdateAt: Date;
}

export function findUpdate(db: Tx, id: string): Promise<StakeholderUpdate | null> {
  return db.stakeholderUpdate.findUnique({ where: { id } });
}

/** The update's id, inserting it the first time its request key is seen. */
export async function recordUpdateOnce(db: Tx, row: NewUpdate): Promise<string> {
  const existing = await db.stakeholderUpdate.findUnique({ where: { requestKey: row.requestKey } });
  if (existing) return existing.id;
  try {
    return (await db.stakeholderUpdate.create({ data: row })).id;
  } catch (error) {
    // The same submission reached another replica a moment ago.
    if (!isUniqueViolation(error)) throw error;
    const first = await db.stakeholderUpdate.findUnique({ where: { requestKey: row.requestKey } });
    if (!first) throw error;
    return first.id;
  }
}

/** Where the update went. */
export async function setUpdatePosts(
  db: Tx,
  id: string,
  posts: { channel: string; ts: string }[],
): Promise<void> {
  await db.stakeholderUpdate.update({ where: { id }, data: { posts } });
}

/** The feature's latest update posted without an incident. */
export function latestFeatureUpdate(db: Tx, featureKey: string): Promise<StakeholderUpdate | null> {
  return db.stakeholderUpdate.findFirst({
    where: { featureKey, incidentId: null },
    orderBy: { postedAt: 'desc' },
  });
}

/** Makes the update's next time the incident's promise, unless a newer update has posted. */
export async function promiseNextUpdate(
  tx: Tx,
  incidentId: string,
  update: Pick<StakeholderUpdate, 'nextUpdateAt' | 'postedAt'>,
): Promise<void> {
  // A retried older update must not move the promise back over a newer one.
  await tx.$executeRaw`
    UPDATE incident SET next_update_at = ${update.nextUpdateAt}
    WHERE id = ${incidentId}::uuid
      AND NOT EXISTS (SELECT 1 FROM stakeholder_update s
                      WHERE s.incident_id = ${incidentId}::uuid AND s.posted_at > ${update.postedAt})`;
}
