import { verifySlackRequest, webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/adapters/http.ts';
import { createSlackApi, type SlackApi, SlackApiError } from '../../src/adapters/slack.ts';
import { type FakeSlack, type FakeSlackOptions, startFakeSlack } from '../../src/sandbox/fakes/slack.ts';
import { testClock } from '../support/clock.ts';
import { blockActionBody, signedHeaders, slashCommandBody } from '../support/slack-request.ts';

let fake: FakeSlack;
let slack: SlackApi;

async function start(options: FakeSlackOptions = {}) {
  await fake?.close();
  fake = await startFakeSlack(options);
  slack = createSlackApi({ baseUrl: fake.url, token: fake.token, timeoutMs: 2000 });
}

async function failure(promise: Promise<unknown>): Promise<SlackApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SlackApiError);
  expect(error).toBeInstanceOf(UpstreamError);
  return error as SlackApiError;
}

beforeEach(() => start());
afterEach(() => fake.close());

describe('Slack adapter against the fake Web API', () => {
  it('posts a message and updates it in place', async () => {
    const posted = await slack.postMessage({
      effectKey: 'test',
      channel: 'C0ALERTS',
      text: 'Paged Jane Doe',
      unfurl_links: false,
    });
    expect(posted.channel).toBe('C0ALERTS');
    expect(posted.ts).toMatch(/^\d{10}\.\d{6}$/);

    const blocks = [
      { type: 'section' as const, text: { type: 'mrkdwn' as const, text: '*Acknowledged* by Jane' } },
    ];
    const updated = await slack.updateMessage({ ...posted, text: 'Acknowledged by Jane', blocks });
    expect(updated).toEqual(posted);

    const [message, ...others] = fake.controls.messagesIn('C0ALERTS');
    expect(others).toEqual([]);
    expect(message).toMatchObject({ ts: posted.ts, text: 'Acknowledged by Jane', blocks });
    expect(message?.edits.map((edit) => edit.text)).toEqual(['Acknowledged by Jane']);

    const call = await fake.waitForCall('chat.postMessage');
    expect(call.contentType).toBe('application/json; charset=utf-8');
    // The effect key travels as message metadata, so a retry can find this message.
    expect(call.args).toEqual({
      channel: 'C0ALERTS',
      text: 'Paged Jane Doe',
      unfurl_links: false,
      metadata: { event_type: 'failsafe_effect', event_payload: { key: 'test' } },
    });
    expect(call.response?.body.warning).toBeUndefined();
  });

  it('keeps the previous blocks when an update sends only text, as Slack does', async () => {
    const blocks = [{ type: 'divider' as const }];
    const posted = await slack.postMessage({ effectKey: 'test', channel: 'C0ALERTS', text: 'one', blocks });
    await slack.updateMessage({ ...posted, text: 'two' });
    expect(fake.controls.messagesIn('C0ALERTS')[0]).toMatchObject({ text: 'two', blocks });
  });

  it('treats a missing or wrong token as a configuration error and never shows the token', async () => {
    const anonymous = createSlackApi({ baseUrl: fake.url });
    const notAuthed = await failure(
      anonymous.postMessage({ effectKey: 'test', channel: 'C0ALERTS', text: 'hi' }),
    );
    expect(notAuthed).toMatchObject({ kind: 'config', code: 'not_authed', method: 'chat.postMessage' });

    const secret = 'xoxb-wrong-token-123456';
    const wrong = createSlackApi({ baseUrl: fake.url, token: secret });
    const invalid = await failure(wrong.postMessage({ effectKey: 'test', channel: 'C0ALERTS', text: 'hi' }));
    expect(invalid).toMatchObject({ kind: 'config', code: 'invalid_auth' });
    expect(invalid.message).toContain('chat.postMessage');
    expect(invalid.message).toContain('invalid_auth');
    expect(invalid.message).not.toContain(secret);
    expect(JSON.stringify(invalid)).not.toContain(secret);
    expect(fake.controls.messagesIn('C0ALERTS')).toEqual([]);
  });

  it('classifies permission errors such as not_in_channel as configuration errors', async () => {
    fake.controls.failNext(1, { error: 'not_in_channel' });
    const error = await failure(slack.postMessage({ effectKey: 'test', channel: 'C0STAKE', text: 'update' }));
    expect(error).toMatchObject({ kind: 'config', code: 'not_in_channel' });
  });

  it('turns HTTP 429 into a retryable error carrying Retry-After', async () => {
    fake.controls.failNext(1, { status: 429, retryAfterSeconds: 7 });
    const error = await failure(slack.postMessage({ effectKey: 'test', channel: 'C0ALERTS', text: 'hi' }));
    expect(error).toMatchObject({ kind: 'retryable', status: 429, code: 'ratelimited', retryAfterMs: 7000 });
    await expect(
      slack.postMessage({ effectKey: 'test', channel: 'C0ALERTS', text: 'hi' }),
    ).resolves.toHaveProperty('ts');
  });

  it('treats a ratelimited error code as retryable', async () => {
    fake.controls.failNext(1, { error: 'ratelimited' });
    const error = await failure(slack.updateMessage({ channel: 'C0ALERTS', ts: '1.000001', text: 'x' }));
    expect(error).toMatchObject({ kind: 'retryable', code: 'ratelimited' });
  });

  it('enforces the per-channel message rate with 429 and Retry-After', async () => {
    const clock = testClock(1_000_000);
    await start({ rateLimits: { postsPerChannel: 1, windowMs: 1000, tiers: true }, now: () => clock.ms });
    await slack.postMessage({ effectKey: 'test', channel: 'C0ALERTS', text: 'first' });
    const limited = await failure(
      slack.postMessage({ effectKey: 'test', channel: 'C0ALERTS', text: 'second' }),
    );
    expect(limited).toMatchObject({ kind: 'retryable', status: 429, retryAfterMs: 1000 });
    await slack.postMessage({ effectKey: 'test', channel: 'C0STAKE', text: 'other channel is unaffected' });
    clock.advance(1000);
    await slack.postMessage({ effectKey: 'test', channel: 'C0ALERTS', text: 'second, later' });
    expect(fake.controls.messagesIn('C0ALERTS').map((m) => m.text)).toEqual(['first', 'second, later']);
  });

  it('treats internal_error and HTTP 5xx as retryable', async () => {
    fake.controls.failNext(1, { error: 'internal_error' });
    const platform = await failure(slack.postMessage({ effectKey: 'test', channel: 'C0ALERTS', text: 'hi' }));
    expect(platform).toMatchObject({ kind: 'retryable', code: 'internal_error' });

    fake.controls.failNext(1, { status: 503, error: 'service_unavailable' });
    const http = await failure(slack.openDm('U0JANE'));
    expect(http).toMatchObject({ kind: 'retryable', status: 503 });
  });

  it('treats channel_not_found and other request errors as invalid', async () => {
    await start({ acceptAnyChannel: false });
    const unknown = await failure(slack.postMessage({ effectKey: 'test', channel: 'C0NOWHERE', text: 'hi' }));
    expect(unknown).toMatchObject({ kind: 'invalid', code: 'channel_not_found' });
    expect(unknown.message).toContain('channel_not_found');

    const missing = await failure(
      slack.updateMessage({ channel: 'C0ALERTS', ts: '1700000000.999999', text: 'x' }),
    );
    expect(missing).toMatchObject({ kind: 'invalid', code: 'message_not_found' });
  });

  it('times out as a retryable error when Slack does not answer', async () => {
    const impatient = createSlackApi({ baseUrl: fake.url, token: fake.token, timeoutMs: 100 });
    fake.controls.failNext(1, { hang: true });
    const error = await impatient
      .postMessage({ effectKey: 'test', channel: 'C0ALERTS', text: 'hi' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ kind: 'retryable', status: undefined });
    expect((error as Error).message).toContain('no answer within 100 ms');
  });

  it('looks users up by email, returning null when there is none', async () => {
    await expect(slack.lookupUserByEmail('Jane@Example.com')).resolves.toEqual({
      id: 'U0JANE',
      name: 'jane',
      realName: 'Jane Doe',
      email: 'jane@example.com',
      tz: 'Europe/London',
    });
    await expect(slack.lookupUserByEmail('nobody@example.com')).resolves.toBeNull();
    const call = await fake.waitForCall('users.lookupByEmail');
    expect(call.contentType).toBe('application/x-www-form-urlencoded');
    expect(call.args).toEqual({ email: 'Jane@Example.com' });
  });

  it('says who the token is and the scopes Slack reports in x-oauth-scopes', async () => {
    await start({ scopes: ['chat:write', 'commands'] });
    await expect(slack.authTest()).resolves.toEqual({
      userId: 'U0FAILBOT',
      user: 'failsafe',
      teamId: 'T0FAILSAFE',
      team: 'Failsafe Test',
      botId: 'B0FAILBOT',
      scopes: ['chat:write', 'commands'],
    });
    const refused = createSlackApi({ baseUrl: fake.url, token: 'xoxb-wrong', timeoutMs: 2000 });
    expect((await failure(refused.authTest())).code).toBe('invalid_auth');
  });

  it('reads whether the bot is in a channel; a private one it is not in is null, as Slack hides it', async () => {
    fake.controls.addChannel('C0OUTSIDE', { name: 'outside', members: ['U0JANE'] });
    fake.controls.addChannel('C0HIDDEN', { name: 'hidden', isPrivate: true, members: ['U0JANE'] });
    await expect(slack.channelInfo('C0ALERTS')).resolves.toEqual({
      id: 'C0ALERTS',
      name: 'alerts',
      isPrivate: false,
      isMember: true,
    });
    await expect(slack.channelInfo('C0OUTSIDE')).resolves.toMatchObject({ name: 'outside', isMember: false });
    await expect(slack.channelInfo('C0HIDDEN')).resolves.toBeNull();
    expect(fake.state.calls.map((c) => c.method)).toEqual(Array(3).fill('conversations.info'));
  });

  it('reads user info, opens DMs and posts ephemeral messages', async () => {
    await expect(slack.usersInfo('U0SAM')).resolves.toEqual({
      id: 'U0SAM',
      name: 'sam',
      realName: 'Sam Lee',
      email: 'sam@example.com',
    });
    expect(await failure(slack.usersInfo('U0GHOST'))).toMatchObject({
      kind: 'invalid',
      code: 'user_not_found',
    });

    const dm = await slack.openDm('U0ANA');
    expect(dm).toBe('DU0ANA');
    await slack.postMessage({ effectKey: 'test', channel: dm, text: 'PagerDuty is down: you are on call' });
    expect(fake.controls.messagesIn('DU0ANA')).toHaveLength(1);

    const ephemeral = await slack.postEphemeral({
      channel: 'C0ALERTS',
      user: 'U0SAM',
      text: 'Only you can see this',
    });
    expect(ephemeral.messageTs).toMatch(/^\d{10}\.\d{6}$/);
    expect(fake.state.ephemeral).toEqual([
      { channel: 'C0ALERTS', user: 'U0SAM', text: 'Only you can see this', message_ts: ephemeral.messageTs },
    ]);
  });
});

