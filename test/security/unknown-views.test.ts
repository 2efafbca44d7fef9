// A correctly signed Slack request for something Failsafe never sent — a modal it never opened,
// metadata that is not ours, a button with a value it never wrote — gets a clear answer and
// changes nothing; never a 500.
import { describe, expect, it } from 'vitest';
import { useRunningApp } from '../support/harness.ts';
import { blockActionBody, sendSlackRequest, viewSubmissionBody } from '../support/slack-request.ts';

const ctx = useRunningApp();
const send = (body: string) => sendSlackRequest(`${ctx.app.url}/slack/events`, body);
const rows = async () =>
  (
    await ctx.database.query<{ n: string }>(
      'SELECT (SELECT count(*) FROM stakeholder_update) + (SELECT count(*) FROM flag_operation) AS n',
    )
  )[0]?.n;

describe('signed requests for what Failsafe never sent', () => {
  it.each([
    ['an update form it never opened', 'ai_update_post', ''],
    ['an update form with metadata that is not ours', 'ai_update_post', '{"feature":1}'],
    [
      'an update form naming an incident id that is not a uuid',
      'ai_update_post',
      '{"feature":"ai-support-bot","incidentId":"1 OR 1=1","user":"U0JANE","channel":"C0ALERTS"}',
    ],
    ['a kill form with broken JSON', 'ai_kill_confirm', '{'],
    [
      'a restore-now form for an unknown feature',
      'ai_kill_restore_now',
      '{"feature":"nope","user":"U0JANE","channel":"C0ALERTS"}',
    ],
  ])('answers %s with a form error, not a 500', async (_what, callback_id, private_metadata) => {
    const res = await send(
      viewSubmissionBody({
        view: {
          id: `V${Math.random().toString(36).slice(2, 10).toUpperCase()}`,
          callback_id,
          private_metadata,
        },
        values: { update_text: { update_text_input: 'x' }, reason: { reason_input: 'x' } },
        user_id: 'U0JANE',
      }),
    );
    expect(res.status).toBe(200);
    const text = await res.text();
    if (text) expect(JSON.parse(text)).toMatchObject({ response_action: 'errors' });
    expect(await rows()).toBe('0');
  });

  it('answers a button whose value Failsafe never wrote, privately, and changes nothing', async () => {
    const responseUrl = ctx.fakes.slack.controls.responseUrl();
    const res = await send(
      blockActionBody({
        action_id: 'incident_acknowledge',
        value: "not-an-id'; --",
        user_id: 'U0JANE',
        message: { ts: '1700000000.000100' },
        response_url: responseUrl,
      }),
    );
    expect(res.status).toBe(200);
    const reply = await ctx.fakes.slack.waitForResponse((p) => p.path === new URL(responseUrl).pathname);
    expect((reply.body as { text?: string }).text).toBe(
      'This button is not on a Failsafe incident message, so nothing was changed.',
    );
    expect(ctx.fakes.pd.state.requests.filter((r) => r.method === 'PUT')).toEqual([]);
  });
});
