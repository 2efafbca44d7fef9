// Replays: a request Failsafe already acted on, sent again with valid signatures, changes
// nothing. PagerDuty webhooks are keyed on the signed event.id (not the unsigned X-Webhook-Id)
// and late reassign/priority events never undo newer ones; a signed Slack command or click
// re-sent within Slack's 5-minute window is acked and dropped; and two clicks on one message
// escalate once, because the effect is keyed on the level asked for, not the level it changes.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.ts';
import type { FakeIncident } from '../../src/sandbox/fakes/pagerduty-incidents.ts';
import { JANE, SAM } from '../../src/sandbox/fakes/pagerduty-roster.ts';
import { deliverWebhook, webhookPayload } from '../../src/sandbox/fakes/pagerduty-webhooks.ts';
import { genericAlert, postAlert, useRunningApp } from '../support/harness.ts';
import { postsIn } from '../support/slack.ts';
import {
  blockActionBody,
  signedHeaders,
  slashCommandBody,
  TEST_SIGNING_SECRET,
} from '../support/slack-request.ts';
import { waitUntil } from '../support/wait.ts';

const SECRET = 'whsec-replay-0123456789abcdef';
const logLines: string[] = [];
const ctx = useRunningApp({
  extra: { PAGERDUTY_WEBHOOK_SECRETS: SECRET },
  runtime: {
    logger: createLogger({ level: 'info', destination: { write: (l: string) => logLines.push(l) } }),
  },
});
/** How many replays of `kind` the app has logged as dropped. */
const dropped = (kind: string) =>
  logLines.filter((l) => l.includes('replayed Slack request dropped') && l.includes(`"kind":"${kind}"`))
    .length;
const hook = () => `${ctx.app.url}/webhooks/pagerduty`;
const slackUrl = () => `${ctx.app.url}/slack/events`;

let n = 0;
async function pagedIncident() {
  const fp = `replay-${++n}`;
  await ctx.database.query("UPDATE incident SET status = 'resolved', open_key = NULL");
  await postAlert(ctx.app, 'generic', genericAlert(fp));
  const [row] = await waitUntil(
    () => ctx.database.query('SELECT * FROM incident WHERE title LIKE $1', [`%(${fp})%`]),
    (rows) => rows[0]?.slack_ts != null,
  );
  const pd = ctx.fakes.pd.state.incidents.find((i) => i.id === row?.pd_incident_id) as FakeIncident;
  return {
    pd,
    row: row as Record<string, unknown> & { id: string; slack_ts: string; pd_incident_id: string },
  };
}

const incidentRow = async (id: string) =>
  (await ctx.database.query('SELECT * FROM incident WHERE id = $1', [id]))[0] as Record<string, unknown>;

/** Waits until the delivery of `eventId` has been applied (or judged stale). */
const processed = (eventId: string) =>
  waitUntil(
    () => ctx.database.query('SELECT outcome FROM pagerduty_webhook WHERE event_id = $1', [eventId]),
    (rows) => rows[0]?.outcome != null,
    { what: `PagerDuty event ${eventId} to be processed` },
  ).then((rows) => rows[0]?.outcome);

/**
 * Sends the signed request, waits for its effect, then sends exactly the same bytes and
 * headers again, as someone who captured it would; resolves once the replay has either been
 * dropped or had `replayed` happen.
 */
async function sendThenReplay(
  body: string,
  effect: () => Promise<unknown>,
  replay: { kind: string; happened: () => Promise<boolean> },
): Promise<number[]> {
  const headers = signedHeaders(TEST_SIGNING_SECRET, body);
  const first = await fetch(slackUrl(), { method: 'POST', headers, body });
  await first.arrayBuffer();
  await effect();
  const before = dropped(replay.kind);
  const second = await fetch(slackUrl(), { method: 'POST', headers, body });
  await second.arrayBuffer();
  await waitUntil(
    async () => dropped(replay.kind) > before || (await replay.happened()),
    (done) => done,
    { what: 'the replay to be dropped or to take effect' },
  );
  return [first.status, second.status];
}

describe('PagerDuty webhooks', () => {
  it('applies one event.id once, whatever X-Webhook-Id it is re-sent under', async () => {
    const { pd, row } = await pagedIncident();
    const payload = webhookPayload('incident.annotated', pd, { agent: SAM, note: 'looking at it' });
    const answers = [];
    for (const webhookId of ['first-delivery', 'attacker-1', 'attacker-2']) {
      const res = await deliverWebhook(hook(), [SECRET], payload, { webhookId });
      answers.push(await res.json());
    }
    expect(answers).toEqual([{ status: 'accepted' }, { status: 'duplicate' }, { status: 'duplicate' }]);
    await processed(payload.event.id);
    const notes = await ctx.database.query(
      "SELECT count(*)::int AS n FROM timeline_entry WHERE incident_id = $1 AND kind = 'pagerduty.annotated'",
      [row.id],
    );
    expect(notes[0]?.n).toBe(1);
  });

  it('does not move the assignee back for an older reassign, re-sent or arriving late', async () => {
    const { pd, row } = await pagedIncident();
    const t = Date.now();
    const toSam = webhookPayload('incident.reassigned', pd, { assignee: SAM, occurredAt: new Date(t) });
    const toJane = webhookPayload('incident.reassigned', pd, {
      assignee: JANE,
      occurredAt: new Date(t + 60_000),
    });
    await deliverWebhook(hook(), [SECRET], toSam);
    expect(await processed(toSam.event.id)).toBe('applied');
    await deliverWebhook(hook(), [SECRET], toJane);
    expect(await processed(toJane.event.id)).toBe('applied');
    expect(await incidentRow(row.id)).toMatchObject({ assignee_name: 'Jane Doe' });

    // The captured older event, validly signed, under a new X-Webhook-Id.
    const replay = await deliverWebhook(hook(), [SECRET], toSam, { webhookId: randomUUID() });
    expect(await replay.json()).toEqual({ status: 'duplicate' });
    // A different event (its own id) that happened before the last reassign, delivered after it.
    const late = webhookPayload('incident.reassigned', pd, {
      assignee: SAM,
      occurredAt: new Date(t + 30_000),
    });
    await deliverWebhook(hook(), [SECRET], late);
    expect(await processed(late.event.id)).toBe('stale');
    expect(await incidentRow(row.id)).toMatchObject({
      assignee_name: 'Jane Doe',
      assigned_via: 'reassigned',
    });
  });

  it('ignores a priority event older than the last priority change', async () => {
    const { pd, row } = await pagedIncident();
    const t = Date.now();
    const p1 = webhookPayload('incident.priority_updated', pd, { priority: 'P1', occurredAt: new Date(t) });
    const p3 = webhookPayload('incident.priority_updated', pd, {
      priority: 'P3',
      occurredAt: new Date(t - 60_000),
    });
    await deliverWebhook(hook(), [SECRET], p1);
    expect(await processed(p1.event.id)).toBe('applied');
    await deliverWebhook(hook(), [SECRET], p3);
    expect(await processed(p3.event.id)).toBe('stale');
    expect(await incidentRow(row.id)).toMatchObject({ priority: 'P1' });
  });
});