describe('fake Slack Web API', () => {
  const raw = (method: string, init: { body: string; type: string; auth?: boolean }) =>
    fetch(`${fake.url}${method}`, {
      method: 'POST',
      headers: {
        'content-type': init.type,
        ...(init.auth === false ? {} : { authorization: `Bearer ${fake.token}` }),
      },
      body: init.body,
    }).then((r) => r.json() as Promise<Record<string, unknown>>);
  const form = 'application/x-www-form-urlencoded';

  it('pages conversations.history with cursors, every message exactly once', async () => {
    await start({ rateLimits: false });
    const posted: string[] = [];
    for (let i = 0; i < 7; i++)
      posted.push((await slack.postMessage({ effectKey: 'test', channel: 'C0ALERTS', text: `m${i}` })).ts);
    await slack.postMessage({
      effectKey: 'test',
      channel: 'C0ALERTS',
      text: 'thread reply',
      thread_ts: posted[0],
    });

    const seen: string[] = [];
    const hasMore: boolean[] = [];
    let cursor = '';
    do {
      const page = await raw('conversations.history', {
        type: form,
        body: new URLSearchParams({
          channel: 'C0ALERTS',
          limit: '3',
          ...(cursor ? { cursor } : {}),
        }).toString(),
      });
      expect(page.ok).toBe(true);
      seen.push(...(page.messages as Array<{ ts: string }>).map((m) => m.ts));
      hasMore.push(page.has_more as boolean);
      cursor = (page.response_metadata as { next_cursor?: string } | undefined)?.next_cursor ?? '';
      // A message arriving mid-backfill must not shift later pages.
      if (seen.length === 3)
        await slack.postMessage({ effectKey: 'test', channel: 'C0ALERTS', text: 'late' });
    } while (cursor);

    expect(seen).toEqual([...posted].reverse());
    expect(hasMore).toEqual([true, true, false]);
  });

  it('reads tokens and arguments the way Slack does', async () => {
    const jsonWithBodyToken = await raw('chat.postMessage', {
      type: 'application/json; charset=utf-8',
      auth: false,
      body: JSON.stringify({ token: fake.token, channel: 'C0ALERTS', text: 'x' }),
    });
    expect(jsonWithBodyToken).toEqual({ ok: false, error: 'not_authed' });

    const formWithToken = await raw('chat.postMessage', {
      type: form,
      auth: false,
      body: new URLSearchParams({
        token: fake.token,
        channel: 'C0ALERTS',
        blocks: '[{"type":"divider"}]',
      }).toString(),
    });
    expect(formWithToken).toMatchObject({ ok: true, message: { blocks: [{ type: 'divider' }] } });

    const jsonToFormOnly = await raw('users.lookupByEmail', {
      type: 'application/json; charset=utf-8',
      body: JSON.stringify({ email: 'jane@example.com' }),
    });
    expect(jsonToFormOnly).toEqual({ ok: false, error: 'invalid_arguments' });

    const noCharset = await raw('chat.postMessage', {
      type: 'application/json',
      body: '{"channel":"C0ALERTS"}',
    });
    expect(noCharset).toEqual({ ok: false, error: 'no_text' });
    const warned = await raw('auth.test', { type: 'application/json', body: '{}' });
    expect(warned).toMatchObject({ ok: true, team_id: 'T0FAILSAFE', warning: 'missing_charset' });
    expect(await raw('chat.nonsense', { type: form, body: '' })).toMatchObject({ error: 'unknown_method' });
  });

  it("serves Bolt's own WebClient (form bodies, JSON-encoded blocks)", async () => {
    const client = new webApi.WebClient(fake.token, { slackApiUrl: fake.url, retryConfig: { retries: 0 } });
    await expect(client.auth.test()).resolves.toMatchObject({
      ok: true,
      user_id: 'U0FAILBOT',
      bot_id: 'B0FAILBOT',
    });
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*Firing*' } }];
    const posted = await client.chat.postMessage({ channel: 'C0ALERTS', text: 'Firing', blocks });
    const message = await fake.waitForMessage((m) => m.ts === posted.ts);
    expect(message).toMatchObject({ text: 'Firing', blocks });
    const call = await fake.waitForCall('chat.postMessage');
    expect(call.contentType).toBe('application/x-www-form-urlencoded');
    await expect(
      client.chat.update({ channel: 'C0ALERTS', ts: '1.000001', text: 'x' }),
    ).rejects.toMatchObject({
      data: { ok: false, error: 'message_not_found' },
    });
  });

  it('resolves waiters for calls and message edits that happen later', async () => {
    const edited = fake.waitForMessage((m) => m.text === 'Resolved');
    const update = fake.waitForCall('chat.update');
    const posted = await slack.postMessage({ effectKey: 'test', channel: 'C0ALERTS', text: 'Firing' });
    await slack.updateMessage({ ...posted, text: 'Resolved' });
    await expect(edited).resolves.toMatchObject({ ts: posted.ts, channel: 'C0ALERTS' });
    await expect(update).resolves.toMatchObject({ args: { ts: posted.ts }, response: { status: 200 } });
    await expect(fake.waitForCall('chat.delete', () => true, 50)).rejects.toThrow(/no chat.delete call/);
  });
});

