// Commits a batch of normalised alerts in one transaction: the raw payload, each alert, and
// the incident it opens or joins. The database decides grouping (one open incident per
// feature, one row per incident and fingerprint), so two replicas agree without talking.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/client.ts';
import type { Tx } from '../../jobs/effects.ts';
import { recordEntry } from '../timeline/record.ts';
import type { NormalisedAlert, Severity } from './types.ts';

export interface Route {
  featureKey: string;
  autoResolve: boolean;
}

export type AlertOutcome = 'new_incident' | 'joined' | 'repeat' | 'resolved' | 'unrouted';

export interface IntakeResult {
  payloadId: string;
  outcomes: { alert: NormalisedAlert; outcome: AlertOutcome; incidentId: string | null }[];
  /** Incidents opened by this batch (to page), joined (to refresh) and auto-resolved. */
  opened: string[];
  touched: string[];
  resolved: string[];
}

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, error: 1, warning: 2, info: 3 };

export async function storeAlerts(
  db: Db,
  input: { kind: string; requestId: string; body: unknown; alerts: NormalisedAlert[] },
  route: (alert: NormalisedAlert) => Route | null,
): Promise<IntakeResult> {
  const routed = input.alerts.map((alert) => ({ alert, route: route(alert) }));
  // Lock incidents in one order across transactions so concurrent batches cannot deadlock.
  routed.sort((a, b) => (a.route?.featureKey ?? '').localeCompare(b.route?.featureKey ?? ''));
  return db.$transaction(async (tx) => {
    const payloadId = randomUUID();
    await tx.$executeRaw`
      INSERT INTO inbound_payload (id, kind, request_id, body)
      VALUES (${payloadId}::uuid, ${input.kind}, ${input.requestId}, ${JSON.stringify(input.body)}::jsonb)`;
    const result: IntakeResult = { payloadId, outcomes: [], opened: [], touched: [], resolved: [] };
    for (const { alert, route: r } of routed) {
      const outcome = r
        ? await applyAlert(tx, payloadId, alert, r)
        : await storeUnrouted(tx, payloadId, alert);
      result.outcomes.push({ alert, ...outcome });
      const id = outcome.incidentId;
      if (!id) continue;
      if (outcome.outcome === 'new_incident') addOnce(result.opened, id);
      else addOnce(result.touched, id);
      if (outcome.autoResolved) addOnce(result.resolved, id);
    }
    // An incident this batch opened is reported as opened only, even if later alerts joined it.
    result.touched = result.touched.filter((id) => !result.opened.includes(id));
    return result;
  });
}

function addOnce(list: string[], id: string): void {
  if (!list.includes(id)) list.push(id);
}

interface Applied {
  outcome: AlertOutcome;
  incidentId: string | null;
  autoResolved?: boolean;
}

async function applyAlert(tx: Tx, payloadId: string, alert: NormalisedAlert, route: Route): Promise<Applied> {
  if (alert.status === 'resolved') return resolveAlert(tx, payloadId, alert, route);
  // Opens the feature's incident or takes the row lock on the open one, serialising
  // every alert of this incident behind it.
  const id = randomUUID();
  const [incident] = await tx.$queryRaw<{ id: string; inserted: boolean; severity: Severity }[]>`
    INSERT INTO incident (id, feature_key, open_key, severity, title, pd_dedup_key, source_url, opened_at, updated_at)
    VALUES (${id}::uuid, ${route.featureKey}, ${route.featureKey}, ${alert.severity},
            ${alert.summary}, ${`failsafe/${route.featureKey}/${id}`}, ${alert.generatorUrl}, now(), now())
    ON CONFLICT (open_key) DO UPDATE SET updated_at = now()
    RETURNING id, (xmax = 0) AS inserted, severity`;
  if (!incident) throw new Error('incident upsert returned nothing');
  const previous = await upsertAlert(tx, payloadId, alert, route.featureKey, incident.id, incident.id);
  const newlyFiring = previous !== 'firing';
  const worse = SEVERITY_RANK[alert.severity] < SEVERITY_RANK[incident.severity];
  if (previous === null || newlyFiring || worse) {
    await tx.$executeRaw`
      UPDATE incident SET
        alert_count = alert_count + ${previous === null ? 1 : 0},
        firing_count = firing_count + ${newlyFiring ? 1 : 0},
        severity = CASE WHEN ${worse} THEN ${alert.severity} ELSE severity END
      WHERE id = ${incident.id}::uuid`;
  }
  if (newlyFiring) {
    await recordEntry(tx, {
      incidentId: incident.id,
      at: alert.startsAt,
      kind: incident.inserted ? 'incident.opened' : 'alert.firing',
      actor: alert.source,
      text: `${incident.inserted ? 'Incident opened: ' : 'Alert firing: '}${alert.summary}`,
      data: { fingerprint: alert.fingerprint, severity: alert.severity, labels: alert.labels },
      dedupKey: `alert:${payloadId}:${alert.source}:${alert.fingerprint}`,
    });
  }
  if (incident.inserted) {
    return { outcome: 'new_incident', incidentId: incident.id };
  }
  return { outcome: previous === 'firing' ? 'repeat' : 'joined', incidentId: incident.id };
}

