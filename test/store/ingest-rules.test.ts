// The grouping rules of failsafe_ingest (numbered in src/store/ingest.ts), one row per rule:
// the state a feature is in, a delivery, and everything that delivery must leave behind —
// outcomes, what the result reports, the feature's incidents, new timeline entries and the
// alert's row. Each row has a feature of its own, so rows do not see each other.
import { describe, expect, it } from 'vitest';
import {
  type AlertOutcome,
  type IngestAlert,
  type IntakeResult,
  storeAlerts,
} from '../../src/store/ingest.ts';
import { useDatabase } from '../support/database.ts';

const ctx = useDatabase({ poolSize: 2 });

const STARTS = new Date('2026-11-23T03:00:00Z');
const ENDS = new Date('2026-11-23T04:00:00Z');
const SEVERITIES = new Set(['critical', 'error', 'warning', 'info']);

/** "a", "b critical", "a resolved", "a grafana", "a unrouted", "a resolved sent-end". */
type Spec = string;
/** A delivery of alerts, or a person closing the feature's open incident. */
type Step = Spec[] | 'close by hand';

interface IncidentState {
  status: string;
  open: boolean;
  alerts: number;
  firing: number;
  severity: string;
  title: string;
}

interface Row {
  rule: number;
  name: string;
  autoResolve?: boolean;
  given: Step[];
  incoming: Spec[];
  outcomes: AlertOutcome[];
  reported: { opened: number; touched: number; resolved: number };
  incidents: IncidentState[];
  /** Kinds of the timeline entries this delivery added, sorted. */
  timeline: string[];
  /** The row of the delivery's first alert. */
  alert?: {
    group: 'incident' | 'unrouted' | 'closed';
    status: 'firing' | 'resolved';
    receiveCount: number;
    endsAt: 'none' | 'sent' | 'now';
  };
}

const open = (alerts: number, firing: number, severity = 'warning', title = 'a'): IncidentState => ({
  status: 'triggered',
  open: true,
  alerts,
  firing,
  severity,
  title,
});
const closed = (alerts: number, firing: number, severity = 'warning', title = 'a'): IncidentState => ({
  ...open(alerts, firing, severity, title),
  status: 'resolved',
  open: false,
});
const firingRow = (receiveCount = 1) =>
  ({ group: 'incident', status: 'firing', receiveCount, endsAt: 'none' }) as const;
const resolvedRow = (receiveCount: number, group: 'incident' | 'closed' = 'incident') =>
  ({ group, status: 'resolved', receiveCount, endsAt: 'now' }) as const;
const none = { opened: 0, touched: 0, resolved: 0 };
const touched = { opened: 0, touched: 1, resolved: 0 };

