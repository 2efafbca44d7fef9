// An alert storm over HTTP: a thousand distinct alerts for one feature from 16 concurrent
// clients become one incident, one page and one Slack message whose count is kept current.
import { describe, expect, it } from 'vitest';
import { genericAlert, postAlert, useRunningApp } from '../../support/harness.ts';
import { waitForQueueIdle } from '../../support/queue.ts';
import { metricValue } from './intake-helpers.ts';

const ctx = useRunningApp();

const ALERTS = 1_000;
const CLIENTS = 16;

describe('an alert storm over one feature', () => {
  it('opens one incident, pages once, posts once and edits the count to 1000 alerts', async () => {
    const outcomes: Record<string, number> = {};
    const incidentIds = new Set<string>();
    let next = 0;
    async function client(): Promise<void> {
      while (next < ALERTS) {
        const n = next++;
        const res = await postAlert(ctx.app, 'generic', genericAlert(`storm-${n}`));
        expect(res.status).toBe(202);
        const answer = (await res.json()) as { outcomes: Record<string, number>; incidents: string[] };
        for (const [k, v] of Object.entries(answer.outcomes)) outcomes[k] = (outcomes[k] ?? 0) + v;
        for (const id of answer.incidents) incidentIds.add(id);
      }
    }
    await Promise.all(Array.from({ length: CLIENTS }, client));

    expect(outcomes).toEqual({ new_incident: 1, joined: ALERTS - 1 });
    expect(incidentIds.size).toBe(1);
    const [incidentId] = incidentIds;
    const incidents = await ctx.database.query('SELECT id, alert_count, firing_count FROM incident');
    expect(incidents).toEqual([{ id: incidentId, alert_count: ALERTS, firing_count: ALERTS }]);
    const [stored] = await ctx.database.query(
      'SELECT count(*)::int AS alerts, count(DISTINCT fingerprint)::int AS fingerprints FROM alert WHERE incident_id = $1',
      [incidentId],
    );
    expect(stored).toEqual({ alerts: ALERTS, fingerprints: ALERTS });
    expect(await ctx.database.query('SELECT count(*)::int AS n FROM inbound_payload')).toEqual([
      { n: ALERTS },
    ]);

    const edited = await ctx.fakes.slack.waitForMessage(
      (m) => m.channel === 'C0ALERTS' && m.text.includes(`${ALERTS} alerts`),
      30_000,
    );
    expect(edited.text).toContain(`${ALERTS} alerts (${ALERTS} firing)`);
    expect(edited.text).toContain('Paged Jane Doe');
    // Counted once nothing is left to run, as PagerDuty received them: the fake's incidents
    // are deduplicated by key, so a second POST would not show there.
    await waitForQueueIdle(ctx);
    const pages = ctx.fakes.pd.state.requests.filter((r) => r.method === 'POST' && r.path === '/incidents');
    expect(pages).toHaveLength(1);
    const posts = ctx.fakes.slack.state.calls.filter(
      (c) => c.method === 'chat.postMessage' && c.args.channel === 'C0ALERTS',
    );
    expect(posts).toHaveLength(1);
    expect(ctx.fakes.slack.controls.messagesIn('C0ALERTS')).toHaveLength(1);
    // Edits are coalesced (README: at most one `chat.update` per incident every 2 s): one per window of the storm (plus the page's own edit),
    // not one per alert.
    const updates = ctx.fakes.slack.state.calls.filter((c) => c.method === 'chat.update');
    const [post] = posts;
    const span = Math.max(...updates.map((u) => u.receivedAt)) - (post?.receivedAt ?? 0);
    expect(updates.length).toBeGreaterThanOrEqual(1);
    expect(updates.length).toBeLessThanOrEqual(Math.ceil(span / 2_000) + 2);

    expect(
      await metricValue(ctx.app, 'failsafe_alerts_received_total{source="generic",outcome="joined"}'),
    ).toBe(ALERTS - 1);
    expect(await metricValue(ctx.app, 'failsafe_pages_total{outcome="sent"}')).toBe(1);
  }, 60_000);
});
