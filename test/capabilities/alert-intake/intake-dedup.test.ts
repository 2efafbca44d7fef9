// Dedup and auto-resolve over HTTP: repeats of one alert page once and post once; resolving
// every alert of the incident resolves it and the Slack message says so.
import { describe, expect, it } from 'vitest';
import { genericAlert, postAlert, useRunningApp } from '../../support/harness.ts';
import { waitUntil } from '../../support/wait.ts';

const ctx = useRunningApp();

/** chat.postMessage calls announcing an incident of this feature (both features share C0ALERTS). */
const postsFor = (featureName: string) =>
  ctx.fakes.slack.state.calls.filter(
    (c) =>
      c.method === 'chat.postMessage' &&
      c.args.channel === 'C0ALERTS' &&
      String(c.args.text).includes(featureName),
  );
const pagesOn = (service: string) => ctx.fakes.pd.state.incidents.filter((i) => i.service.id === service);

async function openIncidentWithMessage(feature: string) {
  const rows = await waitUntil(
    () =>
      ctx.database.query(`SELECT * FROM incident WHERE feature_key = $1 AND status <> 'resolved'`, [feature]),
    (r) => r[0]?.slack_ts != null,
    { what: `the ${feature} incident message to be posted` },
  );
  return rows[0] as Record<string, unknown>;
}

type Answer = { accepted: number; outcomes: object; incidents: string[] };

async function post(body: unknown): Promise<Answer> {
  const res = await postAlert(ctx.app, 'generic', body);
  expect(res.status).toBe(202);
  return (await res.json()) as Answer;
}

describe('the same alert sent five times', () => {
  it('answers with its outcome, stores one alert, pages once and posts one message', async () => {
    const answers: Answer[] = [];
    for (let i = 0; i < 5; i++) answers.push(await post(genericAlert('refunds-1')));
    const incidentId = answers[0]?.incidents[0] as string;
    expect(answers[0]).toEqual({ accepted: 1, outcomes: { new_incident: 1 }, incidents: [incidentId] });
    for (const answer of answers.slice(1))
      expect(answer).toEqual({ accepted: 1, outcomes: { repeat: 1 }, incidents: [incidentId] });

    // Every payload is kept; the alert is one row counting its deliveries.
    const payloads = await ctx.database.query(`SELECT count(*)::int AS n FROM inbound_payload
      WHERE body->>'fingerprint' = 'refunds-1'`);
    expect(payloads).toEqual([{ n: 5 }]);
    const alerts = await ctx.database.query(
      'SELECT status, receive_count, incident_id FROM alert WHERE fingerprint = $1',
      ['refunds-1'],
    );
    expect(alerts).toEqual([{ status: 'firing', receive_count: 5, incident_id: incidentId }]);

    const incident = await openIncidentWithMessage('ai-support-bot');
    expect(incident).toMatchObject({ id: incidentId, alert_count: 1, firing_count: 1 });
    // The post asks for one refresh; once that edit lands every follow-up has run.
    await ctx.fakes.slack.waitForCall('chat.update', (c) => c.args.ts === incident.slack_ts, 15_000);
    expect(pagesOn('PSVC1')).toHaveLength(1);
    expect(pagesOn('PSVC1')[0]?.incident_key).toBe(incident.pd_dedup_key);
    expect(postsFor('AI support bot')).toHaveLength(1);
    const message = await ctx.fakes.slack.waitForMessage((m) => m.ts === incident.slack_ts);
    expect(message.text).toContain('(1 alert, triggered)');
    expect(message.text).toContain('Paged Jane Doe');
    const kinds = await ctx.database.query<{ kind: string }>(
      'SELECT kind FROM timeline_entry WHERE incident_id = $1 ORDER BY kind',
      [incidentId],
    );
    expect(kinds.map((k) => k.kind)).toEqual(['incident.opened', 'page.sent']);
  });
});

describe('resolving every alert of an incident', () => {
  const feature = 'ai-search-summaries';
  const firing = (fp: string) => genericAlert(fp, feature);
  const resolved = (fp: string) => genericAlert(fp, feature, { status: 'resolved' });

  it('auto-resolves it, marks the message RESOLVED, and a later firing opens a new incident', async () => {
    const opened = await post({ alerts: [firing('latency-eu'), firing('latency-us')] });
    expect(opened.outcomes).toEqual({ new_incident: 1, joined: 1 });
    const incident = await openIncidentWithMessage(feature);
    expect(pagesOn('PSVC2')[0]?.assignments[0]?.assignee.summary).toBe('Ana Ruiz');

    // One of two resolved: the incident stays open.
    expect(await post(resolved('latency-eu'))).toEqual({
      accepted: 1,
      outcomes: { resolved: 1 },
      incidents: [incident.id],
    });
    const [half] = await ctx.database.query('SELECT status, firing_count FROM incident WHERE id = $1', [
      incident.id,
    ]);
    expect(half).toEqual({ status: 'triggered', firing_count: 1 });

    expect((await post(resolved('latency-us'))).outcomes).toEqual({ resolved: 1 });
    const [row] = await ctx.database.query('SELECT * FROM incident WHERE id = $1', [incident.id]);
    expect(row).toMatchObject({ status: 'resolved', open_key: null, firing_count: 0, alert_count: 2 });
    expect(row?.resolved_at).toBeInstanceOf(Date);
    const alerts = await ctx.database.query('SELECT status, ends_at FROM alert WHERE incident_id = $1', [
      incident.id,
    ]);
    expect(alerts.map((a) => a.status)).toEqual(['resolved', 'resolved']);
    expect(alerts.every((a) => a.ends_at instanceof Date)).toBe(true);
    const kinds = await ctx.database.query<{ kind: string }>(
      'SELECT kind FROM timeline_entry WHERE incident_id = $1',
      [incident.id],
    );
    expect(kinds.map((k) => k.kind).filter((k) => k === 'alert.resolved')).toHaveLength(2);
    expect(kinds.map((k) => k.kind)).toContain('incident.resolved');

    const message = await ctx.fakes.slack.waitForMessage(
      (m) => m.ts === incident.slack_ts && JSON.stringify(m.blocks).includes('RESOLVED'),
      15_000,
    );
    expect(message.text).toContain('2 alerts (0 firing)');
    expect(message.blocks?.some((b) => (b as { type: string }).type === 'actions')).toBe(false);
    expect(postsFor('AI search summaries')).toHaveLength(1);
    expect(pagesOn('PSVC2')).toHaveLength(1);

    // The resolved incident is closed for good: the same alert firing again is a new incident.
    const again = await post(firing('latency-eu'));
    expect(again.outcomes).toEqual({ new_incident: 1 });
    expect(again.incidents).not.toContain(incident.id);
    const reopened = await openIncidentWithMessage(feature);
    expect(reopened.id).toBe(again.incidents[0]);
    expect(pagesOn('PSVC2')).toHaveLength(2);
    expect(postsFor('AI search summaries')).toHaveLength(2);
  });
});
