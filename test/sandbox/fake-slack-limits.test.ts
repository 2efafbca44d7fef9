// The fake Slack refuses what Slack refuses: Block Kit limits, ephemeral messages to
// non-members, private channels the bot is not in, a response_url past 5 uses or 30 minutes,
// and every method's rate-limit tier. A kinder fake would let these reach production.
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeSlack, type FakeSlackOptions, startFakeSlack } from '../../src/sandbox/fakes/slack.ts';
import { SLACK_RATE_LIMITS } from '../../src/sandbox/fakes/slack-throttle.ts';
import { newTriggerId } from '../support/slack-request.ts';

let fake: FakeSlack | undefined;
let now = 1_000_000;
async function start(options: FakeSlackOptions = {}) {
  now = 1_000_000;
  fake = await startFakeSlack({ now: () => now, ...options });
  return fake;
}
afterEach(() => fake?.close());

type Body = { ok: boolean; error?: string } & Record<string, unknown>;
async function api(f: FakeSlack, method: string, args: Record<string, unknown>) {
  const response = await fetch(`${f.url}${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${f.token}`, 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(args),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Body };
}

const text = (t: string) => ({ type: 'mrkdwn', text: t });
const button = (label: string, i = 0) => ({
  type: 'button',
  action_id: `a${i}`,
  text: { type: 'plain_text', text: label },
});

describe('fake Slack Block Kit limits', () => {
  const cases: Array<[string, unknown[]]> = [
    ['a 3,001-character section', [{ type: 'section', text: text('x'.repeat(3001)) }]],
    ['11 section fields', [{ type: 'section', fields: Array.from({ length: 11 }, () => text('f')) }]],
    [
      '26 buttons in one actions block',
      [{ type: 'actions', elements: Array.from({ length: 26 }, (_, i) => button('b', i)) }],
    ],
    ['a 76-character button label', [{ type: 'actions', elements: [button('x'.repeat(76))] }]],
    ['a 151-character header', [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }]],
    ['51 blocks', Array.from({ length: 51 }, () => ({ type: 'divider' }))],
  ];
  for (const [name, blocks] of cases) {
    it(`refuses ${name} with invalid_blocks and stores nothing`, async () => {
      const f = await start();
      const { body } = await api(f, 'chat.postMessage', { channel: 'C0ALERTS', text: 'fallback', blocks });
      expect(body).toMatchObject({ ok: false, error: 'invalid_blocks' });
      expect(f.controls.messagesIn('C0ALERTS')).toHaveLength(0);
    });
  }

  it('takes blocks at the limits', async () => {
    const f = await start();
    const blocks = [
      { type: 'section', text: text('x'.repeat(3000)), fields: Array.from({ length: 10 }, () => text('f')) },
      { type: 'actions', elements: Array.from({ length: 25 }, (_, i) => button('y'.repeat(75), i)) },
    ];
    const { body } = await api(f, 'chat.postMessage', { channel: 'C0ALERTS', text: 'fallback', blocks });
    expect(body.ok).toBe(true);
  });

  it('refuses a modal whose title is longer than 24 characters', async () => {
    const f = await start();
    const view = { type: 'modal', title: { type: 'plain_text', text: 't'.repeat(25) }, blocks: [] };
    const { body } = await api(f, 'views.open', { trigger_id: newTriggerId(), view });
    expect(body).toMatchObject({ ok: false, error: 'invalid_arguments' });
  });
});

describe('fake Slack membership', () => {
  it('refuses an ephemeral message to someone not in the channel', async () => {
    const f = await start();
    f.controls.addChannel('C0OTHER');
    const { body } = await api(f, 'chat.postEphemeral', { channel: 'C0OTHER', user: 'U0JANE', text: 'hi' });
    expect(body).toMatchObject({ ok: false, error: 'user_not_in_channel' });
    expect(f.state.ephemeral).toHaveLength(0);
  });

  it('cannot post in a private channel the bot is not in (chat:write.public covers public ones)', async () => {
    const f = await start();
    f.controls.addChannel('G0SECRET', { isPrivate: true, members: ['U0JANE'] });
    f.controls.addChannel('C0PUBLIC', { members: ['U0JANE'] });
    const hidden = await api(f, 'chat.postMessage', { channel: 'G0SECRET', text: 'hi' });
    expect(hidden.body).toMatchObject({ ok: false, error: 'channel_not_found' });
    const open = await api(f, 'chat.postMessage', { channel: 'C0PUBLIC', text: 'hi' });
    expect(open.body.ok).toBe(true);
  });
});

describe('fake Slack response_url', () => {
  const post = (url: string, body: unknown) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('takes 5 posts, then answers 404 used_url', async () => {
    const f = await start();
    const url = f.controls.responseUrl();
    for (let i = 0; i < 5; i++) expect((await post(url, { text: `r${i}` })).status).toBe(200);
    const sixth = await post(url, { text: 'r5' });
    expect([sixth.status, ((await sixth.json()) as Body).error]).toEqual([404, 'used_url']);
    expect(f.state.responses).toHaveLength(5);
  });

  it('expires 30 minutes after it was issued', async () => {
    const f = await start();
    const url = f.controls.responseUrl();
    now += 30 * 60_000 + 1;
    const late = await post(url, { text: 'late' });
    expect([late.status, ((await late.json()) as Body).error]).toEqual([404, 'expired_url']);
    expect(f.state.responses).toHaveLength(0);
  });
});

describe('fake Slack rate-limit tiers', () => {
  it('answers the 51st chat.update in a minute with 429 and Retry-After, and takes it after the minute', async () => {
    const f = await start({ rateLimits: SLACK_RATE_LIMITS });
    const posted = await api(f, 'chat.postMessage', { channel: 'C0ALERTS', text: 'm' });
    const update = () => api(f, 'chat.update', { channel: 'C0ALERTS', ts: posted.body.ts, text: 'u' });
    for (let i = 0; i < 50; i++) expect((await update()).body.ok).toBe(true);
    const limited = await update();
    expect([limited.status, limited.body.error, limited.headers.get('retry-after')]).toEqual([
      429,
      'ratelimited',
      '60',
    ]);
    now += 60_000;
    expect((await update()).body.ok).toBe(true);
  });

  it('holds chat.postMessage to about one a second per channel, with a short burst', async () => {
    const f = await start({ rateLimits: SLACK_RATE_LIMITS });
    const results = [];
    for (let i = 0; i < 6; i++)
      results.push((await api(f, 'chat.postMessage', { channel: 'C0ALERTS', text: `m${i}` })).status);
    expect(results).toEqual([200, 200, 200, 200, 200, 429]);
    expect((await api(f, 'chat.postMessage', { channel: 'C0STAKE', text: 'other' })).status).toBe(200);
  });
});

describe('fake Slack message timestamps', () => {
  it('are the Unix time of the post, strictly increasing within one microsecond', async () => {
    const f = await start();
    now = Date.parse('2026-12-03T09:15:00Z');
    const a = await api(f, 'chat.postMessage', { channel: 'C0ALERTS', text: 'one' });
    const b = await api(f, 'chat.postMessage', { channel: 'C0ALERTS', text: 'two' });
    expect(a.body.ts).toBe(`${now / 1000}.000000`);
    expect(b.body.ts).toBe(`${now / 1000}.000001`);
    now += 2_500;
    const c = await api(f, 'chat.postMessage', { channel: 'C0ALERTS', text: 'three' });
    expect(c.body.ts).toBe(`${(now - 500) / 1000}.500000`);
  });
});
