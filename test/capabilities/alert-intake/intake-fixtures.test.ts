// Real Alertmanager and Grafana payloads over HTTP. Their ai_feature values (support-bot,
// search-assistant) are not in the example catalog, so they take its default route, the
// `unrouted` feature: PagerDuty service PSVC1 (escalation policy PEP1, Jane Doe at level 1),
// announced in C0DEFAULT. `unrouted` does not auto-resolve, so both payloads share one incident.
import { describe, expect, it } from 'vitest';
import { contract, fixture } from '../../support/fixtures.ts';
import { postAlert, useRunningApp } from '../../support/harness.ts';
import { waitUntil } from '../../support/wait.ts';

const ctx = useRunningApp();

/** Incident announcements: posts to channels, not the DM each paged person also gets. */
const channelPosts = () =>
  ctx.fakes.slack.state.calls.filter(
    (c) => c.method === 'chat.postMessage' && !String(c.args.channel).startsWith('D'),
  );

interface IntakeAnswer {
  accepted: number;
  outcomes: Record<string, number>;
  incidents: string[];
}

async function alertRows() {
  return ctx.database.query(
    `SELECT source, fingerprint, status, feature_key, group_key, severity, summary, description,
            labels, generator_url, starts_at, ends_at, incident_id, receive_count
       FROM alert ORDER BY source, fingerprint`,
  );
}

describe('Alertmanager webhook v4', () => {
  it('opens one incident for the firing pair, pages once, then resolves one alert in place', async () => {
    const body = contract('alertmanager/firing-two-alerts.json');
    const res = await postAlert(ctx.app, 'alertmanager', body, { 'x-request-id': 'am-firing-1' });
    expect(res.status).toBe(202);
    expect(res.headers.get('x-request-id')).toBe('am-firing-1');
    const answer = (await res.json()) as IntakeAnswer;
    expect(answer).toMatchObject({ accepted: 2, outcomes: { new_incident: 1, joined: 1 } });
    // Distinct ids: the answer currently lists an incident both opened and joined twice.
    const ids = [...new Set(answer.incidents)];
    expect(ids).toHaveLength(1);
    const incidentId = ids[0] as string;

    // Committed before the 202: the raw payload exactly as sent, and both normalised alerts.
    const payloads = await ctx.database.query('SELECT kind, request_id, body FROM inbound_payload');
    expect(payloads).toEqual([{ kind: 'alertmanager', request_id: 'am-firing-1', body }]);
    const rows = await alertRows();
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({
      source: 'alertmanager',
      fingerprint: 'c3111085d0999ceb',
      status: 'firing',
      feature_key: 'unrouted',
      group_key: incidentId,
      incident_id: incidentId,
      severity: 'critical',
      summary: 'Refund offers without policy up 4x',
      description: 'support-bot offered 37 refunds not in policy in the last 15 minutes',
      generator_url: expect.stringContaining('http://prometheus.example.com/graph'),
      ends_at: null,
    });
    expect(rows[1]?.labels).toMatchObject({ ai_feature: 'support-bot', alertname: 'HallucinatedRefunds' });
    expect(rows[1]?.starts_at).toEqual(new Date('2026-11-23T07:25:29.847Z'));
    expect(rows[0]).toMatchObject({
      fingerprint: '1d389a7638158959',
      generator_url: null,
      group_key: incidentId,
    });

    const [incident] = await waitUntil(
      () => ctx.database.query('SELECT * FROM incident'),
      (r) => r[0]?.slack_ts != null,
      { what: 'the incident message' },
    );
    expect(incident).toMatchObject({
      id: incidentId,
      feature_key: 'unrouted',
      status: 'triggered',
      severity: 'critical',
      alert_count: 2,
      firing_count: 2,
      page_state: 'sent',
      assignee_name: 'Jane Doe',
      assignee_slack_id: 'U0JANE',
      slack_channel: 'C0DEFAULT',
    });
    expect(ctx.fakes.pd.state.incidents).toHaveLength(1);
    const [page] = ctx.fakes.pd.state.incidents;
    expect(page).toMatchObject({
      service: { id: 'PSVC1' },
      urgency: 'high',
      incident_key: incident?.pd_dedup_key,
    });
    expect(page?.title).toContain('Refund offers without policy up 4x');
    expect(page?.assignments.map((a) => a.assignee.summary)).toEqual(['Jane Doe']);

    const message = await ctx.fakes.slack.waitForMessage((m) => m.channel === 'C0DEFAULT');
    expect(message.ts).toBe(incident?.slack_ts);
    expect(message.text).toContain('Unrouted alerts');
    expect(message.text).toContain('2 alerts (2 firing)');
    expect(message.text).toContain('Paged Jane Doe');
    expect(JSON.stringify(message.blocks)).toContain('<@U0JANE>');
    expect(JSON.stringify(message.blocks)).toContain(page?.html_url);

    // The next notification of the group: one alert resolved, the other still firing.
    const next = await postAlert(
      ctx.app,
      'alertmanager',
      contract('alertmanager/one-resolved-one-firing.json'),
    );
    expect(next.status).toBe(202);
    expect(await next.json()).toEqual({
      accepted: 2,
      outcomes: { resolved: 1, repeat: 1 },
      incidents: [incidentId],
    });

    const after = await alertRows();
    expect(after.map((r) => [r.fingerprint, r.status, r.receive_count])).toEqual([
      ['1d389a7638158959', 'firing', 2],
      ['c3111085d0999ceb', 'resolved', 2],
    ]);
    expect(after[1]?.ends_at).toEqual(new Date('2026-11-23T07:25:27.000Z'));
    const [counts] = await ctx.database.query('SELECT status, alert_count, firing_count FROM incident');
    expect(counts).toEqual({ status: 'triggered', alert_count: 2, firing_count: 1 });

    const edited = await ctx.fakes.slack.waitForMessage(
      (m) => m.channel === 'C0DEFAULT' && m.text.includes('2 alerts (1 firing)'),
      15_000,
    );
    expect(edited.edits.length).toBeGreaterThanOrEqual(1);
    expect(ctx.fakes.pd.state.incidents).toHaveLength(1);
    expect(channelPosts()).toHaveLength(1);
  });
});

