import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackApi, type SlackApi } from '../../src/adapters/slack.ts';
import { type FakeSlack, startFakeSlack } from '../../src/sandbox/fakes/slack.ts';
import { FAKE_BOT } from '../../src/sandbox/fakes/slack-state.ts';
import { newTriggerId } from '../support/slack-request.ts';

let fake: FakeSlack;
let slack: SlackApi;

beforeEach(async () => {
  fake = await startFakeSlack();
  slack = createSlackApi({ baseUrl: fake.url, token: fake.token, timeoutMs: 2000 });
});
afterEach(() => fake.close());

type Body = { ok: boolean; error?: string } & Record<string, unknown>;

/** A Web API call as any client makes it: Bearer token, JSON (charset declared) or a form body. */
async function api(method: string, args: Record<string, unknown>, encoding: 'json' | 'form' = 'json') {
  const form = new URLSearchParams(
    Object.entries(args).map(([k, v]): [string, string] => [
      k,
      typeof v === 'object' ? JSON.stringify(v) : String(v),
    ]),
  );
  const response = await fetch(`${fake.url}${method}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${fake.token}`,
      'content-type':
        encoding === 'json' ? 'application/json; charset=utf-8' : 'application/x-www-form-urlencoded',
    },
    body: encoding === 'json' ? JSON.stringify(args) : form.toString(),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Body };
}

const channelOf = (body: Body) => body.channel as { id: string } & Record<string, unknown>;

