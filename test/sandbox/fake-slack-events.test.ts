import { afterEach, describe, expect, it } from 'vitest';
import { createSlackApi } from '../../src/adapters/slack.ts';
import { type FakeSlack, type FakeSlackOptions, startFakeSlack } from '../../src/sandbox/fakes/slack.ts';
import { FAKE_BOT, FAKE_TEAM } from '../../src/sandbox/fakes/slack-state.ts';
import {
  RECEIVER_SECRET,
  type Received,
  type Receiver,
  type Script,
  startReceiver,
} from './event-receiver.ts';

let fake: FakeSlack | undefined;
let app: Receiver | undefined;

async function start(script: Script, options: FakeSlackOptions = {}) {
  fake = await startFakeSlack({ retryDelaysMs: [0, 10, 10], ...options });
  app = await startReceiver(script);
  fake.controls.setEventTarget(app.url, RECEIVER_SECRET);
  return { fake, app };
}

afterEach(async () => {
  await fake?.close();
  await app?.close();
});

type Envelope = { event_id: string; event: Record<string, unknown> } & Record<string, unknown>;

function eventOf(request: Received | undefined): Record<string, unknown> {
  if (!request) throw new Error('the app received nothing');
  return (request.body as Envelope).event;
}

describe('fake Slack Events API delivery', () => {
  it('signs each delivery and retries a 500 with X-Slack-Retry-Num 1, the same body', async () => {
    const { fake, app } = await start((n) => (n === 0 ? 500 : 200));
    const { message, delivery } = await fake.controls.userSays('C0ALERTS', 'U0JANE', 'checkout is slow');

    expect(delivery?.delivered).toBe(true);
    expect(delivery?.attempts.map((a) => [a.attempt, a.status, a.retryReason])).toEqual([
      [0, 500, undefined],
      [1, 200, 'http_error'],
    ]);
    const [first, retry] = app.received;
    expect(app.received).toHaveLength(2);
    expect(first?.signatureValid && retry?.signatureValid).toBe(true);
    expect(first?.headers['x-slack-retry-num']).toBeUndefined();
    expect(retry?.headers).toMatchObject({ 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_error' });
    expect(retry?.rawBody).toBe(first?.rawBody);

    const envelope = first?.body as Envelope;
    expect(envelope).toMatchObject({
      type: 'event_callback',
      team_id: FAKE_TEAM.id,
      api_app_id: FAKE_BOT.appId,
      event_time: expect.any(Number),
      authorizations: [{ team_id: FAKE_TEAM.id, user_id: FAKE_BOT.userId, is_bot: true }],
      event: {
        type: 'message',
        channel: 'C0ALERTS',
        channel_type: 'channel',
        user: 'U0JANE',
        text: 'checkout is slow',
        ts: message.ts,
        event_ts: message.ts,
      },
    });
    expect(envelope.event_id).toMatch(/^Ev[A-Z0-9]{8,}$/);
    expect(fake.state.deliveries).toEqual([
      expect.objectContaining({
        kind: 'event',
        eventId: envelope.event_id,
        type: 'message',
        attempt: 0,
        status: 500,
      }),
      expect.objectContaining({ eventId: envelope.event_id, attempt: 1, status: 200 }),
    ]);
    expect(fake.controls.messagesIn('C0ALERTS')).toContain(message);
  });

  it('gives up after 3 retries, and redeliver() resends the identical body for dedup tests', async () => {
    const { fake, app } = await start(() => 503);
    const first = await fake.controls.userSays('C0ALERTS', 'U0SAM', 'anyone?');
    expect(first.delivery?.delivered).toBe(false);
    expect(app.received.map((r) => r.headers['x-slack-retry-num'])).toEqual([undefined, '1', '2', '3']);

    const { event_id } = JSON.parse(first.delivery?.body ?? '{}') as Envelope;
    const second = await fake.controls.userSays('C0ALERTS', 'U0SAM', 'hello again');
    expect(JSON.parse(second.delivery?.body ?? '{}').event_id).not.toBe(event_id);

    const again = await fake.controls.redeliver(first.delivery?.body ?? '', 2);
    expect(again.eventId).toBe(event_id);
    expect(app.received.at(-1)).toMatchObject({
      rawBody: first.delivery?.body,
      signatureValid: true,
      headers: { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' },
    });
  });

  it('retries a delivery the app takes longer than the timeout to answer as http_timeout', async () => {
    const { fake, app } = await start((n) => (n === 0 ? 'hang' : 200), { deliveryTimeoutMs: 200 });
    const { delivery } = await fake.controls.userSays('C0ALERTS', 'U0ANA', 'slow app');
    expect(delivery?.attempts.map((a) => a.status)).toEqual(['timeout', 200]);
    expect(app.received[1]?.headers['x-slack-retry-reason']).toBe('http_timeout');
  });

  it('sends edits, deletions and reactions with Slack’s event shapes', async () => {
    const { fake, app } = await start(() => 200);
    const { message } = await fake.controls.userSays('C0STAKE', 'U0JANE', 'ETA 10 minutes');

    const edited = await fake.controls.userEdits('C0STAKE', message.ts, 'ETA 20 minutes');
    const changed = eventOf(app.received.at(-1));
    expect(changed).toMatchObject({
      type: 'message',
      subtype: 'message_changed',
      channel: 'C0STAKE',
      message: { ts: message.ts, text: 'ETA 20 minutes', user: 'U0JANE', edited: { user: 'U0JANE' } },
      previous_message: { ts: message.ts, text: 'ETA 10 minutes' },
    });
    expect(changed.ts).toBe(edited.message.edited?.ts);
    expect(fake.controls.messagesIn('C0STAKE')[0]?.text).toBe('ETA 20 minutes');

    await fake.controls.react('U0SAM', 'C0STAKE', message.ts, ':eyes:');
    expect(eventOf(app.received.at(-1))).toMatchObject({
      type: 'reaction_added',
      user: 'U0SAM',
      reaction: 'eyes',
      item_user: 'U0JANE',
      item: { type: 'message', channel: 'C0STAKE', ts: message.ts },
    });

    await fake.controls.userDeletes('C0STAKE', message.ts);
    expect(eventOf(app.received.at(-1))).toMatchObject({
      type: 'message',
      subtype: 'message_deleted',
      deleted_ts: message.ts,
      previous_message: { text: 'ETA 20 minutes' },
      channel_type: 'channel',
    });
    expect(fake.controls.messagesIn('C0STAKE')).toEqual([]);
    expect(app.received.every((r) => r.signatureValid)).toBe(true);
  });

  it('says group for private channels and sends nothing about channels the bot is not in', async () => {
    const { fake, app } = await start(() => 200);
    fake.controls.addChannel('G0PRIVATE', { members: [FAKE_BOT.userId, 'U0JANE'] });
    await fake.controls.userSays('G0PRIVATE', 'U0JANE', 'private');
    expect(eventOf(app.received.at(-1)).channel_type).toBe('group');

    fake.controls.addChannel('C0ELSEWHERE', { members: ['U0JANE'] });
    const unseen = await fake.controls.userSays('C0ELSEWHERE', 'U0JANE', 'not for the bot');
    expect(unseen.delivery).toBeUndefined();
    expect(app.received).toHaveLength(1);
  });

  it('posts a message shortcut as a signed message_action payload', async () => {
    const { fake, app } = await start(() => 200);
    const { message } = await fake.controls.userSays('C0ALERTS', 'U0JANE', 'Latency p95 4 s');
    const { payload, delivery } = await fake.controls.messageShortcut(
      'U0SAM',
      'C0ALERTS',
      message.ts,
      'open_incident',
    );

    expect(delivery.attempts).toEqual([expect.objectContaining({ kind: 'interactivity', status: 200 })]);
    const request = app.received.at(-1);
    expect(request?.signatureValid).toBe(true);
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.body).toMatchObject({
      type: 'message_action',
      callback_id: 'open_incident',
      trigger_id: payload.trigger_id,
      user: { id: 'U0SAM', name: 'sam' },
      channel: { id: 'C0ALERTS', name: 'alerts' },
      message: { ts: message.ts, text: 'Latency p95 4 s', user: 'U0JANE' },
      response_url: expect.stringMatching(/\/response-url\/\d+$/),
    });
    // The trigger id is one the fake's views.open accepts.
    const slack = createSlackApi({ baseUrl: fake.url, token: fake.token });
    await expect(slack.openView(payload.trigger_id, modal())).resolves.toEqual({ id: expect.any(String) });
  });

  it('echoes the bot’s own posts as message events with bot_id when asked to', async () => {
    const { fake, app } = await start(() => 200, { echoBotMessages: true });
    const slack = createSlackApi({ baseUrl: fake.url, token: fake.token });
    const posted = await slack.postMessage({ effectKey: 'test', channel: 'C0STAKE', text: 'Update 1' });
    await app.waitForCount(1);
    expect(eventOf(app.received[0])).toMatchObject({
      type: 'message',
      ts: posted.ts,
      user: FAKE_BOT.userId,
      bot_id: FAKE_BOT.botId,
      channel: 'C0STAKE',
    });
    await expect(fake.waitForDelivery((d) => d.status === 200)).resolves.toMatchObject({ type: 'message' });
  });

  it('refuses to deliver before a target is set', async () => {
    fake = await startFakeSlack();
    await expect(fake.controls.userSays('C0ALERTS', 'U0JANE', 'hi')).rejects.toThrow(/setEventTarget/);
  });
});

const modal = () => ({ type: 'modal', title: { type: 'plain_text', text: 'Incident' }, blocks: [] });
