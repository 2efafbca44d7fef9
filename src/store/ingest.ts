// Commits webhook deliveries in a single round trip: each raw payload, each alert, and the
// incident it opens or joins, through the failsafe_ingest() database function (migration
// 20261123094000_ingest_function). The database decides grouping — one open incident per
// feature, one row per incident and fingerprint — so replicas agree without talking.
import { randomUUID } from 'node:crypto';
import type { Db } from './tx.ts';

/** What the store keeps of an alert; the intake's NormalisedAlert is one. */
export interface IngestAlert {
  source: string;
  fingerprint: string;
  status: 'firing' | 'resolved';
  severity: string;
  summary: string;
  description: string | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: Date;
  endsAt: Date | null;
  generatorUrl: string | null;
}

export interface Route {
  featureKey: string;
  autoResolve: boolean;
}

export type AlertOutcome = 'new_incident' | 'joined' | 'repeat' | 'resolved' | 'unrouted';

export interface Delivery<A extends IngestAlert = IngestAlert> {
  kind: string;
  requestId: string;
  body: unknown;
  alerts: { alert: A; route: Route | null }[];
}

export interface IntakeResult<A extends IngestAlert = IngestAlert> {
  payloadId: string;
  outcomes: { alert: A; outcome: AlertOutcome; incidentId: string | null }[];
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

/**
 * The grouping rules, as failsafe_ingest() applies them to each alert in turn (the "feature"
 * is the route's key; test/store/ingest-rules.test.ts has a row for every rule):
 *
 *  1. Every delivery's body is stored in inbound_payload first, whatever its alerts are; each
 *     alert row points at the latest payload that carried it.
 *  2. An alert with no feature is kept under the group 'unrouted', with no incident: outcome
 *     `unrouted`. Nothing is opened or paged.
 *  3. A firing alert for a feature with no open incident opens one (status `triggered`, the
 *     alert's severity and summary as title, one alert, one firing) and records
 *     `incident.opened` on its timeline: outcome `new_incident`.
 *  4. A firing alert for a feature with an open incident joins it: a fingerprint new to the
 *     incident adds an alert row, one to alert_count and one to firing_count, and records
 *     `alert.firing`: outcome `joined`.
 *  5. A firing alert already firing in that incident is a repeat: its row takes this
 *     delivery's status, severity, text, labels and payload (receive_count + 1); counts and
 *     timeline are unchanged: outcome `repeat`.
 *  6. A firing alert that had resolved within the still-open incident fires again: firing_count
 *     + 1 (alert_count unchanged), `alert.firing` recorded: outcome `joined`.
 *  7. An alert's identity is (incident, source, fingerprint): the same fingerprint from another
 *     source is another alert.
 *  8. The incident's severity rises to a firing alert's when that is more urgent (critical,
 *     error, warning, then anything else); it is never lowered.
 *  9. A resolved alert that was firing in the open incident resolves its row (ends_at as sent,
 *     else now), takes one from firing_count and records `alert.resolved`: outcome `resolved`,
 *     the incident touched.
 * 10. When that leaves no alert firing and the feature auto-resolves, the incident resolves
 *     (status `resolved`, open_key freed, resolved_at now, `incident.resolved` recorded) and is
 *     reported in `resolved`. A feature that does not auto-resolve keeps its incident open.
 * 11. A resolved alert the open incident has not seen firing (never seen, or resolved already)
 *     is stored in it, with no change to counts or timeline: outcome `resolved`, touched.
 * 12. A resolved alert for a feature with no open incident is kept under 'closed:<feature>',
 *     with no incident: outcome `resolved`, nothing touched.
 * 13. Once the incident is closed (auto-resolved, or by a person or PagerDuty) the next firing
 *     alert of the feature opens a new incident, with a new row for a fingerprint seen before.
 * 14. Within one delivery, an incident opened by one alert and joined by later ones is
 *     reported as opened only (this rule is applied here, after the call).
 *
 * Row locks on the incident serialise concurrent deliveries on any number of replicas; callers
 * sort alerts by feature so that every transaction takes them in one order.
 */
export async function storeDeliveries<A extends IngestAlert>(
  db: Db,
  deliveries: Delivery<A>[],
): Promise<IntakeResult<A>[]> {
  const results: IntakeResult<A>[] = deliveries.map(() => ({
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
    // Rule 14: an incident a delivery opened is reported as opened only.
    result.touched = result.touched.filter((id) => !result.opened.includes(id));
  }
  return results;
}

/** One delivery; routes each alert with `route`. */
export async function storeAlerts<A extends IngestAlert>(
  db: Db,
  input: { kind: string; requestId: string; body: unknown; alerts: A[] },
  route: (alert: A) => Route | null,
): Promise<IntakeResult<A>> {
  const alerts = input.alerts.map((alert) => ({ alert, route: route(alert) }));
  const [result] = await storeDeliveries(db, [{ ...input, alerts }]);
  if (!result) throw new Error('storeDeliveries returned no result');
  return result;
}

function addOnce(list: string[], id: string): void {
  if (!list.includes(id)) list.push(id);
}
