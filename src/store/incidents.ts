// Incidents and their alerts, outside failsafe_ingest (src/store/ingest.ts), which opens and
// groups them. `open_key` holds the feature key while an incident is open, so "the feature's
// open incident" is a unique lookup; closing one sets it to NULL.
import type { Alert, Incident } from '../generated/prisma/client.ts';
import type { Tx } from './tx.ts';

/** Columns a capability may change: plain values, never the identity or the opening facts. */
export type IncidentChange = Partial<
  Omit<Incident, 'id' | 'number' | 'featureKey' | 'openedAt' | 'pdDedupKey'>
>;

export function findIncident(db: Tx, id: string): Promise<Incident | null> {
  return db.incident.findUnique({ where: { id } });
}

export function findIncidentByNumber(db: Tx, number: number): Promise<Incident | null> {
  return db.incident.findUnique({ where: { number } });
}

export function findOpenIncident(db: Tx, featureKey: string): Promise<Incident | null> {
  return db.incident.findUnique({ where: { openKey: featureKey } });
}

export function findIncidentByPagerDutyId(db: Tx, pdIncidentId: string): Promise<Incident | null> {
  return db.incident.findFirst({ where: { pdIncidentId } });
}

/** Every open incident, oldest first. */
export function listOpenIncidents(db: Tx): Promise<Incident[]> {
  return db.incident.findMany({ where: { openKey: { not: null } }, orderBy: { openedAt: 'asc' } });
}

/** Unresolved incidents opened before `before` whose page was never sent (a crash between commit and enqueue). */
export async function incidentsAwaitingPage(db: Tx, before: Date, limit = 500): Promise<string[]> {
  const rows = await db.incident.findMany({
    where: { pageState: 'pending', status: { not: 'resolved' }, openedAt: { lt: before } },
    select: { id: true },
    take: limit,
  });
  return rows.map((r) => r.id);
}

/** The Slack id of the person most recently paged for the feature. */
export async function lastPagedSlackId(db: Tx, featureKey: string): Promise<string | null> {
  const last = await db.incident.findFirst({
    where: { featureKey, assigneeSlackId: { not: null } },
    orderBy: { pagedAt: 'desc' },
    select: { assigneeSlackId: true },
  });
  return last?.assigneeSlackId ?? null;
}

export function incidentsOpenedBetween(
  db: Tx,
  featureKey: string,
  range: { from: Date; to: Date },
): Promise<Pick<Incident, 'openedAt' | 'acknowledgedAt'>[]> {
  return db.incident.findMany({
    where: { featureKey, openedAt: { gte: range.from, lt: range.to } },
    select: { openedAt: true, acknowledgedAt: true },
  });
}

/** The incident, locked for the rest of the transaction: webhook events and clicks on it serialise. */
export async function lockIncident(tx: Tx, id: string): Promise<Incident> {
  await tx.$executeRaw`SELECT 1 FROM incident WHERE id = ${id}::uuid FOR UPDATE`;
  return tx.incident.findUniqueOrThrow({ where: { id } });
}

export interface DeclaredIncident {
  featureKey: string;
  severity: string;
  title: string;
  openedAt: Date;
  pdDedupKey: string;
  declaredBy: string;
}

/** An incident declared by a person; it is the feature's open one (a unique violation if there is one already). */
export function insertDeclaredIncident(tx: Tx, input: DeclaredIncident): Promise<Incident> {
  return tx.incident.create({
    data: { ...input, openKey: input.featureKey, leadSlackId: input.declaredBy },
  });
}

export function updateIncident(tx: Tx, id: string, change: IncidentChange): Promise<Incident> {
  return tx.incident.update({ where: { id }, data: change });
}

/** True only for the call that marked it: a second `mitigated` changes nothing. */
export async function markMitigated(db: Tx, id: string, at: Date): Promise<boolean> {
  const marked = await db.incident.updateMany({
    where: { id, mitigatedAt: null },
    data: { mitigatedAt: at },
  });
  return marked.count === 1;
}

/** Marks the incident's first paging failure; true only for the call that marked it. */
export async function markPageUnreachable(db: Tx, id: string, at: Date, reason: string): Promise<boolean> {
  const marked = await db.incident.updateMany({
    where: { id, unreachableAt: null, pageState: { not: 'sent' } },
    data: { unreachableAt: at, pageError: reason.slice(0, 500) },
  });
  return marked.count === 1;
}

export function alertsOfIncident(db: Tx, incidentId: string): Promise<Alert[]> {
  return db.alert.findMany({ where: { incidentId }, orderBy: { startsAt: 'asc' } });
}

/** The feature's most recently seen alert that is firing and was seen after `since`. */
export function latestFiringAlertSince(db: Tx, featureKey: string, since: Date): Promise<Alert | null> {
  return db.alert.findFirst({
    where: { featureKey, status: 'firing', lastSeenAt: { gt: since } },
    orderBy: { lastSeenAt: 'desc' },
  });
}