describe('signed Slack requests sent twice', () => {
  it('records one budget override and announces it once', async () => {
    const reason = `replayed-${randomUUID().slice(0, 8)}`;
    const responseUrl = ctx.fakes.slack.controls.responseUrl();
    const body = slashCommandBody({
      command: '/ai-budget',
      text: `override ai-support-bot ${reason}`,
      user_id: 'U0SAM',
      channel_id: 'C0ALERTS',
      response_url: responseUrl,
    });
    const overrides = () => ctx.database.query('SELECT id FROM budget_override WHERE reason = $1', [reason]);
    const statuses = await sendThenReplay(
      body,
      () =>
        waitUntil(
          async () => postsIn(ctx, 'C0ALERTS', reason),
          (posts) => posts.length > 0,
          { what: 'the override announcement' },
        ),
      { kind: 'command', happened: async () => (await overrides()).length > 1 },
    );
    expect(statuses).toEqual([200, 200]);
    // The replay is dropped before any listener runs: one row, one post, one reply.
    expect(await overrides()).toHaveLength(1);
    expect(postsIn(ctx, 'C0ALERTS', reason)).toHaveLength(1);
    expect(
      ctx.fakes.slack.state.responses.filter((r) => r.path === new URL(responseUrl).pathname),
    ).toHaveLength(1);
  });

  it('escalates once for a replayed Escalate click', async () => {
    const { row } = await pagedIncident();
    const puts = () =>
      ctx.fakes.pd.state.requests.filter(
        (r) => r.method === 'PUT' && r.path === `/incidents/${row.pd_incident_id}`,
      );
    const responseUrl = ctx.fakes.slack.controls.responseUrl();
    const body = blockActionBody({
      action_id: 'incident_escalate',
      value: escalateValue(row.slack_ts),
      user_id: 'U0JANE',
      message: { ts: row.slack_ts },
      response_url: responseUrl,
    });
    const statuses = await sendThenReplay(
      body,
      () => ctx.fakes.slack.waitForResponse((r) => r.path === new URL(responseUrl).pathname),
      { kind: 'block_actions', happened: async () => puts().length > 1 },
    );
    expect(statuses).toEqual([200, 200]);
    expect(puts()).toHaveLength(1);
    expect(await incidentRow(row.id)).toMatchObject({ escalation_level: 2 });
  });

  it('escalates once for two different clicks on the same message', async () => {
    const { row } = await pagedIncident();
    const puts = () =>
      ctx.fakes.pd.state.requests.filter(
        (r) => r.method === 'PUT' && r.path === `/incidents/${row.pd_incident_id}`,
      );
    const value = escalateValue(row.slack_ts);
    expect(value).toBe(`${row.id}@1`);
    const click = async (user: string) => {
      const responseUrl = ctx.fakes.slack.controls.responseUrl();
      const body = blockActionBody({
        action_id: 'incident_escalate',
        value,
        user_id: user,
        message: { ts: row.slack_ts },
        response_url: responseUrl,
      });
      const res = await fetch(slackUrl(), {
        method: 'POST',
        headers: signedHeaders(TEST_SIGNING_SECRET, body),
        body,
      });
      expect(res.status).toBe(200);
      const reply = await ctx.fakes.slack.waitForResponse((r) => r.path === new URL(responseUrl).pathname);
      return String((reply.body as { text?: string }).text);
    };
    const first = await click('U0JANE');
    expect(first).toContain('Escalated');
    // Sam saw the same message (level 1) and clicked after Jane's escalation went through.
    const second = await click('U0SAM');
    expect(second).toContain('Already escalated');
    expect(puts()).toHaveLength(1);
    expect(await incidentRow(row.id)).toMatchObject({ escalation_level: 2 });
  });
});

/** The Escalate button's value as posted in the incident message the person sees. */
function escalateValue(ts: string): string {
  const message = ctx.fakes.slack.controls.messagesIn('C0ALERTS').find((m) => m.ts === ts);
  const button = JSON.stringify(message?.blocks ?? []).match(
    /"action_id":"incident_escalate","value":"([^"]+)"/,
  );
  if (!button?.[1]) throw new Error('no Escalate button in the incident message');
  return button[1];
}
