// Commits one delivery in a single round trip: the raw payload, each alert, and the incident
// it opens or joins, through the failsafe_ingest() database function (see its migration for
// the grouping rules). The database decides grouping — one open incident per feature, one
// row per incident and fingerprint — so replicas agree without talking to each other.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/client.ts';
import type { NormalisedAlert } from './types.ts';

export interface Route {
  featureKey: string;
  autoResolve: boolean;
}

export type AlertOutcome = 'new_incident' | 'joined' | 'repeat' | 'resolved' | 'unrouted';

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

export async function storeAlerts(
  db: Db,
  input: { kind: string; requestId: string; body: unknown; alerts: NormalisedAlert[] },
  route: (alert: NormalisedAlert) => Route | null,
): Promise<IntakeResult> {
  const routed = input.alerts.map((alert) => ({ alert, route: route(alert) }));
  // Lock incidents in one order across transactions so concurrent deliveries cannot deadlock.
  routed.sort((a, b) => (a.route?.featureKey ?? '').localeCompare(b.route?.featureKey ?? ''));
  const wire = routed.map(({ alert, route: r }) => ({
    source: alert.source,
    fingerprint: alert.fingerprint,
    status: alert.status,
    feature_key: r?.featureKey ?? null,
    auto_resolve: r?.autoResolve ?? false,
    severity: alert.severity,
    summary: alert.summary,
    description: alert.description,
    labels: alert.labels,
    annotations: alert.annotations,
    starts_at: alert.startsAt.toISOString(),
    ends_at: alert.endsAt?.toISOString() ?? null,
    generator_url: alert.generatorUrl,
  }));
  const payloadId = randomUUID();
  const rows = await db.$queryRaw<Row[]>`
    SELECT idx, outcome, incident_id, auto_resolved
    FROM failsafe_ingest(${payloadId}::uuid, ${input.kind}, ${input.requestId},
                         ${JSON.stringify(input.body)}::jsonb, ${JSON.stringify(wire)}::jsonb)`;
  const result: IntakeResult = { payloadId, outcomes: [], opened: [], touched: [], resolved: [] };
  for (const row of rows) {
    const entry = routed[row.idx - 1];
    if (!entry) throw new Error(`failsafe_ingest returned an unknown alert index ${row.idx}`);
    result.outcomes.push({ alert: entry.alert, outcome: row.outcome, incidentId: row.incident_id });
    const id = row.incident_id;
    if (!id) continue;
    if (row.outcome === 'new_incident') addOnce(result.opened, id);
    else if (!result.opened.includes(id)) addOnce(result.touched, id);
    if (row.auto_resolved) addOnce(result.resolved, id);
  }
  // An incident this delivery opened is reported as opened only, even if later alerts joined it.
  result.touched = result.touched.filter((id) => !result.opened.includes(id));
  return result;
}

function addOnce(list: string[], id: string): void {
  if (!list.includes(id)) list.push(id);
}