// biome-ignore format: a table reads best one row a line
const RULES: Row[] = [
  { rule: 1, name: 'a body with no alerts is still stored', given: [], incoming: [], outcomes: [], reported: none, incidents: [], timeline: [] },
  { rule: 2, name: 'an alert with no feature is kept unrouted', given: [], incoming: ['a unrouted'], outcomes: ['unrouted'], reported: none, incidents: [], timeline: [], alert: { group: 'unrouted', status: 'firing', receiveCount: 1, endsAt: 'none' } },
  { rule: 2, name: 'a repeat of an unrouted alert updates its one row', given: [['a unrouted']], incoming: ['a unrouted'], outcomes: ['unrouted'], reported: none, incidents: [], timeline: [], alert: { group: 'unrouted', status: 'firing', receiveCount: 2, endsAt: 'none' } },
  { rule: 3, name: 'a firing alert opens the feature incident', given: [], incoming: ['a critical'], outcomes: ['new_incident'], reported: { opened: 1, touched: 0, resolved: 0 }, incidents: [open(1, 1, 'critical')], timeline: ['incident.opened'], alert: firingRow() },
  { rule: 4, name: 'a new fingerprint joins the open incident', given: [['a']], incoming: ['b'], outcomes: ['joined'], reported: touched, incidents: [open(2, 2)], timeline: ['alert.firing'], alert: firingRow() },
  { rule: 5, name: 'a firing alert already firing is a repeat', given: [['a']], incoming: ['a'], outcomes: ['repeat'], reported: touched, incidents: [open(1, 1)], timeline: [], alert: firingRow(2) },
  { rule: 6, name: 'a resolved alert that fires again rejoins', given: [['a', 'b'], ['a resolved']], incoming: ['a'], outcomes: ['joined'], reported: touched, incidents: [open(2, 2)], timeline: ['alert.firing'], alert: firingRow(3) },
  { rule: 7, name: 'the same fingerprint from another source is another alert', given: [['a']], incoming: ['a grafana'], outcomes: ['joined'], reported: touched, incidents: [open(2, 2)], timeline: ['alert.firing'], alert: firingRow() },
  { rule: 8, name: 'a more urgent alert raises the severity', given: [['a']], incoming: ['b critical'], outcomes: ['joined'], reported: touched, incidents: [open(2, 2, 'critical')], timeline: ['alert.firing'], alert: firingRow() },
  { rule: 8, name: 'a repeat raises it too', given: [['a']], incoming: ['a error'], outcomes: ['repeat'], reported: touched, incidents: [open(1, 1, 'error')], timeline: [], alert: firingRow(2) },
  { rule: 8, name: 'a less urgent alert never lowers it', given: [['a critical']], incoming: ['b info'], outcomes: ['joined'], reported: touched, incidents: [open(2, 2, 'critical')], timeline: ['alert.firing'], alert: firingRow() },
  { rule: 9, name: 'a firing alert resolves in its incident', given: [['a', 'b']], incoming: ['a resolved'], outcomes: ['resolved'], reported: touched, incidents: [open(2, 1)], timeline: ['alert.resolved'], alert: resolvedRow(2) },
  { rule: 9, name: 'with the end time it was sent', given: [['a', 'b']], incoming: ['a resolved sent-end'], outcomes: ['resolved'], reported: touched, incidents: [open(2, 1)], timeline: ['alert.resolved'], alert: { ...resolvedRow(2), endsAt: 'sent' } },
  { rule: 10, name: 'the last firing alert resolving auto-resolves the incident', given: [['a']], incoming: ['a resolved'], outcomes: ['resolved'], reported: { opened: 0, touched: 1, resolved: 1 }, incidents: [closed(1, 0)], timeline: ['alert.resolved', 'incident.resolved'], alert: resolvedRow(2) },
  { rule: 10, name: 'unless the feature does not auto-resolve', autoResolve: false, given: [['a']], incoming: ['a resolved'], outcomes: ['resolved'], reported: touched, incidents: [open(1, 0)], timeline: ['alert.resolved'], alert: resolvedRow(2) },
  { rule: 11, name: 'a resolve never seen firing is stored in the open incident', given: [['a']], incoming: ['b resolved'], outcomes: ['resolved'], reported: touched, incidents: [open(1, 1)], timeline: [], alert: resolvedRow(1) },
  { rule: 11, name: 'as is a second resolve', given: [['a', 'b'], ['a resolved']], incoming: ['a resolved'], outcomes: ['resolved'], reported: touched, incidents: [open(2, 1)], timeline: [], alert: resolvedRow(3) },
  { rule: 12, name: 'a resolve with no open incident is kept as closed', given: [], incoming: ['a resolved'], outcomes: ['resolved'], reported: none, incidents: [], timeline: [], alert: resolvedRow(1, 'closed') },
  { rule: 12, name: 'also after a person closed the incident', given: [['a'], 'close by hand'], incoming: ['a resolved'], outcomes: ['resolved'], reported: none, incidents: [closed(1, 1)], timeline: [], alert: resolvedRow(1, 'closed') },
  { rule: 13, name: 'after an auto-resolve the next alert opens a new incident', given: [['a'], ['a resolved']], incoming: ['a'], outcomes: ['new_incident'], reported: { opened: 1, touched: 0, resolved: 0 }, incidents: [closed(1, 0), open(1, 1)], timeline: ['incident.opened'], alert: firingRow() },
  { rule: 13, name: 'and after a person closed it', given: [['a'], 'close by hand'], incoming: ['b'], outcomes: ['new_incident'], reported: { opened: 1, touched: 0, resolved: 0 }, incidents: [closed(1, 1), open(1, 1, 'warning', 'b')], timeline: ['incident.opened'], alert: firingRow() },
  { rule: 14, name: 'an incident opened and joined in one delivery is reported opened only', given: [], incoming: ['a', 'b'], outcomes: ['new_incident', 'joined'], reported: { opened: 1, touched: 0, resolved: 0 }, incidents: [open(2, 2)], timeline: ['alert.firing', 'incident.opened'], alert: firingRow() },
];

