// Catching up on an incident channel after downtime: what was said while no replica ran is
// read back through conversations.history (paginated, through a 429) without duplicating what
// live capture already recorded; and two replicas given the same event record it once.
import { describe, expect, it } from 'vitest';
import type { Running } from '../../../src/runtime.ts';
import { startApp, useRunningApp } from '../../support/harness.ts';
import { sendSlackRequest, TEST_SIGNING_SECRET } from '../../support/slack-request.ts';
import { waitUntil } from '../../support/wait.ts';
import { incidentCommand } from './helpers.ts';

const ctx = useRunningApp();

const messages = (incidentId: string) =>
  ctx.database.query<{ text: string; ts: string }>(
    "SELECT text, data->>'ts' AS ts FROM timeline_entry WHERE incident_id = $1 AND kind = 'slack.message' ORDER BY at, (data->>'ts')::numeric",
    [incidentId],
  );

async function openChannel(): Promise<{ id: string; channel: string }> {
  ctx.fakes.slack.controls.setEventTarget(`${ctx.app.url}/slack/events`, TEST_SIGNING_SECRET);
  await incidentCommand(ctx, 'ai-support-bot Refund answers invent policies', 'U0JANE');
  const [row] = await waitUntil(
    () =>
      ctx.database.query<{ id: string; channel_id: string | null }>(
        "SELECT id, channel_id FROM incident WHERE feature_key = 'ai-support-bot'",
      ),
    (rows) => rows[0]?.channel_id != null,
  );
  return { id: row?.id as string, channel: row?.channel_id as string };
}

describe('backfill after downtime', () => {
  it('records every missed message once, through pagination and a 429', async () => {
    const { id, channel } = await openChannel();
    await ctx.fakes.slack.controls.userSays(channel, 'U0JANE', 'live before the outage');
    await waitUntil(
      () => messages(id),
      (rows) => rows.length === 1,
    );
    await ctx.app.stop();
    for (let i = 0; i < 250; i++)
      ctx.fakes.slack.controls.seedMessage(channel, { user: 'U0SAM', text: `while down ${i}` });
    ctx.fakes.slack.controls.failNext(1, {
      status: 429,
      retryAfterSeconds: 1,
      method: 'conversations.history',
    });
    let second: Running | undefined;
    try {
      second = await startApp(ctx.database.url, ctx.fakes);
      const rows = await waitUntil(
        () => messages(id),
        (r) => r.length === 251,
        { timeoutMs: 30_000 },
      );
      expect(new Set(rows.map((r) => r.ts)).size).toBe(251);
      expect(rows[0]?.text).toBe('live before the outage');
      expect(rows.at(-1)?.text).toBe('while down 249');
      const history = ctx.fakes.slack.state.calls.filter((c) => c.method === 'conversations.history');
      expect(history[0]?.response?.status).toBe(429);
      // 250 messages at Failsafe's page size of 200: two pages after the rate-limited try.
      expect(history.filter((c) => c.response?.status === 200).length).toBeGreaterThanOrEqual(2);
      // A second catch-up (another restart) reads only what is newer, and adds nothing.
      await second.stop();
      second = await startApp(ctx.database.url, ctx.fakes);
      const before = ctx.fakes.slack.state.calls.filter((c) => c.method === 'conversations.history').length;
      await waitUntil(
        async () => ctx.fakes.slack.state.calls.filter((c) => c.method === 'conversations.history').length,
        (n) => n > before,
      );
      expect(await messages(id)).toHaveLength(251);
    } finally {
      await second?.stop();
    }
  });
});

describe('two replicas', () => {
  it('record an event delivered to both once', async () => {
    const [first, other] = await Promise.all([
      startApp(ctx.database.url, ctx.fakes),
      startApp(ctx.database.url, ctx.fakes),
    ]);
    try {
      const [row] = await ctx.database.query<{ id: string; channel_id: string }>(
        "SELECT id, channel_id FROM incident WHERE feature_key = 'ai-support-bot'",
      );
      // The replicas' start-up backfill must be over first: one still reading the channel can
      // record the message before live capture stores its event_id, and the count below ran
      // before that insert (seen with four files at a time on 2 cores).
      await waitUntil(
        () =>
          ctx.database.query(
            "SELECT 1 FROM pgboss.job WHERE name = 'channel-backfill' AND state IN ('created', 'retry', 'active')",
          ),
        (pending) => pending.length === 0,
        { what: 'the start-up backfills to finish' },
      );
      ctx.fakes.slack.controls.setEventTarget(`${first.url}/slack/events`, TEST_SIGNING_SECRET);
      const said = await ctx.fakes.slack.controls.userSays(
        row?.channel_id as string,
        'U0JANE',
        'seen by both replicas',
      );
      const answer = await sendSlackRequest(`${other.url}/slack/events`, said.delivery?.body as string);
      expect(answer.status).toBe(200);
      await waitUntil(
        () => messages(row?.id as string),
        (rows) => rows.some((r) => r.text === 'seen by both replicas'),
      );
      const rows = await messages(row?.id as string);
      expect(rows.filter((r) => r.text === 'seen by both replicas')).toHaveLength(1);
      const events = await ctx.database.query('SELECT event_id FROM slack_event WHERE event_id = $1', [
        said.delivery?.eventId,
      ]);
      expect(events).toHaveLength(1);
    } finally {
      await Promise.all([first.stop(), other.stop()]);
    }
  });
});
