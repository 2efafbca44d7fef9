// PagerDuty → Failsafe: signed webhooks update the incident, its timeline and its one Slack
// message; bad signatures change nothing; duplicates and late events never move state back.
import { describe, expect, it } from 'vitest';
import type { FakeIncident } from '../../../src/sandbox/fakes/pagerduty-incidents.ts';
import { JANE, SAM } from '../../../src/sandbox/fakes/pagerduty-roster.ts';
import {
  deliverWebhook,
  signatureHeader,
  webhookPayload,
} from '../../../src/sandbox/fakes/pagerduty-webhooks.ts';
import { genericAlert, postAlert, useRunningApp } from '../../support/harness.ts';
import { waitForQueueIdle } from '../../support/queue.ts';
import { waitUntil } from '../../support/wait.ts';

const OLD_SECRET = 'whsec-old-0123456789abcdef';
const NEW_SECRET = 'whsec-new-0123456789abcdef';

const hook = () => `${ctx.app.url}/webhooks/pagerduty`;

const ctx = useRunningApp({ extra: { PAGERDUTY_WEBHOOK_SECRETS: `${OLD_SECRET},${NEW_SECRET}` } });

let n = 0;
/** Opens and pages a fresh incident on its own feature; returns the fake's incident and our row. */
/** Resolves the incident by a PagerDuty webhook stamped now; returns that time (ms). */
async function resolvedByWebhook(
  pd: Parameters<typeof webhookPayload>[1],
  incidentId: string,
): Promise<number> {
  const t = Date.now();
  const resolved = webhookPayload(
    'incident.resolved',
    { ...pd, status: 'resolved' },
    { agent: JANE, occurredAt: new Date(t) },
  );
  await deliverWebhook(hook(), [NEW_SECRET], resolved);
  await waitUntil(
    () => incidentRow(incidentId),
    (r) => r?.status === 'resolved',
  );
  return t;
}

async function pagedIncident(feature: 'ai-support-bot' | 'ai-search-summaries' = 'ai-support-bot') {
  const fp = `wh-${++n}`;
  await resolveAll(feature);
  await postAlert(ctx.app, 'generic', genericAlert(fp, feature));
  const [row] = await waitUntil(
    () => ctx.database.query('SELECT * FROM incident WHERE title LIKE $1', [`%(${fp})%`]),
    (rows) => rows[0]?.slack_ts != null,
  );
  const pd = ctx.fakes.pd.state.incidents.find((i) => i.id === row?.pd_incident_id) as FakeIncident;
  return { pd, row: row as Record<string, unknown> & { id: string; slack_ts: string } };
}

const counts = async () =>
  (
    await ctx.database.query(
      "SELECT (SELECT count(*)::int FROM pagerduty_webhook) AS hooks, (SELECT count(*)::int FROM inbound_payload WHERE kind = 'pagerduty') AS payloads",
    )
  )[0];

const incidentRow = async (id: string) =>
  (await ctx.database.query('SELECT * FROM incident WHERE id = $1', [id]))[0];

async function resolveAll(feature: string) {
  await ctx.database.query(
    "UPDATE incident SET status = 'resolved', open_key = NULL WHERE feature_key = $1",
    [feature],
  );
}

describe('signature', () => {
  it('accepts either secret during rotation and rejects missing, wrong or tampered signatures with 401, writing nothing', async () => {
    const { pd } = await pagedIncident();
    const payload = webhookPayload('incident.annotated', pd, { agent: JANE, note: 'looking' });
    const before = await counts();
    const body = JSON.stringify(payload);
    const bad = [
      await fetch(hook(), { method: 'POST', headers: { 'content-type': 'application/json' }, body }),
      await deliverWebhook(hook(), ['not-our-secret'], payload),
      // Signed over the original body, delivered with a changed one.
      await fetch(hook(), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-pagerduty-signature': signatureHeader([NEW_SECRET], body),
        },
        body: body.replace('looking', 'tampered'),
      }),
    ];
    expect(bad.map((r) => r.status)).toEqual([401, 401, 401]);
    expect(await counts()).toEqual(before);
    expect((await deliverWebhook(hook(), [OLD_SECRET], payload)).status).toBe(202);
    expect(
      (await deliverWebhook(hook(), ['stale-secret', NEW_SECRET], webhookPayload('incident.annotated', pd)))
        .status,
    ).toBe(202);
  });
});

