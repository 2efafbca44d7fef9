// The pinned incident summary is kept current: after a stakeholder update, an acknowledgement,
// `/ai-incident mitigated` and `cause`, the pinned message itself (fake Slack's pins and
// history) shows the new facts; a burst of changes is at most one edit per 2 s window.
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rootCauseLabel } from '../../../src/capabilities/incident-channel/command.ts';
import { loadCatalog } from '../../../src/config/catalog.ts';
import { formatTime } from '../../../src/kernel/slack-text.ts';
import type { FakeIncident } from '../../../src/sandbox/fakes/pagerduty-incidents.ts';
import { ANA, JANE } from '../../../src/sandbox/fakes/pagerduty-roster.ts';
import { deliverWebhook, webhookPayload } from '../../../src/sandbox/fakes/pagerduty-webhooks.ts';
import { EXAMPLE_CATALOG, useRunningApp } from '../../support/harness.ts';
import { waitForQueueIdle } from '../../support/queue.ts';
import { lastView } from '../../support/slack.ts';
import { blockActionBody, sendSlackRequest } from '../../support/slack-request.ts';
import { waitUntil } from '../../support/wait.ts';
import { prefilled, submitUpdate, updateCommand } from '../stakeholder-updates/helpers.ts';
import { incidentCommand } from './helpers.ts';

const SECRET = 'whsec-pinned-0123456789abcdef';
const FEATURE = 'ai-search-summaries';
/** The feature's owner, also first on call in the fake roster: may change the incident. */
const OWNER = 'U0ANA';

const ctx = useRunningApp({ extra: { PAGERDUTY_WEBHOOK_SECRETS: SECRET } });

interface Opened {
  id: string;
  number: number;
  channel: string;
  /** The pinned summary's ts. */
  ts: string;
  pd: FakeIncident;
}
let incident: Opened;

const row = async () =>
  (
    await ctx.database.query<{ status: string; next_update_at: Date | null; root_cause: string | null }>(
      'SELECT status, next_update_at, root_cause FROM incident WHERE id = $1',
      [incident.id],
    )
  )[0];

/** The pinned message's text as Slack holds it now. */
const pinnedText = () => {
  const pins = [...(ctx.fakes.slack.state.pins.get(incident.channel) ?? [])];
  expect(pins).toEqual([incident.ts]);
  return ctx.fakes.slack.controls.messagesIn(incident.channel).find((m) => m.ts === incident.ts)?.text ?? '';
};

/** Waits for the pinned summary to say `what` (the edit runs after its 2 s window). */
const pinnedSays = (what: string | RegExp) =>
  waitUntil(
    async () => pinnedText(),
    (text) => (typeof what === 'string' ? text.includes(what) : what.test(text)),
    { what: `the pinned summary to say ${what}`, timeoutMs: 15_000 },
  );

/** Every chat.update request the fake received for the pinned summary, 429s included. */
const summaryEdits = () =>
  ctx.fakes.slack.state.calls.filter((c) => c.method === 'chat.update' && c.args.ts === incident.ts).length;

/** How many root-cause changes the timeline has recorded for the incident. */
const causesSet = async () =>
  (
    await ctx.database.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM timeline_entry WHERE incident_id = $1 AND kind = 'incident.root_cause'",
      [incident.id],
    )
  )[0]?.n ?? 0;

beforeAll(async () => {
  await incidentCommand(ctx, `${FEATURE} sev1 Summaries cite retired documents`, OWNER);
  const [opened] = await waitUntil(
    () =>
      ctx.database.query<{ id: string; number: number; channel_id: string; pd_incident_id: string }>(
        'SELECT id, number, channel_id, pd_incident_id FROM incident WHERE feature_key = $1 AND channel_id IS NOT NULL',
        [FEATURE],
      ),
    (rows) => rows.length === 1,
    { what: 'the declared incident and its channel' },
  );
  if (!opened) throw new Error('unreachable');
  const pins = await waitUntil(
    async () => [...(ctx.fakes.slack.state.pins.get(opened.channel_id) ?? [])],
    (p) => p.length === 1,
    { what: 'the pinned summary' },
  );
  const pd = ctx.fakes.pd.state.incidents.find((i) => i.id === opened.pd_incident_id);
  if (!pd) throw new Error('the declared incident was paged');
  incident = { id: opened.id, number: opened.number, channel: opened.channel_id, ts: pins[0] as string, pd };
  await waitForQueueIdle(ctx);
  expect(pinnedText()).toContain('Next stakeholder update: none scheduled');
  expect(pinnedText()).toContain('State: *TRIGGERED*');
});