describe('signed Slack requests for driving Bolt', () => {
  it('signs bodies exactly as Bolt verifies them', () => {
    const body = slashCommandBody({ command: '/ai-oncall', text: 'checkout-ai', channel_id: 'C0ALERTS' });
    const now = 1_750_000_000;
    const headers = signedHeaders('shh', body, () => now * 1000);
    expect(headers['content-type']).toBe('application/x-www-form-urlencoded');
    const verify = (secret: string, at: number) => () =>
      verifySlackRequest({
        signingSecret: secret,
        body,
        headers: { 'x-slack-signature': headers['x-slack-signature'], 'x-slack-request-timestamp': now },
        nowMilliseconds: at,
      });
    expect(verify('shh', now * 1000)).not.toThrow();
    expect(verify('other', now * 1000)).toThrow();
    expect(verify('shh', (now + 6 * 60) * 1000)).toThrow();
  });

  it('builds slash command and block action bodies in Slack form encoding', () => {
    const command = new URLSearchParams(
      slashCommandBody({ command: '/ai-kill', text: 'summariser', user_id: 'U0SAM' }),
    );
    expect(command.get('command')).toBe('/ai-kill');
    expect(command.get('user_id')).toBe('U0SAM');
    expect(command.get('response_url')).toMatch(/^https:\/\/hooks\.slack\.com\/commands\//);
    expect(command.get('trigger_id')).toMatch(/^\d+\.\d+\.[0-9a-f]+$/);

    const action = blockActionBody({
      action_id: 'ack',
      value: 'inc-1',
      message: { ts: '1700000000.000100' },
    });
    const payload = JSON.parse(new URLSearchParams(action).get('payload') ?? '{}');
    expect(payload).toMatchObject({
      type: 'block_actions',
      container: { message_ts: '1700000000.000100', channel_id: 'C0ALERTS' },
      actions: [{ action_id: 'ack', value: 'inc-1', type: 'button' }],
    });
  });
});