function alertOf(feature: string, spec: Spec): IngestAlert {
  const [fp, ...words] = spec.split(' ');
  const alert: IngestAlert = {
    source: 'generic',
    fingerprint: `${feature}/${fp}`,
    status: 'firing',
    severity: 'warning',
    summary: fp ?? '',
    description: null,
    labels: { ai_feature: feature },
    annotations: {},
    startsAt: STARTS,
    endsAt: null,
    generatorUrl: null,
  };
  for (const word of words) {
    if (word === 'resolved') alert.status = 'resolved';
    else if (word === 'grafana') alert.source = 'grafana';
    else if (word === 'unrouted') alert.labels = {};
    else if (word === 'sent-end') alert.endsAt = ENDS;
    else if (SEVERITIES.has(word)) alert.severity = word;
    else throw new Error(`unknown word "${word}" in "${spec}"`);
  }
  return alert;
}

function deliver(feature: string, specs: Spec[], autoResolve: boolean, body: unknown): Promise<IntakeResult> {
  return storeAlerts(
    ctx.handle.db,
    { kind: 'generic', requestId: feature, body, alerts: specs.map((s) => alertOf(feature, s)) },
    (a) => (a.labels.ai_feature ? { featureKey: feature, autoResolve } : null),
  );
}

async function timelineKinds(feature: string): Promise<string[]> {
  const rows = await ctx.database.query<{ kind: string }>(
    'SELECT t.kind FROM timeline_entry t JOIN incident i ON i.id = t.incident_id WHERE i.feature_key = $1',
    [feature],
  );
  return rows.map((r) => r.kind);
}

function added(before: string[], after: string[]): string[] {
  const left = [...before];
  return after
    .filter((kind) => {
      const i = left.indexOf(kind);
      if (i === -1) return true;
      left.splice(i, 1);
      return false;
    })
    .sort();
}

describe('failsafe_ingest grouping rules', () => {
  it.each(RULES.map((row, i) => ({ ...row, feature: `rule-${i}` })))('rule $rule: $name', async (row) => {
    const { feature } = row;
    const autoResolve = row.autoResolve ?? true;
    for (const [n, step] of row.given.entries()) {
      if (step === 'close by hand')
        await ctx.database.query(
          "UPDATE incident SET status = 'resolved', open_key = NULL, resolved_at = now() WHERE open_key = $1",
          [feature],
        );
      else await deliver(feature, step, autoResolve, { given: n });
    }
    const before = await timelineKinds(feature);
    const body = { incoming: row.name };
    const result = await deliver(feature, row.incoming, autoResolve, body);

    expect(result.outcomes.map((o) => o.outcome)).toEqual(row.outcomes);
    expect({
      opened: result.opened.length,
      touched: result.touched.length,
      resolved: result.resolved.length,
    }).toEqual(row.reported);
    const incidents = await ctx.database.query<IncidentState & { id: string }>(
      `SELECT id, status, open_key IS NOT NULL AS open, alert_count AS alerts, firing_count AS firing,
                severity, title
         FROM incident WHERE feature_key = $1 ORDER BY number`,
      [feature],
    );
    expect(incidents.map(({ id: _, ...state }) => state)).toEqual(row.incidents);
    expect(added(before, await timelineKinds(feature))).toEqual(row.timeline);
    expect(
      await ctx.database.query('SELECT request_id, body FROM inbound_payload WHERE id = $1', [
        result.payloadId,
      ]),
    ).toEqual([{ request_id: feature, body }]);

    const first = row.incoming[0];
    // A row says what its first alert's row holds exactly when it sends an alert.
    expect(row.alert === undefined).toBe(first === undefined);
    if (!row.alert || !first) return;
    const sent = alertOf(feature, first);
    const alerts = await ctx.database.query<{
      group_key: string;
      incident_id: string | null;
      status: string;
      receive_count: number;
      ends_at: Date | null;
    }>(
      `SELECT group_key, incident_id, status, receive_count, ends_at FROM alert
         WHERE payload_id = $1 AND source = $2 AND fingerprint = $3`,
      [result.payloadId, sent.source, sent.fingerprint],
    );
    expect(alerts).toHaveLength(1);
    const [stored] = alerts as [(typeof alerts)[number]];
    const newest = incidents.at(-1)?.id ?? null;
    const group = { incident: newest, unrouted: 'unrouted', closed: `closed:${feature}` }[row.alert.group];
    expect({ group: stored.group_key, incident: stored.incident_id }).toEqual({
      group,
      incident: row.alert.group === 'incident' ? newest : null,
    });
    expect({ status: stored.status, receiveCount: stored.receive_count }).toEqual({
      status: row.alert.status,
      receiveCount: row.alert.receiveCount,
    });
    if (row.alert.endsAt === 'none') expect(stored.ends_at).toBeNull();
    else if (row.alert.endsAt === 'sent') expect(stored.ends_at).toEqual(ENDS);
    else expect(Math.abs((stored.ends_at?.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
  });
});
