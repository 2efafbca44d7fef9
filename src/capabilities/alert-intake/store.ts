// Commits webhook deliveries in a single round trip: each raw payload, each alert, and the
// incident it opens or joins, through the failsafe_ingest() database function (see its
// migration for the grouping rules). The database decides grouping — one open incident per
// feature, one row per incident and fingerprint — so replicas agree without talking.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/client.ts';
import type { NormalisedAlert } from './types.ts';

export interface Route {
  featureKey: string;
  autoResolve: boolean;
}

export type AlertOutcome = 'new_incident' | 'joined' | 'repeat' | 'resolved' | 'unrouted';

export interface Delivery {
  kind: string;
  requestId: string;
  body: unknown;
  alerts: { alert: NormalisedAlert; route: Route | null }[];
}

export interface IntakeResult {
  payloadId: string;
  outcomes: { alert: NormalisedAlert; outcome: AlertOutcome; incidentId: string | null }[];
  /** Incidents this delivery opened (to page), otherwise changed (to refresh), and auto-resolved. */
  opened: string[];
  touched: string[];
  resolved: string[];
}

interface Row {
  idx: number;
  outcome: AlertOutcome;
  incident_id: string | null;
  auto_resolved: boolean;
}

export async function storeDeliveries(db: Db, deliveries: Delivery[]): Promise<IntakeResult[]> {
  const results: IntakeResult[] = deliveries.map(() => ({
    payloadId: randomUUID(),
    outcomes: [],
    opened: [],
    touched: [],
    resolved: [],
  }));
  const flat = deliveries.flatMap((d, i) => d.alerts.map((a) => ({ ...a, delivery: i })));
  // Lock incidents in one order across transactions so concurrent batches cannot deadlock.
  flat.sort((a, b) => (a.route?.featureKey ?? '').localeCompare(b.route?.featureKey ?? ''));
  const payloads = deliveries.map((d, i) => ({
    id: results[i]?.payloadId,
    kind: d.kind,
    request_id: d.requestId,
    body: d.body,
  }));
  const alerts = flat.map(({ alert, route, delivery }) => ({
    payload_id: results[delivery]?.payloadId,
    source: alert.source,
    fingerprint: alert.fingerprint,
    status: alert.status,
    feature_key: route?.featureKey ?? null,
    auto_resolve: route?.autoResolve ?? false,
    severity: alert.severity,
    summary: alert.summary,
    description: alert.description,
    labels: alert.labels,
    annotations: alert.annotations,
    starts_at: alert.startsAt.toISOString(),
    ends_at: alert.endsAt?.toISOString() ?? null,
    generator_url: alert.generatorUrl,
  }));
  const rows = await db.$queryRaw<Row[]>`
    SELECT idx, outcome, incident_id, auto_resolved
    FROM failsafe_ingest(${JSON.stringify(payloads)}::jsonb, ${JSON.stringify(alerts)}::jsonb)`;
  for (const row of rows) {
    const entry = flat[row.idx - 1];
    const result = entry && results[entry.delivery];
    if (!entry || !result) throw new Error(`failsafe_ingest returned an unknown alert index ${row.idx}`);
    result.outcomes.push({ alert: entry.alert, outcome: row.outcome, incidentId: row.incident_id });
    const id = row.incident_id;
    if (!id) continue;
    if (row.outcome === 'new_incident') addOnce(result.opened, id);
    else addOnce(result.touched, id);
    if (row.auto_resolved) addOnce(result.resolved, id);
  }
  for (const result of results) {
    // An incident a delivery opened is reported as opened only, even if later alerts joined it.
    result.touched = result.touched.filter((id) => !result.opened.includes(id));
  }
  return results;
}

/** One delivery; routes each alert with `route`. */
export async function storeAlerts(
  db: Db,
  input: { kind: string; requestId: string; body: unknown; alerts: NormalisedAlert[] },
  route: (alert: NormalisedAlert) => Route | null,
): Promise<IntakeResult> {
  const alerts = input.alerts.map((alert) => ({ alert, route: route(alert) }));
  const [result] = await storeDeliveries(db, [{ ...input, alerts }]);
  if (!result) throw new Error('storeDeliveries returned no result');
  return result;
}

function addOnce(list: string[], id: string): void {
  if (!list.includes(id)) list.push(id);
}
