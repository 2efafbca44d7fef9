// Slack → PagerDuty: the buttons act in PagerDuty as the person who clicked.
import { beforeEach, describe, expect, it } from 'vitest';
import { genericAlert, postAlert, useRunningApp } from '../../support/harness.ts';
import { blockActionBody, sendSlackRequest } from '../../support/slack-request.ts';
import { waitUntil } from '../../support/wait.ts';

let incident: { id: string; slack_ts: string; pd_incident_id: string };
let n = 0;

const ctx = useRunningApp();
beforeEach(async () => {
  await ctx.database.query("UPDATE incident SET status = 'resolved', open_key = NULL");
  const fp = `click-${++n}`;
  await postAlert(ctx.app, 'generic', genericAlert(fp));
  const [row] = await waitUntil(
    () =>
      ctx.database.query('SELECT id, slack_ts, pd_incident_id FROM incident WHERE title LIKE $1', [
        `%(${fp})%`,
      ]),
    (rows) => rows[0]?.slack_ts != null,
  );
  incident = row as typeof incident;
});

async function click(actionId: string, userId: string) {
  const responseUrl = ctx.fakes.slack.controls.responseUrl();
  const body = blockActionBody({
    action_id: actionId,
    value: incident.id,
    user_id: userId,
    message: { ts: incident.slack_ts },
    response_url: responseUrl,
  });
  const res = await sendSlackRequest(`${ctx.app.url}/slack/events`, body);
  expect(res.status).toBe(200);
  const reply = await ctx.fakes.slack.waitForResponse((p) => p.path === new URL(responseUrl).pathname);
  return String((reply.body as { text?: string }).text);
}

const pdPuts = () =>
  ctx.fakes.pd.state.requests.filter(
    (r) => r.method === 'PUT' && r.path === `/incidents/${incident.pd_incident_id}`,
  );
const row = async () => (await ctx.database.query('SELECT * FROM incident WHERE id = $1', [incident.id]))[0];

describe('Acknowledge button', () => {
  it('acknowledges in PagerDuty as the clicker and updates the message in place', async () => {
    const text = await click('incident_acknowledge', 'U0SAM');
    expect(text).toContain('Acknowledged');
    expect(pdPuts()).toHaveLength(1);
    expect(pdPuts()[0]?.headers.from).toBe('sam@example.com');
    expect(await row()).toMatchObject({
      status: 'acknowledged',
      acknowledged_by: 'Sam Lee',
      acknowledged_via: 'Slack',
      pending_action: null,
    });
    const message = await ctx.fakes.slack.waitForMessage(
      (m) => m.ts === incident.slack_ts && m.text.includes('Acknowledged by Sam Lee from Slack'),
    );
    expect(message.edits.some((e) => JSON.stringify(e).includes('Acknowledging for Sam Lee'))).toBe(true);
  });

  it('makes one PagerDuty call for a double click', async () => {
    const texts = await Promise.all([
      click('incident_acknowledge', 'U0JANE'),
      click('incident_acknowledge', 'U0JANE'),
    ]);
    expect(pdPuts()).toHaveLength(1);
    expect(texts.filter((t) => t.startsWith('Acknowledged by') || t === 'Acknowledged.')).toHaveLength(1);
  });

  it('tells a Slack user without a PagerDuty account, and changes nothing', async () => {
    // Pat may act (the incident's lead) but has no PagerDuty account to act as.
    await ctx.database.query("UPDATE incident SET lead_slack_id = 'U0PAT' WHERE id = $1", [incident.id]);
    const text = await click('incident_acknowledge', 'U0PAT');
    expect(text).toContain('no PagerDuty account');
    expect(text).toContain('pat@example.com');
    expect(pdPuts()).toHaveLength(0);
    expect((await row())?.status).toBe('triggered');
  });

  it('refuses someone who is not the lead, owner, on call, admin or in the incident, and changes nothing', async () => {
    const text = await click('incident_acknowledge', 'U0PAT');
    expect(text).toBe(
      'You may not act on the page of `ai-support-bot`. Ask the owner <@U0JANE>, whoever is on call for it, <!subteam^S0ADMINS>. Nothing was changed.',
    );
    expect(pdPuts()).toHaveLength(0);
    expect((await row())?.status).toBe('triggered');
  });

  it('reports a PagerDuty failure to the clicker and leaves the state unchanged', async () => {
    ctx.fakes.pd.failNext(1, { status: 503 });
    const text = await click('incident_acknowledge', 'U0JANE');
    expect(text).toContain('PagerDuty did not accept');
    expect(await row()).toMatchObject({ status: 'triggered', pending_action: null });
  });
});

describe('Escalate and Resolve buttons', () => {
  it('escalates to the next level and names the new person with a mention', async () => {
    const text = await click('incident_escalate', 'U0JANE');
    expect(text).toContain('Escalated');
    expect(text).toContain('Sam Lee');
    expect(await row()).toMatchObject({
      escalation_level: 2,
      assignee_name: 'Sam Lee',
      assignee_slack_id: 'U0SAM',
    });
    await ctx.fakes.slack.waitForMessage(
      (m) =>
        m.ts === incident.slack_ts && JSON.stringify(m.blocks).includes('Escalated to *Sam Lee* (<@U0SAM>)'),
    );
  });

  it('answers a click at the last level privately, and sends PagerDuty no level beyond it', async () => {
    await click('incident_escalate', 'U0JANE');
    const from = ctx.fakes.slack.state.calls.length;
    const text = await click('incident_escalate', 'U0JANE');
    expect(text).toMatch(
      /^Incident #\d+ is at the last level of its escalation policy \(level 2\); nobody further to page\.$/,
    );
    expect(pdPuts().map((r) => JSON.stringify(r.body))).toEqual([
      JSON.stringify({ incident: { type: 'incident_reference', escalation_level: 2 } }),
    ]);
    expect(await row()).toMatchObject({
      escalation_level: 2,
      assignee_name: 'Sam Lee',
      pending_action: null,
    });
    // Privately: only through the click's response_url, nothing posted to the channel.
    // (The DM giving Sam, the new assignee, their own link may land meanwhile: that is not the channel.)
    const posts = ctx.fakes.slack.state.calls
      .slice(from)
      .filter((c) => c.method === 'chat.postMessage' && c.args.channel === 'C0ALERTS');
    expect(posts).toEqual([]);
  });

  it('resolves, closes the incident for new alerts and removes the buttons', async () => {
    await click('incident_resolve', 'U0JANE');
    expect(await row()).toMatchObject({ status: 'resolved', open_key: null });
    const message = await ctx.fakes.slack.waitForMessage(
      (m) => m.ts === incident.slack_ts && m.text.includes('resolved'),
    );
    expect(JSON.stringify(message.blocks)).not.toContain('incident_resolve');
  });
});
