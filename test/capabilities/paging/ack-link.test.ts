// The one-tap ack link: the token on its own, then the page over real HTTP against a running
// Failsafe, real PostgreSQL and the fake Slack and PagerDuty.
import { beforeEach, describe, expect, it } from 'vitest';
import { sendPageDm } from '../../../src/capabilities/paging/ack-dm.ts';
import {
  ACK_LINK_TTL_MS,
  type AckClaims,
  ackLinkFor,
  signAckToken,
  verifyAckToken,
} from '../../../src/capabilities/paging/ack-link.ts';
import { testClock } from '../../support/clock.ts';
import { genericAlert, postAlert, useRunningApp } from '../../support/harness.ts';
import { postsIn } from '../../support/slack.ts';
import { TEST_SIGNING_SECRET } from '../../support/slack-request.ts';
import { waitUntil } from '../../support/wait.ts';

const NOW = new Date('2026-11-02T03:00:00Z');
const CLAIMS: AckClaims = {
  incidentId: '019a4a4e-7a1c-7d2e-9c3b-5f6a7b8c9d0e',
  pdUserId: 'PUSER1',
  name: 'Jane Doe',
  email: 'jane@example.com',
  expiresAt: new Date(NOW.getTime() + ACK_LINK_TTL_MS),
};

/** Flips one character in the middle of `part` (0 = payload, 1 = signature) of a token. */
function flip(token: string, part: 0 | 1): string {
  const parts = token.split('.') as [string, string];
  const s = parts[part];
  const i = Math.floor(s.length / 2);
  parts[part] = `${s.slice(0, i)}${s[i] === 'A' ? 'B' : 'A'}${s.slice(i + 1)}`;
  return parts.join('.');
}

describe('ack token', () => {
  it('round-trips the incident, the person and the expiry', () => {
    const token = signAckToken(TEST_SIGNING_SECRET, CLAIMS);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    const check = verifyAckToken(TEST_SIGNING_SECRET, token, NOW);
    expect(check).toEqual({ ok: true, claims: CLAIMS });
  });

  it('refuses a changed signature or payload as tampered', () => {
    const token = signAckToken(TEST_SIGNING_SECRET, CLAIMS);
    expect(verifyAckToken(TEST_SIGNING_SECRET, flip(token, 1), NOW)).toEqual({
      ok: false,
      problem: 'tampered',
    });
    expect(verifyAckToken(TEST_SIGNING_SECRET, flip(token, 0), NOW)).toEqual({
      ok: false,
      problem: 'tampered',
    });
    // Someone else's incident, with this token's signature.
    const other = signAckToken(TEST_SIGNING_SECRET, { ...CLAIMS, pdUserId: 'PUSER2' }).split('.')[0];
    const swapped = `${other}.${token.split('.')[1]}`;
    expect(verifyAckToken(TEST_SIGNING_SECRET, swapped, NOW)).toEqual({ ok: false, problem: 'tampered' });
  });

  it('refuses a token signed under another key', () => {
    const token = signAckToken('another-signing-secret-0123456789', CLAIMS);
    expect(verifyAckToken(TEST_SIGNING_SECRET, token, NOW)).toEqual({ ok: false, problem: 'tampered' });
    expect(verifyAckToken('', token, NOW)).toEqual({ ok: false, problem: 'tampered' });
  });

  it('expires 24 h after it was issued, by the clock it is given', () => {
    const token = signAckToken(TEST_SIGNING_SECRET, CLAIMS);
    const justBefore = new Date(CLAIMS.expiresAt.getTime() - 1_000);
    expect(verifyAckToken(TEST_SIGNING_SECRET, token, justBefore).ok).toBe(true);
    expect(verifyAckToken(TEST_SIGNING_SECRET, token, CLAIMS.expiresAt)).toEqual({
      ok: false,
      problem: 'expired',
    });
  });

  it('calls anything that is not a token malformed', () => {
    for (const junk of ['', 'nonsense', 'a.b', '.', `x.${'A'.repeat(44)}`, `${'A'.repeat(2000)}.x`]) {
      expect(verifyAckToken(TEST_SIGNING_SECRET, junk, NOW)).toEqual({ ok: false, problem: 'malformed' });
    }
  });

  it('gives a link only for a known, paged person while the incident is open and within 24 h', () => {
    const deps = {
      config: { publicUrl: 'https://failsafe.example.com', slack: { signingSecret: 'k' } },
      clock: testClock(NOW),
    };
    const incident = {
      id: CLAIMS.incidentId,
      status: 'triggered',
      pagedAt: NOW,
      assigneePdId: 'PUSER1',
      assigneeName: 'Jane Doe',
      assigneeEmail: 'jane@example.com',
    };
    const link = ackLinkFor(deps as never, incident);
    expect(link).toMatch(/^https:\/\/failsafe\.example\.com\/ack\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(ackLinkFor(deps as never, incident)).toBe(link);
    expect(ackLinkFor(deps as never, { ...incident, assigneePdId: null })).toBeNull();
    expect(ackLinkFor(deps as never, { ...incident, status: 'resolved' })).toBeNull();
    expect(
      ackLinkFor(deps as never, { ...incident, pagedAt: new Date(NOW.getTime() - ACK_LINK_TTL_MS) }),
    ).toBeNull();
  });
});

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
    const message = await running.fakes.slack.waitForMessage((m) => m.ts === incident.slack_ts);
    const url = /<(http[^|>]+\/ack\/[^|>]+)\|Acknowledge from your phone>/.exec(
      JSON.stringify(message.blocks),
    )?.[1];
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

  it('puts the link in the Slack message and DMs it to the paged person once', async () => {
    expect(link).toMatch(/\/ack\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    const path = new URL(link).pathname;
    const dm = await running.fakes.slack.waitForMessage(
      (m) => m.channel === 'DU0JANE' && m.text.includes(path),
    );
    expect(dm.text).toContain('Acknowledge from your phone');
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
    expect(html).toMatch(/<a class="back" href="[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}">/);
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

  it('answers an expired link with 410 and a tampered or malformed one with 403 or 400', async () => {
    const claims = {
      incidentId: incident.id,
      pdUserId: 'PUSER1',
      name: 'Jane Doe',
      email: 'jane@example.com',
    };
    const expired = signAckToken(TEST_SIGNING_SECRET, { ...claims, expiresAt: new Date(Date.now() - 1_000) });
    const got = await fetch(`${running.app.url}/ack/${expired}`);
    expect(got.status).toBe(410);
    expect(await got.text()).toContain('This link has expired');
    const token = new URL(link).pathname.split('/').pop() as string;
    const { cookie, csrf } = await open();
    expect((await tap('acknowledge', { cookie, csrf }, `${running.app.url}/ack/${expired}`)).status).toBe(
      410,
    );
    expect((await fetch(`${running.app.url}/ack/${flip(token, 1)}`)).status).toBe(403);
    expect(
      (await tap('acknowledge', { cookie, csrf }, `${running.app.url}/ack/${flip(token, 0)}`)).status,
    ).toBe(403);
    const malformed = await fetch(`${running.app.url}/ack/not-a-token`);
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).toContain('This link is not valid');
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
