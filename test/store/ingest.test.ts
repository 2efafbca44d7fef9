import { describe, expect, it } from 'vitest';
import type { NormalisedAlert } from '../../src/capabilities/alert-intake/types.ts';
import { type Route, storeAlerts } from '../../src/store/ingest.ts';
import { useDatabase } from '../support/database.ts';

const ctx = useDatabase({ poolSize: 8 });
const db = () => ctx.handle.db;

function alert(
  fingerprint: string,
  feature: string | null,
  over: Partial<NormalisedAlert> = {},
): NormalisedAlert {
  return {
    source: 'generic',
    fingerprint,
    status: 'firing',
    feature,
    severity: 'warning',
    summary: `alert ${fingerprint}`,
    description: null,
    labels: feature ? { ai_feature: feature } : {},
    annotations: {},
    startsAt: new Date('2026-11-23T03:00:00Z'),
    endsAt: null,
    generatorUrl: null,
    ...over,
  };
}

const route = (a: NormalisedAlert): Route | null =>
  a.feature ? { featureKey: a.feature, autoResolve: true } : null;
const store = (alerts: NormalisedAlert[]) =>
  storeAlerts(db(), { kind: 'generic', requestId: 'r', body: {}, alerts }, route);

describe('storeAlerts', () => {
  it('opens one incident for the first alert, and a repeat of it joins without a new incident', async () => {
    const first = await store([alert('a1', 'f-repeat')]);
    expect(first.opened).toHaveLength(1);
    const again = await store([alert('a1', 'f-repeat')]);
    expect(again.opened).toEqual([]);
    expect(again.outcomes[0]?.outcome).toBe('repeat');
    const rows = await ctx.database.query('SELECT receive_count FROM alert WHERE fingerprint = $1', ['a1']);
    expect(rows).toEqual([{ receive_count: 2 }]);
    const [incident] = await ctx.database.query(
      "SELECT alert_count, firing_count FROM incident WHERE feature_key = 'f-repeat'",
    );
    expect(incident).toEqual({ alert_count: 1, firing_count: 1 });
  });

  it('numbers incidents without gaps: alerts that join take no number', async () => {
    await store([alert('n1', 'f-numbers')]);
    for (let i = 2; i <= 6; i++) await store([alert(`n${i}`, 'f-numbers')]);
    await store([alert('m1', 'f-numbers-2')]);
    const rows = await ctx.handle.db.$queryRaw<{ feature_key: string; number: number }[]>`
      SELECT feature_key, number FROM incident WHERE feature_key IN ('f-numbers', 'f-numbers-2') ORDER BY number`;
    expect(rows).toHaveLength(2);
    expect((rows[1]?.number ?? 0) - (rows[0]?.number ?? 0)).toBe(1);
  });

  it('groups different alerts of one feature into the open incident and keeps the worst severity', async () => {
    await store([alert('b1', 'f-group')]);
    const joined = await store([alert('b2', 'f-group', { severity: 'critical' })]);
    expect(joined.outcomes[0]?.outcome).toBe('joined');
    const incidents = await ctx.database.query(
      "SELECT alert_count, severity FROM incident WHERE feature_key = 'f-group'",
    );
    expect(incidents).toEqual([{ alert_count: 2, severity: 'critical' }]);
  });

  it('turns a storm of 2,000 alerts from 16 concurrent senders into one incident', async () => {
    const batches = Array.from({ length: 200 }, (_, i) =>
      Array.from({ length: 10 }, (_, j) => alert(`storm-${i}-${j}`, 'f-storm')),
    );
    const results: Awaited<ReturnType<typeof store>>[] = [];
    for (let i = 0; i < batches.length; i += 16) {
      results.push(...(await Promise.all(batches.slice(i, i + 16).map((b) => store(b)))));
    }
    expect(results.flatMap((r) => r.opened)).toHaveLength(1);
    const [row] = await ctx.database.query(
      "SELECT count(*)::int AS n, sum(alert_count)::int AS alerts FROM incident WHERE feature_key = 'f-storm'",
    );
    expect(row).toEqual({ n: 1, alerts: 2000 });
  });

  it('auto-resolves the incident when its last firing alert resolves, and the next alert opens a new one', async () => {
    await store([alert('c1', 'f-resolve'), alert('c2', 'f-resolve')]);
    const partly = await store([alert('c1', 'f-resolve', { status: 'resolved' })]);
    expect(partly.resolved).toEqual([]);
    const fully = await store([alert('c2', 'f-resolve', { status: 'resolved' })]);
    expect(fully.resolved).toHaveLength(1);
    const [closed] = await ctx.database.query(
      "SELECT status, open_key, firing_count FROM incident WHERE feature_key = 'f-resolve'",
    );
    expect(closed).toEqual({ status: 'resolved', open_key: null, firing_count: 0 });
    const reopened = await store([alert('c1', 'f-resolve')]);
    expect(reopened.opened).toHaveLength(1);
    expect(reopened.opened[0]).not.toBe(fully.resolved[0]);
  });

  it('keeps the incident open when the feature does not auto-resolve', async () => {
    const manual = (a: NormalisedAlert): Route => ({ featureKey: a.feature ?? '', autoResolve: false });
    const run = (alerts: NormalisedAlert[]) =>
      storeAlerts(db(), { kind: 'generic', requestId: 'r', body: {}, alerts }, manual);
    await run([alert('m1', 'f-manual')]);
    const result = await run([alert('m1', 'f-manual', { status: 'resolved' })]);
    expect(result.resolved).toEqual([]);
    const [row] = await ctx.database.query("SELECT status FROM incident WHERE feature_key = 'f-manual'");
    expect(row).toEqual({ status: 'triggered' });
  });

  it('stores alerts for no feature as unrouted, with their raw payload, and opens nothing', async () => {
    const result = await storeAlerts(
      db(),
      { kind: 'generic', requestId: 'req-unrouted', body: { hello: 'world' }, alerts: [alert('u1', null)] },
      route,
    );
    expect(result.outcomes[0]?.outcome).toBe('unrouted');
    const rows = await ctx.database.query(
      `SELECT a.group_key, a.incident_id, p.body FROM alert a JOIN inbound_payload p ON p.id = a.payload_id
       WHERE a.fingerprint = 'u1'`,
    );
    expect(rows).toEqual([{ group_key: 'unrouted', incident_id: null, body: { hello: 'world' } }]);
  });

  it('records the opening and resolution on the timeline once each', async () => {
    const opened = await store([alert('t1', 'f-timeline')]);
    await store([alert('t1', 'f-timeline', { status: 'resolved' })]);
    const entries = await ctx.database.query(
      'SELECT kind FROM timeline_entry WHERE incident_id = $1 ORDER BY at, kind',
      [opened.opened[0]],
    );
    expect(entries.map((e) => e.kind).sort()).toEqual([
      'alert.resolved',
      'incident.opened',
      'incident.resolved',
    ]);
  });
});