describe('the pinned incident summary', () => {
  // An edit still queued from the test before would show this test's change without its hook.
  beforeEach(() => waitForQueueIdle(ctx));

  it('shows when the next stakeholder update is due once an /ai-update is posted', async () => {
    expect(await updateCommand(ctx, '', incident.channel, OWNER)).toBeNull();
    const view = lastView(ctx);
    expect((await submitUpdate(ctx, view, prefilled(view), OWNER)).status).toBe(200);
    const due = await waitUntil(row, (r) => r?.next_update_at != null, { what: 'the promised update' });
    const zone = (await loadCatalog(EXAMPLE_CATALOG)).features.find((f) => f.key === FEATURE)?.slack
      .timeZone as string;
    const text = await pinnedSays(
      `Next stakeholder update: due ${formatTime(due?.next_update_at as Date, zone)}`,
    );
    expect(text).not.toContain('none scheduled');
  });

  it('shows who has it after PagerDuty reports a reassign', async () => {
    const reassign = webhookPayload('incident.reassigned', incident.pd, { agent: ANA, assignee: JANE });
    expect((await deliverWebhook(`${ctx.app.url}/webhooks/pagerduty`, [SECRET], reassign)).status).toBe(202);
    await pinnedSays('On call: Jane Doe (<@U0JANE>)');
  });

  it('shows the acknowledgement made with the Acknowledge button', async () => {
    const [message] = await ctx.database.query<{ slack_ts: string }>(
      'SELECT slack_ts FROM incident WHERE id = $1',
      [incident.id],
    );
    const responseUrl = ctx.fakes.slack.controls.responseUrl();
    const body = blockActionBody({
      action_id: 'incident_acknowledge',
      value: incident.id,
      user_id: OWNER,
      message: { ts: message?.slack_ts as string },
      response_url: responseUrl,
    });
    expect((await sendSlackRequest(`${ctx.app.url}/slack/events`, body)).status).toBe(200);
    const reply = await ctx.fakes.slack.waitForResponse((r) => r.path === new URL(responseUrl).pathname);
    expect(JSON.stringify(reply.body)).toContain('Acknowledged');
    await pinnedSays('State: *ACKNOWLEDGED*');
  });

  it('shows /ai-incident mitigated and the root-cause bin', async () => {
    await incidentCommand(ctx, 'mitigated', OWNER, incident.channel);
    await pinnedSays('State: *MITIGATED*');
    await incidentCommand(ctx, 'cause data', OWNER, incident.channel);
    const text = await pinnedSays('Root cause: Data');
    expect(text).not.toContain('/ai-incident cause data|code');
  });

  it('edits at most twice for a burst of 10 changes within 2 s, and ends on the last state', async () => {
    const before = summaryEdits();
    const causesBefore = await causesSet();
    const bins = ['code', 'prompt', 'config', 'process', 'data'];
    const started = Date.now();
    for (let i = 0; i < 10; i++) await incidentCommand(ctx, `cause ${bins[i % 5]}`, OWNER, incident.channel);
    // The premise: all ten inside 2 s, so they span at most two windows.
    expect(Date.now() - started).toBeLessThan(2_000);
    await waitUntil(causesSet, (n) => n === causesBefore + 10, { what: 'the ten root-cause changes' });
    await waitForQueueIdle(ctx);
    const edits = summaryEdits() - before;
    expect(edits).toBeGreaterThanOrEqual(1);
    expect(edits).toBeLessThanOrEqual(2);
    const cause = (await row())?.root_cause as string;
    expect(pinnedText()).toContain(`Root cause: ${rootCauseLabel(cause)}`);
  });
});
