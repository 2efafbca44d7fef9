// Issue 12, item 5: the one-tap link goes by DM only, its token is opaque and stored as a
// hash, the page names whom it was sent to, and a reassign or an escalation ends it for them.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { JANE, SAM } from '../../src/sandbox/fakes/pagerduty-roster.ts';
import { deliverWebhook, webhookPayload } from '../../src/sandbox/fakes/pagerduty-webhooks.ts';
import { genericAlert, postAlert, useRunningApp } from '../support/harness.ts';
import { waitUntil } from '../support/wait.ts';

const SECRET = 'whsec-ack-link-0123456789';
const ctx = useRunningApp({ extra: { PAGERDUTY_WEBHOOK_SECRETS: SECRET } });

let n = 0;
/** Pages a fresh incident; returns our row, the fake's incident, and the link from Jane's DM. */
async function pagedIncident() {
  const fp = `sec-ack-${++n}`;
  await ctx.database.query("UPDATE incident SET status = 'resolved', open_key = NULL");
  await postAlert(ctx.app, 'generic', genericAlert(fp, 'ai-support-bot'));
  const [row] = await waitUntil(
    () => ctx.database.query('SELECT * FROM incident WHERE title LIKE $1', [`%(${fp})%`]),
    (rows) => rows[0]?.slack_ts != null,
  );
  const incident = row as { id: string; slack_ts: string; slack_channel: string; pd_incident_id: string };
  const dm = await ctx.fakes.slack.waitForMessage((m) => m.channel === 'DU0JANE' && m.text.includes(fp));
  const pd = ctx.fakes.pd.state.incidents.find((i) => i.id === incident.pd_incident_id);
  return { incident, dm, pd: pd as NonNullable<typeof pd>, link: local(linkIn(dm.text)) };
}

const linkIn = (text: string) => /<(https?:[^|>]+\/ack\/[^|>]+)\|/.exec(text)?.[1] ?? 'http://missing/';
/** The public URL is not this test server's: keep the path, swap the origin. */
const local = (url: string) => `${ctx.app.url}${new URL(url).pathname}`;
const tokenOf = (link: string) => new URL(link).pathname.split('/').pop() as string;

describe('where the link goes', () => {
  it('is in the paged person DM and nowhere in the channel message, its text or its edits', async () => {
    const { incident, dm, link } = await pagedIncident();
    expect(dm.text).toContain('/ack/');
    const token = tokenOf(link);
    // Every post and edit of the channel message, as Slack received them (the refresh after
    // the post included).
    const calls = await waitUntil(
      async () =>
        ctx.fakes.slack.state.calls.filter(
          (c) =>
            ['chat.postMessage', 'chat.update'].includes(c.method) &&
            c.args.channel === incident.slack_channel,
        ),
      (cs) => cs.some((c) => c.method === 'chat.update'),
    );
    for (const call of calls) {
      const all = JSON.stringify(call.args);
      expect(all).toContain(incident.id);
      expect(all).not.toContain('/ack/');
      expect(all).not.toContain(token);
    }
  });
});

describe('the token', () => {
  it('is 32 random bytes that read as nothing personal, and only its SHA-256 is stored', async () => {
    const { incident, link } = await pagedIncident();
    const token = tokenOf(link);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const decoded = Buffer.from(token, 'base64url');
    expect(decoded).toHaveLength(32);
    for (const personal of [JANE.email, JANE.id, JANE.name, 'jane', 'Jane', incident.id]) {
      expect(decoded.toString('latin1')).not.toContain(personal);
      expect(decoded.toString('utf8')).not.toContain(personal);
      expect(link).not.toContain(personal);
    }
    const rows = await ctx.database.query('SELECT * FROM ack_link WHERE incident_id = $1', [incident.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      token_hash: createHash('sha256').update(token).digest('hex'),
      pd_user_id: JANE.id,
      display_name: JANE.name,
      revoked_at: null,
    });
    expect(JSON.stringify(rows)).not.toContain(token);
  });
});

describe('the page', () => {
  it('names the person it was sent to on its buttons', async () => {
    const { link } = await pagedIncident();
    const res = await fetch(link);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('>Acknowledge as Jane Doe</button>');
    expect(html).toContain('>Resolve as Jane Doe</button>');
  });
});

describe('after a reassign', () => {
  it('answers the old link with 410 naming both people, acts for no one, and DMs the new person a link that works', async () => {
    const { incident, pd, link } = await pagedIncident();
    const page = await fetch(link);
    const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
    const cookie = (page.headers.getSetCookie()[0] ?? '').split(';')[0] as string;

    const event = webhookPayload('incident.reassigned', pd, { assignee: SAM, agent: JANE });
    expect((await deliverWebhook(`${ctx.app.url}/webhooks/pagerduty`, [SECRET], event)).status).toBe(202);
    const samDm = await ctx.fakes.slack.waitForMessage(
      (m) => m.channel === 'DU0SAM' && m.text.includes('/ack/') && m.text.includes('Acknowledge as Sam Lee'),
    );

    const old = await fetch(link);
    expect(old.status).toBe(410);
    expect(await old.text()).toContain(
      'This page was for Jane Doe; the incident is now assigned to Sam Lee, who has their own link in Slack',
    );
    const tap = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams({ action: 'acknowledge', csrf }),
      redirect: 'manual',
    });
    expect(tap.status).toBe(410);
    const puts = ctx.fakes.pd.state.requests.filter(
      (r) => r.method === 'PUT' && r.path === `/incidents/${incident.pd_incident_id}`,
    );
    expect(puts).toHaveLength(0);
    const stored = await ctx.database.query(
      'SELECT pd_user_id, revoked_at FROM ack_link WHERE incident_id = $1 ORDER BY created_at',
      [incident.id],
    );
    expect(stored.map((r) => [r.pd_user_id, r.revoked_at !== null])).toEqual([
      [JANE.id, true],
      [SAM.id, false],
    ]);

    const samLink = local(linkIn(samDm.text));
    const samPage = await fetch(samLink);
    expect(samPage.status).toBe(200);
    expect(await samPage.text()).toContain('Acknowledge as Sam Lee');
  });
});
