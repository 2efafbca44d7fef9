// Postmortems: one row per incident (its unique index), locked while a version is added or
// it is marked reviewed, so a double click or two replicas do it once; and its drafts, whose
// Markdown is never changed once stored.
import { randomUUID } from 'node:crypto';
import type { Postmortem, PostmortemVersion } from '../generated/prisma/client.ts';
import type { Tx } from './tx.ts';

/** Creates the incident's postmortem row if needed and locks it for this transaction. */
export async function lockPostmortem(
  tx: Tx,
  incidentId: string,
): Promise<{ id: string; latestVersion: number }> {
  await tx.$executeRaw`
    INSERT INTO postmortem (id, incident_id) VALUES (${randomUUID()}::uuid, ${incidentId}::uuid)
    ON CONFLICT (incident_id) DO NOTHING`;
  const [row] = await tx.$queryRaw<{ id: string; latest_version: number }[]>`
    SELECT id::text, latest_version FROM postmortem WHERE incident_id = ${incidentId}::uuid FOR UPDATE`;
  if (!row) throw new Error(`postmortem of incident ${incidentId} vanished`);
  return { id: row.id, latestVersion: row.latest_version };
}

export function findPostmortem(db: Tx, id: string): Promise<Postmortem | null> {
  return db.postmortem.findUnique({ where: { id } });
}

export function postmortemOfIncident(db: Tx, incidentId: string): Promise<Postmortem | null> {
  return db.postmortem.findUnique({ where: { incidentId } });
}

export async function markPostmortemReviewed(tx: Tx, id: string, at: Date, by: string): Promise<void> {
  await tx.postmortem.update({ where: { id }, data: { reviewedAt: at, reviewedBy: by } });
}

/** Incidents resolved between `since` and `until` with no review yet and a channel or a draft. */
export async function resolvedAwaitingReview(
  db: Tx,
  since: Date,
  until: Date,
): Promise<{ id: string; resolvedAt: Date }[]> {
  const rows = await db.$queryRaw<{ id: string; resolved_at: Date }[]>`
    SELECT i.id::text, i.resolved_at FROM incident i
    LEFT JOIN postmortem p ON p.incident_id = i.id
    WHERE i.status = 'resolved' AND i.resolved_at >= ${since} AND i.resolved_at <= ${until}
      AND p.reviewed_at IS NULL AND (i.channel_id IS NOT NULL OR p.id IS NOT NULL)`;
  return rows.map((r) => ({ id: r.id, resolvedAt: r.resolved_at }));
}

export function findVersion(
  db: Tx,
  postmortemId: string,
  version: number,
): Promise<PostmortemVersion | null> {
  return db.postmortemVersion.findUnique({ where: { postmortemId_version: { postmortemId, version } } });
}

export function findVersionWithIncident(
  db: Tx,
  postmortemId: string,
  version: number,
): Promise<(PostmortemVersion & { postmortem: { incidentId: string } }) | null> {
  return db.postmortemVersion.findUnique({
    where: { postmortemId_version: { postmortemId, version } },
    include: { postmortem: { select: { incidentId: true } } },
  });
}

/** What a download link needs to know of a postmortem. */
export function downloadablePostmortem(
  db: Tx,
  id: string,
): Promise<Pick<Postmortem, 'latestVersion' | 'incidentId' | 'linksRevokedAt'> | null> {
  return db.postmortem.findUnique({
    where: { id },
    select: { latestVersion: true, incidentId: true, linksRevokedAt: true },
  });
}

/** Every download link of the incident's postmortem issued until `at` stops opening. */
export async function revokePostmortemLinks(db: Tx, incidentId: string, at: Date): Promise<boolean> {
  const { count } = await db.postmortem.updateMany({ where: { incidentId }, data: { linksRevokedAt: at } });
  return count > 0;
}

export async function versionMarkdown(db: Tx, postmortemId: string, version: number): Promise<string | null> {
  const row = await db.postmortemVersion.findUnique({
    where: { postmortemId_version: { postmortemId, version } },
    select: { markdown: true },
  });
  return row?.markdown ?? null;
}

export type NewVersion = Omit<PostmortemVersion, 'fileId' | 'sharedAt'>;

/** Stores a draft as the postmortem's latest version; under lockPostmortem's lock. */
export async function insertLatestVersion(tx: Tx, row: NewVersion): Promise<void> {
  await tx.postmortemVersion.create({ data: row });
  await tx.postmortem.update({ where: { id: row.postmortemId }, data: { latestVersion: row.version } });
}

export async function markVersionShared(
  tx: Tx,
  postmortemId: string,
  version: number,
  share: { fileId: string; at: Date },
): Promise<void> {
  await tx.postmortemVersion.update({
    where: { postmortemId_version: { postmortemId, version } },
    data: { fileId: share.fileId, sharedAt: share.at },
  });
}