describe('acknowledged from the PagerDuty app', () => {
  it('updates the same Slack message with who, how, when and how long after the page, and the timeline', async () => {
    const { pd, row } = await pagedIncident();
    const pagedAt = row.paged_at as Date;
    const ackAt = new Date(pagedAt.getTime() + 4 * 60_000);
    const res = await deliverWebhook(
      hook(),
      [NEW_SECRET],
      webhookPayload('incident.acknowledged', pd, {
        agent: JANE,
        client: 'PagerDuty Mobile',
        occurredAt: ackAt,
      }),
    );
    expect(res.status).toBe(202);
    const message = await ctx.fakes.slack.waitForMessage(
      (m) => m.ts === row.slack_ts && m.text.includes('Acknowledged by Jane Doe'),
    );
    expect(message.text).toContain('from the PagerDuty app');
    expect(message.text).toContain('4 min after the page');
    expect(message.edits.length).toBeGreaterThan(0);
    const updated = await incidentRow(row.id);
    expect(updated).toMatchObject({ status: 'acknowledged', acknowledged_by: 'Jane Doe' });
    const timeline = await ctx.database.query(
      "SELECT kind, actor FROM timeline_entry WHERE incident_id = $1 AND kind LIKE 'pagerduty.%'",
      [row.id],
    );
    expect(timeline).toEqual([{ kind: 'pagerduty.acknowledged', actor: 'Jane Doe' }]);
  });
});