async function resolveAlert(
  tx: Tx,
  payloadId: string,
  alert: NormalisedAlert,
  route: Route,
): Promise<Applied> {
  const [open] = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM incident WHERE open_key = ${route.featureKey} FOR UPDATE`;
  if (!open) {
    // A resolve for an alert we never saw firing, or whose incident is closed: keep it.
    await upsertAlert(tx, payloadId, alert, route.featureKey, `closed:${route.featureKey}`, null);
    return { outcome: 'resolved', incidentId: null };
  }
  const previous = await upsertAlert(tx, payloadId, alert, route.featureKey, open.id, open.id);
  if (previous !== 'firing') return { outcome: 'resolved', incidentId: open.id };
  const at = alert.endsAt ?? new Date();
  await recordEntry(tx, {
    incidentId: open.id,
    at,
    kind: 'alert.resolved',
    actor: alert.source,
    text: `Alert resolved: ${alert.summary}`,
    data: { fingerprint: alert.fingerprint },
    dedupKey: `alert:${payloadId}:${alert.source}:${alert.fingerprint}`,
  });
  const [after] = await tx.$queryRaw<{ firing_count: number }[]>`
    UPDATE incident SET firing_count = firing_count - 1 WHERE id = ${open.id}::uuid RETURNING firing_count`;
  if (route.autoResolve && after && after.firing_count <= 0) {
    await tx.$executeRaw`
      UPDATE incident SET status = 'resolved', open_key = NULL, resolved_at = now() WHERE id = ${open.id}::uuid`;
    await recordEntry(tx, {
      incidentId: open.id,
      at,
      kind: 'incident.resolved',
      actor: 'failsafe',
      text: 'Incident resolved automatically: all of its alerts resolved',
      dedupKey: `auto-resolve:${open.id}`,
    });
    return { outcome: 'resolved', incidentId: open.id, autoResolved: true };
  }
  return { outcome: 'resolved', incidentId: open.id };
}

async function storeUnrouted(tx: Tx, payloadId: string, alert: NormalisedAlert): Promise<Applied> {
  await upsertAlert(tx, payloadId, alert, null, 'unrouted', null);
  return { outcome: 'unrouted', incidentId: null };
}

/** Inserts or refreshes the alert row; returns its status before this delivery, or null if new. */
async function upsertAlert(
  tx: Tx,
  payloadId: string,
  alert: NormalisedAlert,
  featureKey: string | null,
  groupKey: string,
  incidentId: string | null,
): Promise<string | null> {
  const [before] = await tx.$queryRaw<{ status: string }[]>`
    SELECT status FROM alert WHERE group_key = ${groupKey} AND source = ${alert.source}
      AND fingerprint = ${alert.fingerprint} FOR UPDATE`;
  const endsAt = alert.status === 'resolved' ? (alert.endsAt ?? new Date()) : null;
  await tx.$executeRaw`
    INSERT INTO alert (id, source, fingerprint, group_key, status, feature_key, severity, summary, description,
                       labels, annotations, starts_at, ends_at, generator_url, incident_id, payload_id)
    VALUES (${randomUUID()}::uuid, ${alert.source}, ${alert.fingerprint}, ${groupKey}, ${alert.status}, ${featureKey},
            ${alert.severity}, ${alert.summary}, ${alert.description}, ${JSON.stringify(alert.labels)}::jsonb,
            ${JSON.stringify(alert.annotations)}::jsonb, ${alert.startsAt}, ${endsAt}, ${alert.generatorUrl},
            ${incidentId}::uuid, ${payloadId}::uuid)
    ON CONFLICT (group_key, source, fingerprint) DO UPDATE SET
      status = EXCLUDED.status, severity = EXCLUDED.severity, summary = EXCLUDED.summary,
      description = EXCLUDED.description, labels = EXCLUDED.labels, annotations = EXCLUDED.annotations,
      ends_at = EXCLUDED.ends_at, payload_id = EXCLUDED.payload_id,
      last_seen_at = now(), receive_count = alert.receive_count + 1`;
  return before?.status ?? null;
}
