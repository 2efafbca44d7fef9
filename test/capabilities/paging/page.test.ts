import { describe, expect, it } from 'vitest';
import { genericAlert, postAlert, useRunningApp } from '../../support/harness.ts';
import { waitUntil } from '../../support/wait.ts';

const ctx = useRunningApp();

describe('an alert becomes a page for a named person', () => {
  it('creates one PagerDuty incident and one Slack message naming who was paged', async () => {
    const res = await postAlert(ctx.app, 'generic', genericAlert('fp-1'));
    expect(res.status).toBe(202);
    const incident = await ctx.fakes.pd.nextIncident();
    expect(incident.title).toContain('Hallucinated refunds');
    const message = await ctx.fakes.slack.waitForMessage((m) => m.channel === 'C0ALERTS');
    expect(message.text).toContain('Paged Jane Doe');
    expect(JSON.stringify(message.blocks)).toContain('<@U0JANE>');
    const [row] = await waitUntil(
      () => ctx.database.query('SELECT number, assignee_name, page_state, slack_ts FROM incident'),
      (rows) => rows[0]?.slack_ts != null,
    );
    expect(row).toMatchObject({ assignee_name: 'Jane Doe', page_state: 'sent', slack_ts: message.ts });
    // One number in both apps: PagerDuty's incident carries ours, as the Slack message shows it.
    expect(incident.title).toMatch(new RegExp(`^#${row?.number} \\[critical\\] AI support bot: `));
    expect(JSON.stringify(message.blocks)).toContain(`*Incident*\\n#${row?.number}`);
  });
});