describe('Grafana unified alerting webhook', () => {
  it('stores both alerts, answers 202 and groups them into one paged incident', async () => {
    const body = fixture('grafana/firing.json');
    const res = await postAlert(ctx.app, 'grafana', body);
    expect(res.status).toBe(202);
    const answer = (await res.json()) as IntakeAnswer;
    expect(answer.accepted).toBe(2);
    // Joins the default route's incident when one is open (after the Alertmanager test), else opens it.
    expect([{ joined: 2 }, { new_incident: 1, joined: 1 }]).toContainEqual(answer.outcomes);
    const [incidentId] = new Set(answer.incidents);

    const [payload] = await ctx.database.query(`SELECT body FROM inbound_payload WHERE kind = 'grafana'`);
    expect(payload?.body).toEqual(body);
    const rows = (await alertRows()).filter((r) => r.source === 'grafana');
    expect(rows.map((r) => r.fingerprint)).toEqual(['bc97ff14869b13e3', 'c6eadffa33fcdf37']);
    // severity "page" maps to critical; an empty generatorURL falls back to the panel link.
    expect(rows[0]).toMatchObject({
      status: 'firing',
      severity: 'critical',
      feature_key: 'unrouted',
      incident_id: incidentId,
      summary: 'Answer latency p95 above 8 s (eu-1)',
      generator_url: 'https://grafana.example.com/d/ai-search?orgId=1&viewPanel=4',
    });
    expect(rows[1]).toMatchObject({
      incident_id: incidentId,
      generator_url: 'https://grafana.example.com/alerting/grafana/1afz29v7z/view?orgId=1',
    });
    expect(rows[1]?.starts_at).toEqual(new Date('2026-11-23T07:51:03.157Z'));

    // Every incident is paged exactly once and announced once, whatever ran before.
    const incidents = await waitUntil(
      () => ctx.database.query('SELECT slack_ts FROM incident'),
      (r) => r.every((i) => i.slack_ts != null),
      { what: 'every incident message' },
    );
    const [incident] = await ctx.database.query(
      'SELECT alert_count, firing_count FROM incident WHERE id = $1',
      [incidentId],
    );
    const text = `${incident?.alert_count} alerts (${incident?.firing_count} firing)`;
    await ctx.fakes.slack.waitForMessage((m) => m.channel === 'C0DEFAULT' && m.text.includes(text), 15_000);
    expect(ctx.fakes.pd.state.incidents).toHaveLength(incidents.length);
    expect(channelPosts()).toHaveLength(incidents.length);
  });
});
