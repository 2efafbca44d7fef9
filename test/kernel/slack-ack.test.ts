// When Bolt answers Slack, with the receiver as app.ts builds it (processBeforeResponse plus
// answerAtAckExceptEvents): an event's 200 waits for its listener (which stores it), while a
// command is answered the moment its listener acks, however long the work after ack takes.
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerAtAckExceptEvents } from '../../src/kernel/slack-ack.ts';
import { boltLogger } from '../../src/observability/bolt-logger.ts';
import { createLogger } from '../../src/observability/logger.ts';
import {
  eventCallbackBody,
  sendSlackRequest,
  slashCommandBody,
  TEST_SIGNING_SECRET,
} from '../support/slack-request.ts';

/** A promise the test settles by hand. */
function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

const pending = Symbol('pending');
/** What `p` settled to within `ms`, or `pending`: Slack's deadline is 3 s, so 1 s is a clear "not yet". */
const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<typeof pending>((r) => setTimeout(() => r(pending), ms))]);

const logger = createLogger({ level: 'silent' });
let url = '';
let stop: () => Promise<unknown> = async () => {};
const commandWork = gate();
const eventWork = gate();
const eventStarted = gate();
const done: string[] = [];

beforeAll(async () => {
  const receiver = new HTTPReceiver({
    signingSecret: TEST_SIGNING_SECRET,
    processBeforeResponse: true,
    logger: boltLogger(logger),
  });
  const bolt = new App({
    receiver,
    // No Slack to ask who the bot is (auth.test): the listeners here never call Slack.
    authorize: async () => ({ botToken: 'xoxb-test', botId: 'B0BOT', botUserId: 'U0BOT' }),
    logger: boltLogger(logger),
  });
  answerAtAckExceptEvents(bolt, logger);
  bolt.command('/slow', async ({ ack }) => {
    await ack({ text: 'on it' });
    await commandWork.opened;
    done.push('command');
  });
  bolt.event('reaction_added', async () => {
    eventStarted.open();
    await eventWork.opened;
    done.push('event');
  });
  const server = await receiver.start(0);
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  stop = () => receiver.stop();
});
afterAll(async () => {
  commandWork.open();
  eventWork.open();
  await stop();
});

describe('answering Slack', () => {
  it('answers a command at ack(), while its listener is still working', async () => {
    const answer = await within(sendSlackRequest(url, slashCommandBody({ command: '/slow' })), 1_000);
    expect(answer).not.toBe(pending);
    const response = answer as Response;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ text: 'on it' });
    expect(done).not.toContain('command');
  });

  it('answers an Events API delivery only after its listener finished', async () => {
    const { body } = eventCallbackBody({
      type: 'reaction_added',
      user: 'U0SAM',
      reaction: 'pushpin',
      item: { type: 'message', channel: 'C0INC', ts: '1700000000.000100' },
      event_ts: '1700000000.000200',
    });
    const answer = sendSlackRequest(url, body);
    await eventStarted.opened;
    expect(await within(answer, 1_000)).toBe(pending);
    eventWork.open();
    expect((await answer).status).toBe(200);
    expect(done).toContain('event');
  });
});
