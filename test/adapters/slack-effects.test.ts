// A retry finds the message an earlier attempt posted by the effect key in its metadata, and
// an incident channel an earlier attempt created by its name and creator: against the fake
// Web API, counting the chat.postMessage requests it received.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackApi, type SlackApi } from '../../src/adapters/slack.ts';
import { postEffect } from '../../src/kernel/slack-post.ts';
import { type FakeSlack, startFakeSlack } from '../../src/sandbox/fakes/slack.ts';
import { FAKE_BOT } from '../../src/sandbox/fakes/slack-state.ts';

let fake: FakeSlack;
let slack: SlackApi;

beforeEach(async () => {
  fake = await startFakeSlack();
  slack = createSlackApi({ baseUrl: fake.url, token: fake.token, timeoutMs: 2000 });
});
afterEach(() => fake.close());

const posts = () => fake.state.calls.filter((c) => c.method === 'chat.postMessage').length;

async function fill(channel: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) fake.controls.seedMessage(channel, { user: 'U0ANA', text: `chatter ${i}` });
}

describe('finding an effect’s message by its metadata', () => {
  it('finds it three pages back and not a message of another key', async () => {
    const posted = await slack.postMessage({
      channel: 'C0ALERTS',
      text: 'Paged Jane',
      effectKey: 'slack-post:1',
    });
    await fill('C0ALERTS', 450);
    await expect(slack.findEffectMessage('C0ALERTS', 'slack-post:1')).resolves.toEqual({
      channel: 'C0ALERTS',
      ts: posted.ts,
    });
    await expect(slack.findEffectMessage('C0ALERTS', 'slack-post:2')).resolves.toBeNull();
    // Metadata is read back only when asked for, as Slack does.
    const plain = fake.state.calls.find(
      (c) => c.method === 'conversations.history' && !c.args.include_all_metadata,
    );
    expect(plain).toBeUndefined();
  });

  it('looks in the thread for a threaded reply, which the channel history does not show', async () => {
    const parent = await slack.postMessage({
      channel: 'C0ALERTS',
      text: 'Incident #1',
      effectKey: 'slack-post:1',
    });
    const reply = await slack.postMessage({
      channel: 'C0ALERTS',
      text: 'Incident #1 has its own channel',
      thread_ts: parent.ts,
      effectKey: 'announce:1',
    });
    await expect(slack.findEffectMessage('C0ALERTS', 'announce:1')).resolves.toBeNull();
    await expect(slack.findEffectMessage('C0ALERTS', 'announce:1', parent.ts)).resolves.toEqual({
      channel: 'C0ALERTS',
      ts: reply.ts,
    });
  });

  it('joins a public channel it posts to without being a member before reading its history', async () => {
    fake.controls.addChannel('C0PUBLIC', { members: ['U0ANA'] });
    const posted = await slack.postMessage({
      channel: 'C0PUBLIC',
      text: 'Budget notice',
      effectKey: 'budget:1',
    });
    await expect(slack.findEffectMessage('C0PUBLIC', 'budget:1')).resolves.toEqual({
      channel: 'C0PUBLIC',
      ts: posted.ts,
    });
    const history = fake.state.calls.filter((c) => c.method === 'conversations.history');
    expect(history.map((c) => c.response?.body.error ?? 'ok')).toEqual(['not_in_channel', 'ok']);
    expect(fake.state.calls.some((c) => c.method === 'conversations.join')).toBe(true);
  });

  it('finds a DM it sent', async () => {
    const dm = await slack.openDm('U0JANE');
    const posted = await slack.postMessage({ channel: dm, text: 'You are on call', effectKey: 'page-dm:1' });
    await expect(slack.findEffectMessage(dm, 'page-dm:1')).resolves.toEqual({ channel: dm, ts: posted.ts });
  });
});

describe('postEffect', () => {
  it('posts on the first attempt without looking, and a retry adopts what the first posted', async () => {
    const first = await postEffect(
      slack,
      { key: 'slack-post:7', attempt: 1 },
      { channel: 'C0ALERTS' },
      () => ({
        text: 'Paged Jane',
      }),
    );
    expect(first.found).toBe(false);
    expect(fake.state.calls.some((c) => c.method === 'conversations.history')).toBe(false);
    let built = 0;
    const retry = await postEffect(
      slack,
      { key: 'slack-post:7', attempt: 2 },
      { channel: 'C0ALERTS' },
      () => {
        built += 1;
        return { text: 'Paged Jane' };
      },
    );
    expect(retry).toEqual({ channel: 'C0ALERTS', ts: first.ts, found: true });
    expect(built).toBe(0);
    expect(posts()).toBe(1);
    expect(fake.controls.messagesIn('C0ALERTS')).toHaveLength(1);
  });

  it('posts on a retry when the earlier attempt never reached Slack', async () => {
    const retry = await postEffect(
      slack,
      { key: 'slack-post:8', attempt: 2 },
      { channel: 'C0ALERTS' },
      () => ({
        text: 'Paged Jane',
      }),
    );
    expect(retry.found).toBe(false);
    expect(posts()).toBe(1);
  });
});

describe('channels by name', () => {
  it('finds a channel past the first page of conversations.list, with its creator', async () => {
    for (let i = 0; i < 1200; i++)
      fake.controls.addChannel(`C1${String(i).padStart(6, '0')}`, { name: `team-${i}` });
    const created = await slack.createChannel('inc-20261203-search-1');
    await expect(slack.findChannelByName('inc-20261203-search-1')).resolves.toEqual({
      ...created,
      creator: FAKE_BOT.userId,
    });
    await expect(slack.findChannelByName('inc-20261203-search-2')).resolves.toBeNull();
    expect(fake.state.calls.filter((c) => c.method === 'conversations.list').length).toBeGreaterThan(1);
    await expect(slack.botUserId()).resolves.toBe(FAKE_BOT.userId);
  });

  it('pins a message twice without an error', async () => {
    const posted = await slack.postMessage({ channel: 'C0ALERTS', text: 'Summary', effectKey: 'summary:1' });
    await slack.pinMessage('C0ALERTS', posted.ts);
    await expect(slack.pinMessage('C0ALERTS', posted.ts)).resolves.toBeUndefined();
  });
});
