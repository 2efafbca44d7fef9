// Slack's side of incidents: Events API deliveries seen once (Slack retries, and every replica
// receives them), each incident's own channel, and the cursor a backfill resumes from.
import type { ChannelCursor, Incident } from '../generated/prisma/client.ts';
import type { Tx } from './tx.ts';

/**
 * Stores an Events API delivery (deduplicated by event_id) before Slack is answered. True while
 * it still needs handling: on its first delivery, and on a retry of one a crash left unhandled.
 */
export async function storeSlackEvent(
  db: Tx,
  event: { eventId: string; type: string; channel: string | null; payload: object },
): Promise<boolean> {
  const payload = JSON.stringify(event.payload);
  const rows = await db.$queryRaw<{ handled: boolean }[]>`
    WITH inserted AS (
      INSERT INTO slack_event (event_id, type, channel, payload)
      VALUES (${event.eventId}, ${event.type}, ${event.channel}, ${payload}::jsonb)
      ON CONFLICT (event_id) DO NOTHING
      RETURNING false AS handled)
    SELECT handled FROM inserted
    UNION ALL
    SELECT handled_at IS NOT NULL FROM slack_event WHERE event_id = ${event.eventId}
      AND NOT EXISTS (SELECT 1 FROM inserted)`;
  return rows[0]?.handled === false;
}

/** The stored event while it is unhandled; null once handled (or never stored). */
export async function unhandledSlackEvent(
  db: Tx,
  eventId: string,
): Promise<{ type: string; payload: unknown } | null> {
  const row = await db.slackEvent.findUnique({
    where: { eventId },
    select: { type: true, payload: true, handledAt: true },
  });
  return row && !row.handledAt ? { type: row.type, payload: row.payload } : null;
}

export async function markSlackEventHandled(db: Tx, eventId: string, at: Date): Promise<void> {
  await db.slackEvent.updateMany({ where: { eventId, handledAt: null }, data: { handledAt: at } });
}

export async function incidentIdInChannel(db: Tx, channelId: string): Promise<string | null> {
  const incident = await db.incident.findFirst({ where: { channelId }, select: { id: true } });
  return incident?.id ?? null;
}

/** The channel's incident (a channel belongs to one; the latest, should a name be reused). */
export function latestIncidentInChannel(db: Tx, channelId: string): Promise<Incident | null> {
  return db.incident.findFirst({ where: { channelId }, orderBy: { openedAt: 'desc' } });
}

export function openIncidentInChannel(db: Tx, channelId: string): Promise<Incident | null> {
  return db.incident.findFirst({
    where: { channelId, status: { not: 'resolved' } },
    orderBy: { openedAt: 'desc' },
  });
}

/** Ids of the open incidents that have a channel of their own. */
export async function openIncidentsWithChannel(db: Tx): Promise<string[]> {
  const rows = await db.incident.findMany({
    where: { openKey: { not: null }, channelId: { not: null } },
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

/** Records the incident's new channel and starts its cursor; in the caller's transaction. */
export async function attachIncidentChannel(
  tx: Tx,
  incidentId: string,
  channel: { id: string; name: string },
): Promise<void> {
  await tx.incident.update({
    where: { id: incidentId },
    data: { channelId: channel.id, channelName: channel.name },
  });
  await tx.channelCursor.create({ data: { channelId: channel.id, incidentId } });
}

export function findChannelCursor(db: Tx, channelId: string): Promise<ChannelCursor | null> {
  return db.channelCursor.findUnique({ where: { channelId } });
}

/** Moves the cursor forward to `ts`, never back. */
export async function advanceChannelCursor(db: Tx, channelId: string, ts: string): Promise<void> {
  // Compared as numbers: Slack ts strings do not sort as text once the seconds gain a digit.
  await db.$executeRaw`
    UPDATE channel_cursor SET latest_ts = ${ts}, updated_at = now()
    WHERE channel_id = ${channelId} AND (latest_ts IS NULL OR latest_ts::numeric < ${ts}::numeric)`;
}