describe('duplicates and order', () => {
  it('processes a redelivered webhook (same X-Webhook-Id) once', async () => {
    const { pd, row } = await pagedIncident();
    const payload = webhookPayload('incident.annotated', pd, { agent: SAM, note: 'checking the prompt' });
    const first = await deliverWebhook(hook(), [NEW_SECRET], payload, { webhookId: 'dup-1' });
    const second = await deliverWebhook(hook(), [NEW_SECRET], payload, { webhookId: 'dup-1' });
    expect([await first.json(), await second.json()]).toEqual([
      { status: 'accepted' },
      { status: 'duplicate' },
    ]);
    await waitUntil(
      () => ctx.database.query("SELECT processed_at FROM pagerduty_webhook WHERE webhook_id = 'dup-1'"),
      (rows) => rows[0]?.processed_at != null,
    );
    const notes = await ctx.database.query(
      "SELECT count(*)::int AS n FROM timeline_entry WHERE incident_id = $1 AND kind = 'pagerduty.annotated'",
      [row.id],
    );
    expect(notes[0]?.n).toBe(1);
  });

  it('never moves the state backwards: an acknowledgement arriving after the resolve is recorded but ignored', async () => {
    const { pd, row } = await pagedIncident('ai-search-summaries');
    const t = await resolvedByWebhook(pd, row.id);
    await deliverWebhook(
      hook(),
      [NEW_SECRET],
      webhookPayload('incident.acknowledged', pd, { agent: JANE, occurredAt: new Date(t - 30_000) }),
      { webhookId: 'late-ack' },
    );
    await waitUntil(
      () => ctx.database.query("SELECT outcome FROM pagerduty_webhook WHERE webhook_id = 'late-ack'"),
      (rows) => rows[0]?.outcome != null,
    );
    expect(await incidentRow(row.id)).toMatchObject({ status: 'resolved', open_key: null });
    const message = await ctx.fakes.slack.waitForMessage(
      (m) => m.ts === row.slack_ts && m.text.includes('resolved'),
    );
    expect(JSON.stringify(message.blocks)).not.toContain('incident_acknowledge');
  });

  it('nothing leaves resolved: a newer acknowledge, unacknowledge or reassign after the resolve changes nothing', async () => {
    const { pd, row } = await pagedIncident('ai-search-summaries');
    const t = await resolvedByWebhook(pd, row.id);
    await waitForQueueIdle(ctx);
    const before = await incidentRow(row.id);
    const from = ctx.fakes.slack.state.calls.length;
    // Stamped after the resolve, so the staleness check alone would let each through.
    const late = [
      webhookPayload('incident.acknowledged', pd, { agent: SAM, occurredAt: new Date(t + 10_000) }),
      webhookPayload(
        'incident.unacknowledged',
        { ...pd, status: 'triggered' },
        { occurredAt: new Date(t + 20_000) },
      ),
      webhookPayload(
        'incident.reassigned',
        { ...pd, status: 'triggered' },
        { agent: JANE, assignee: SAM, occurredAt: new Date(t + 30_000) },
      ),
    ];
    for (const [i, payload] of late.entries()) {
      const res = await deliverWebhook(hook(), [NEW_SECRET], payload, { webhookId: `after-resolve-${i}` });
      expect(res.status).toBe(202);
    }
    const outcomes = await waitUntil(
      () =>
        ctx.database.query(
          "SELECT outcome FROM pagerduty_webhook WHERE webhook_id LIKE 'after-resolve-%' ORDER BY webhook_id",
        ),
      (rows) => rows.length === 3 && rows.every((r) => r.outcome != null),
    );
    expect(outcomes.map((r) => r.outcome)).toEqual(['stale', 'stale', 'stale']);
    await waitForQueueIdle(ctx);
    const after = await incidentRow(row.id);
    expect(after).toMatchObject({ status: 'resolved', open_key: null, acknowledged_by: null });
    expect(after).toEqual(before);
    // Nothing re-posted or edited back to open: no Slack call for this incident since.
    const since = ctx.fakes.slack.state.calls
      .slice(from)
      .filter(
        (c) =>
          c.method.startsWith('chat.') &&
          (c.args.ts === row.slack_ts || c.args.channel === row.slack_channel),
      );
    expect(since).toEqual([]);
    const [message] = ctx.fakes.slack.controls
      .messagesIn(String(row.slack_channel))
      .filter((m) => m.ts === row.slack_ts);
    expect(message?.text).toContain('resolved');
    expect(JSON.stringify(message?.blocks)).not.toContain('incident_acknowledge');
  });

  it('names the new person after an escalation, with their Slack mention', async () => {
    const { pd, row } = await pagedIncident();
    await deliverWebhook(hook(), [NEW_SECRET], webhookPayload('incident.escalated', pd, { assignee: SAM }));
    const message = await ctx.fakes.slack.waitForMessage(
      (m) => m.ts === row.slack_ts && m.text.includes('Sam Lee'),
    );
    expect(JSON.stringify(message.blocks)).toContain('Escalated to *Sam Lee* (<@U0SAM>)');
  });
});

describe('events Failsafe does not act on', () => {
  it('stores unknown event types and events for foreign incidents, answers 202 and changes nothing', async () => {
    const { pd } = await pagedIncident();
    const foreign = { ...pd, id: 'PFOREIGN' };
    const a = await deliverWebhook(
      hook(),
      [NEW_SECRET],
      webhookPayload('incident.acknowledged', foreign, { agent: JANE }),
      { webhookId: 'foreign-1' },
    );
    const b = await deliverWebhook(
      hook(),
      [NEW_SECRET],
      webhookPayload('incident.conference_bridge.updated', pd),
      { webhookId: 'unknown-1' },
    );
    expect([a.status, b.status]).toEqual([202, 202]);
    const rows = await waitUntil(
      () =>
        ctx.database.query(
          "SELECT webhook_id, outcome FROM pagerduty_webhook WHERE webhook_id IN ('foreign-1', 'unknown-1') ORDER BY webhook_id",
        ),
      (r) => r.every((x) => x.outcome != null) && r.length === 2,
    );
    expect(rows).toEqual([
      { webhook_id: 'foreign-1', outcome: 'not_ours' },
      { webhook_id: 'unknown-1', outcome: 'ignored' },
    ]);
  });
});