describe('fake Slack conversations.*', () => {
  it('creates a channel the bot is in, and refuses names Slack refuses', async () => {
    const { body } = await api('conversations.create', { name: 'inc-42-checkout_slow' });
    expect(body.ok).toBe(true);
    const channel = channelOf(body);
    expect(channel).toMatchObject({
      name: 'inc-42-checkout_slow',
      is_channel: true,
      is_private: false,
      is_member: true,
      creator: FAKE_BOT.userId,
    });
    expect(channel.id).toMatch(/^C[A-Z0-9]+$/);
    expect(channel.created).toEqual(expect.any(Number));
    expect(fake.state.names.get(channel.id)).toBe('inc-42-checkout_slow');
    expect(fake.state.members.get(channel.id)).toEqual(new Set([FAKE_BOT.userId]));

    expect((await api('conversations.create', { name: 'inc-42-checkout_slow' })).body.error).toBe(
      'name_taken',
    );
    expect((await api('conversations.create', { name: 'Inc 42' })).body.error).toBe('invalid_name_specials');
    expect((await api('conversations.create', { name: 'a'.repeat(81) })).body.error).toBe(
      'invalid_name_maxlength',
    );
    expect((await api('conversations.create', { name: 'a'.repeat(80) })).body.ok).toBe(true);
    expect((await api('conversations.create', {})).body.error).toBe('invalid_name_required');
  });

  it('creates private channels (form body too) and hides private channels the bot is not in', async () => {
    const { body } = await api('conversations.create', { name: 'inc-private', is_private: true }, 'form');
    expect(channelOf(body)).toMatchObject({ is_private: true, is_channel: true, is_member: true });

    fake.controls.addChannel('C0SECRET', { name: 'secret', isPrivate: true, members: ['U0JANE'] });
    expect((await api('conversations.info', { channel: 'C0SECRET' }, 'form')).body.error).toBe(
      'channel_not_found',
    );
    const invite = await api('conversations.invite', { channel: 'C0SECRET', users: 'U0SAM' });
    expect(invite.body.error).toBe('channel_not_found');
  });

  it('invites people, with Slack’s error codes for self, unknown, already-there and missing channels', async () => {
    const id = channelOf((await api('conversations.create', { name: 'inc-7' })).body).id;
    const invited = await api('conversations.invite', { channel: id, users: 'U0JANE, U0SAM' });
    expect(invited.body.ok).toBe(true);
    expect(channelOf(invited.body).id).toBe(id);
    expect(fake.state.members.get(id)).toEqual(new Set([FAKE_BOT.userId, 'U0JANE', 'U0SAM']));

    // Some new, some already there: fine; all already there: already_in_channel.
    expect((await api('conversations.invite', { channel: id, users: 'U0JANE,U0ANA' })).body.ok).toBe(true);
    expect((await api('conversations.invite', { channel: id, users: 'U0JANE,U0ANA' })).body.error).toBe(
      'already_in_channel',
    );
    const self = await api('conversations.invite', { channel: id, users: FAKE_BOT.userId });
    expect(self.body.error).toBe('cant_invite_self');
    const unknown = await api('conversations.invite', { channel: id, users: 'U0PAT,U0NOBODY' });
    expect(unknown.body).toMatchObject({
      ok: false,
      error: 'user_not_found',
      errors: [{ user: 'U0NOBODY', ok: false, error: 'user_not_found' }],
    });
    expect(fake.state.members.get(id)?.has('U0PAT')).toBe(false);
    expect((await api('conversations.invite', { channel: 'nope', users: 'U0PAT' })).body.error).toBe(
      'channel_not_found',
    );
    expect((await api('conversations.invite', { channel: id })).body.error).toBe('no_user');

    fake.controls.addChannel('C0OUTSIDE', { members: ['U0JANE'] });
    const outside = await api('conversations.invite', { channel: 'C0OUTSIDE', users: 'U0SAM' });
    expect(outside.body.error).toBe('not_in_channel');
  });

  it('joins a public channel once, then warns already_in_channel', async () => {
    fake.controls.addChannel('C0WAR', { name: 'war-room', members: ['U0JANE'] });
    const info = await api('conversations.info', { channel: 'C0WAR' }, 'form');
    expect(channelOf(info.body)).toMatchObject({ id: 'C0WAR', name: 'war-room', is_member: false });

    const joined = await api('conversations.join', { channel: 'C0WAR' });
    expect(joined.body).toMatchObject({ ok: true, channel: { id: 'C0WAR', is_member: true } });
    expect(joined.body.warning).toBeUndefined();
    const again = await api('conversations.join', { channel: 'C0WAR' });
    expect(again.body).toMatchObject({ ok: true, warning: 'already_in_channel' });
    expect((await api('conversations.join', { channel: 'nope' })).body.error).toBe('channel_not_found');

    const counted = await api('conversations.info', { channel: 'C0WAR', include_num_members: true }, 'form');
    expect(channelOf(counted.body)).toMatchObject({ is_member: true, num_members: 2 });
    // The default channels: the bot and every person are members.
    expect(channelOf((await api('conversations.info', { channel: 'C0ALERTS' }, 'form')).body)).toMatchObject({
      name: 'alerts',
      is_member: true,
    });
  });

  it('lists members a page at a time with an opaque cursor', async () => {
    const pages: string[][] = [];
    let cursor = '';
    do {
      const { body } = await api('conversations.members', { channel: 'C0ALERTS', limit: 2, cursor }, 'form');
      expect(body.ok).toBe(true);
      pages.push(body.members as string[]);
      cursor = (body.response_metadata as { next_cursor: string }).next_cursor;
    } while (cursor);
    expect(pages).toEqual([[FAKE_BOT.userId, 'U0JANE'], ['U0SAM', 'U0ANA'], ['U0PAT']]);
    const bad = await api('conversations.members', { channel: 'C0ALERTS', cursor: 'garbage' }, 'form');
    expect(bad.body.error).toBe('invalid_cursor');
    const zero = await api('conversations.members', { channel: 'C0ALERTS', limit: 0 }, 'form');
    expect(zero.body.error).toBe('invalid_limit');
  });

  it('keeps failNext rate limits working for the new methods', async () => {
    fake.controls.failNext(1, { retryAfterSeconds: 7, method: 'conversations.create' });
    const limited = await api('conversations.create', { name: 'inc-9' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(limited.body.error).toBe('ratelimited');
    expect((await api('conversations.create', { name: 'inc-9' })).body.ok).toBe(true);
  });
});

describe('fake Slack pins.add and views.update', () => {
  it('pins a message the adapter posted, once', async () => {
    const posted = await slack.postMessage({
      effectKey: 'test',
      channel: 'C0STAKE',
      text: 'Status: investigating',
    });
    expect((await api('pins.add', { channel: posted.channel, timestamp: posted.ts })).body).toEqual({
      ok: true,
    });
    expect(fake.state.pins.get('C0STAKE')).toEqual(new Set([posted.ts]));
    const again = await api('pins.add', { channel: posted.channel, timestamp: posted.ts });
    expect(again.body.error).toBe('already_pinned');
    expect((await api('pins.add', { channel: 'C0STAKE', timestamp: '1.000001' })).body.error).toBe(
      'message_not_found',
    );
    expect((await api('pins.add', { channel: 'C0STAKE', timestamp: 'x' })).body.error).toBe('bad_timestamp');
    expect((await api('pins.add', { channel: 'C0STAKE' })).body.error).toBe('no_item_specified');
    const history = await api('conversations.history', { channel: 'C0STAKE' }, 'form');
    expect(history.body.pin_count).toBe(1);
  });

  it('updates a modal by view_id or external_id, refusing a stale hash', async () => {
    const modal = (title: string) => ({
      type: 'modal',
      title: { type: 'plain_text', text: title },
      external_id: 'update-form-1',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: title } }],
    });
    const { id } = await slack.openView(newTriggerId(), modal('Draft'));
    const opened = fake.state.views.find((v) => v.id === id);
    expect(opened).toMatchObject({ hash: `${id}.hash`, externalId: 'update-form-1', updates: 0 });

    const updated = await api('views.update', { view_id: id, hash: `${id}.hash`, view: modal('Reviewed') });
    expect(updated.body).toMatchObject({ ok: true, view: { id, title: { text: 'Reviewed' } } });
    const newHash = (updated.body.view as { hash: string }).hash;
    expect(newHash).not.toBe(`${id}.hash`);

    const stale = await api('views.update', { view_id: id, hash: `${id}.hash`, view: modal('Lost') });
    expect(stale.body.error).toBe('hash_conflict');
    const byExternal = await api('views.update', {
      external_id: 'update-form-1',
      view: JSON.stringify(modal('Final')),
    });
    expect(byExternal.body.ok).toBe(true);
    expect(fake.state.views.find((v) => v.id === id)).toMatchObject({
      view: { title: { text: 'Final' } },
      updates: 2,
    });

    expect((await api('views.update', { view_id: 'V0NOPE', view: modal('x') })).body.error).toBe('not_found');
    expect((await api('views.update', { view: modal('x') })).body.error).toBe('invalid_arguments');
  });
});
