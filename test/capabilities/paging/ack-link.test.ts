// The one-tap ack link: the page over real HTTP against a running Failsafe, real PostgreSQL
// and the fake Slack and PagerDuty. The link comes from the paged person's DM, its only home.
import { beforeEach, describe, expect, it } from 'vitest';
import { sendPageDm } from '../../../src/capabilities/paging/ack-dm.ts';
import { hashAckToken } from '../../../src/capabilities/paging/ack-link.ts';
import { genericAlert, postAlert, useRunningApp } from '../../support/harness.ts';
import { postsIn } from '../../support/slack.ts';
import { waitUntil } from '../../support/wait.ts';

/** Changes one character in the middle of a token: still well formed, never issued. */
function flip(token: string): string {
  const i = Math.floor(token.length / 2);
  return `${token.slice(0, i)}${token[i] === 'A' ? 'B' : 'A'}${token.slice(i + 1)}`;
}

describe('the ack page over HTTP', () => {
  const running = useRunningApp();
  let incident: { id: string; slack_ts: string; pd_incident_id: string; paged_at: Date };
  let link: string;
  let n = 0;

  beforeEach(async () => {
    await running.database.query("UPDATE incident SET status = 'resolved', open_key = NULL");
    const fp = `phone-${++n}`;
    await postAlert(
      running.app,
      'generic',
      genericAlert(fp, 'ai-support-bot', { summary: `<b>Refunds</b> & "more" (${fp})` }),
    );
    const [row] = await waitUntil(
      () => running.database.query('SELECT * FROM incident WHERE title LIKE $1', [`%(${fp})%`]),
      (rows) => rows[0]?.slack_ts != null,
    );
    incident = row as typeof incident;
    const dm = await running.fakes.slack.waitForMessage(
      (m) => m.channel === 'DU0JANE' && m.text.includes(`(${fp})`),
    );
    const url = /<(http[^|>]+\/ack\/[^|>]+)\|Acknowledge as Jane Doe from your phone>/.exec(dm.text)?.[1];
    // The public URL is not this test server's: keep the path, swap the origin.
    link = `${running.app.url}${new URL(url ?? 'http://missing/').pathname}`;
  });

  const pdPuts = () =>
    running.fakes.pd.state.requests.filter(
      (r) => r.method === 'PUT' && r.path === `/incidents/${incident.pd_incident_id}`,
    );
  const snapshot = async () => ({
    incident: (await running.database.query('SELECT * FROM incident WHERE id = $1', [incident.id]))[0],
    timeline: (
      await running.database.query('SELECT count(*)::int AS n FROM timeline_entry WHERE incident_id = $1', [
        incident.id,
      ])
    )[0],
  });

  async function open(url = link) {
    const res = await fetch(url);
    const html = await res.text();
    const cookie = res.headers.getSetCookie()[0] ?? '';
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    return { res, html, cookie, csrf };
  }

  function tap(action: string, fields: { cookie?: string; csrf?: string }, url = link) {
    const body = new URLSearchParams({ action, ...(fields.csrf ? { csrf: fields.csrf } : {}) });
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    if (fields.cookie) headers.cookie = fields.cookie.split(';')[0] as string;
    return fetch(url, { method: 'POST', headers, body, redirect: 'manual' });
  }

  it('DMs the link to the paged person once', async () => {
    expect(link).toMatch(/\/ack\/[A-Za-z0-9_-]{43}$/);
    const path = new URL(link).pathname;
    // The DM is visible a moment before its effect is marked done; a second send comes after.
    await waitUntil(
      () =>
        running.database.query<{ done: Date | null }>(
          "SELECT done_at AS done FROM outbound_effect WHERE key LIKE 'page-dm:%'",
        ),
      (rows) => rows[0]?.done != null,
    );
    await sendPageDm(running.app.deps, incident.id);
    const dms = postsIn(running, 'DU0JANE', path);
    expect(dms).toHaveLength(1);
  });

  it('shows the incident on GET, sets the CSRF cookie, and changes nothing', async () => {
    const before = await snapshot();
    const { res, html, cookie, csrf } = await open();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(html).toContain('AI support bot');
    expect(html).toContain('&lt;b&gt;Refunds&lt;/b&gt; &amp; &quot;more&quot;');
    expect(html).not.toContain('<b>Refunds');
    expect(html).toMatch(/critical/);
    expect(html).toContain('Jane Doe');
    expect(html).toMatch(/Opened<\/dt><dd>\d{4}-\d\d-\d\d \d\d:\d\d (GMT|BST)/);
    expect(html).toContain('value="acknowledge"');
    expect(cookie).toMatch(new RegExp(`^failsafe_ack_csrf=${csrf}; Path=/ack; HttpOnly; SameSite=Strict$`));
    expect(await snapshot()).toEqual(before);
    expect(pdPuts()).toHaveLength(0);
  });

  it('refuses a POST without the CSRF cookie or with a different one, and changes nothing', async () => {
    const { cookie, csrf } = await open();
    const before = await snapshot();
    expect((await tap('acknowledge', { csrf })).status).toBe(403);
    expect((await tap('acknowledge', { cookie })).status).toBe(403);
    const other = (await open()).csrf;
    const wrong = await tap('acknowledge', { cookie, csrf: other });
    expect(wrong.status).toBe(403);
    expect(await wrong.text()).toContain('nothing was changed');
    expect(await snapshot()).toEqual(before);
    expect(pdPuts()).toHaveLength(0);
  });

  it('acknowledges in PagerDuty as the person and updates the Slack message', async () => {
    const { cookie, csrf } = await open();
    const res = await tap('acknowledge', { cookie, csrf });
    expect(res.status).toBe(303);
    const token = new URL(link).pathname.split('/').pop();
    expect(res.headers.get('location')).toBe(`${token}?done=acknowledge`);
    expect(pdPuts()).toHaveLength(1);
    expect(pdPuts()[0]?.headers.from).toBe('jane@example.com');
    expect(JSON.stringify(pdPuts()[0]?.body)).toContain('"status":"acknowledged"');
    expect((await snapshot()).incident).toMatchObject({
      status: 'acknowledged',
      acknowledged_by: 'Jane Doe',
      acknowledged_via: 'the one-tap link',
    });
    const result = await open(new URL(res.headers.get('location') ?? '', link).toString());
    expect(result.html).toContain('Acknowledged by Jane Doe from the one-tap link at');
    expect(result.html).not.toContain('value="acknowledge"');
    await running.fakes.slack.waitForMessage(
      (m) => m.ts === incident.slack_ts && m.text.includes('Acknowledged by Jane Doe from the one-tap link'),
    );
  });

  it('says so when PagerDuty fails, changes nothing, and offers the way back', async () => {
    const { cookie, csrf } = await open();
    running.fakes.pd.failNext(1, { status: 503 });
    const res = await tap('acknowledge', { cookie, csrf });
    expect(res.status).toBe(502);
    const html = await res.text();
    expect(html).toContain('Not acknowledged');
    expect(html).toContain('PagerDuty did not accept');
    expect(html).toMatch(/<a class="back" href="[A-Za-z0-9_-]{43}">/);
    expect((await snapshot()).incident).toMatchObject({ status: 'triggered', pending_action: null });
  });

  it('resolves, then answers a replay with 410 and calls PagerDuty once', async () => {
    const { cookie, csrf } = await open();
    const res = await tap('resolve', { cookie, csrf });
    expect(res.status).toBe(303);
    const done = await fetch(new URL(res.headers.get('location') ?? '', link));
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Resolved');
    const replay = await tap('resolve', { cookie, csrf });
    expect(replay.status).toBe(410);
    expect(await replay.text()).toContain('Already resolved');
    expect((await tap('acknowledge', { cookie, csrf })).status).toBe(410);
    expect((await fetch(link)).status).toBe(410);
    expect(pdPuts()).toHaveLength(1);
    await running.fakes.slack.waitForMessage(
      (m) => m.ts === incident.slack_ts && m.text.includes('resolved'),
    );
  });

  it('answers an expired link with 410 and an unknown or malformed one with 403 or 400', async () => {
    const token = new URL(link).pathname.split('/').pop() as string;
    const { cookie, csrf } = await open();
    expect((await fetch(`${running.app.url}/ack/${flip(token)}`)).status).toBe(403);
    expect((await tap('acknowledge', { cookie, csrf }, `${running.app.url}/ack/${flip(token)}`)).status).toBe(
      403,
    );
    const malformed = await fetch(`${running.app.url}/ack/not-a-token`);
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).toContain('This link is not valid');
    await running.database.query(
      "UPDATE ack_link SET expires_at = now() - interval '1 second' WHERE token_hash = $1",
      [hashAckToken(token)],
    );
    const got = await fetch(link);
    expect(got.status).toBe(410);
    expect(await got.text()).toContain('This link has expired');
    expect((await tap('acknowledge', { cookie, csrf })).status).toBe(410);
    expect(pdPuts()).toHaveLength(0);
  });

  it('takes only a small urlencoded form', async () => {
    const { cookie, csrf } = await open();
    const headers = { cookie: cookie.split(';')[0] as string };
    const json = await fetch(link, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(json.status).toBe(415);
    const big = new URLSearchParams({ action: 'acknowledge', csrf, pad: 'x'.repeat(5_000) });
    const large = await fetch(link, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: big,
    });
    expect(large.status).toBe(413);
    expect((await tap('delete', { cookie, csrf })).status).toBe(400);
    expect(pdPuts()).toHaveLength(0);
  });
});
