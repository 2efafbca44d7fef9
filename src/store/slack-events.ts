// Slack's side of incidents: Events API deliveries seen once (Slack retries, and every replica
// receives them), each incident's own channel, and the cursor a backfill resumes from.
import type { ChannelCursor, Incident } from '../generated/prisma/client.ts';
import type { Tx } from './tx.ts';

/** True the first time this event_id is recorded. */
export async function recordSlackEvent(
  db: Tx,
  event: { eventId: string; type: string; channel: string | null },
): Promise<boolean> {
  const inserted = await db.$executeRaw`
    INSERT INTO slack_event (event_id, type, channel) VALUES (${event.eventId}, ${event.type}, ${event.channel})
    ON CONFLICT (event_id) DO NOTHING`;
  return inserted === 1;
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
