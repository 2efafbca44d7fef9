// Test controls for what people do in Slack — say, edit, delete, react, run a message shortcut —
// which change the fake's state and reach the app as Slack would tell it: signed Events API
// deliveries (only for conversations the bot is in) and interactivity requests.
import { eventCallbackBody, type SlackEvent } from '../slack-requests.ts';
import type { Delivery, DeliveryResult } from './slack-delivery.ts';
import type { RetryReason } from './slack-delivery-types.ts';
import {
  messageActionPayload,
  messageChangedEvent,
  messageDeletedEvent,
  messageEvent,
  typedContent,
} from './slack-event-bodies.ts';
import { FAKE_BOT, type FakeMessage, type FakeSlackState, messagesIn } from './slack-state.ts';
import { addChannel, membersOf } from './slack-workspace.ts';

export interface EventControlsDeps {
  state: FakeSlackState;
  nextTs: () => string;
  delivery: Delivery;
  responseUrl: () => string;
}

export interface SpokenMessage {
  message: FakeMessage;
  /** undefined when Slack would send nothing: the bot is not a member of the channel. */
  delivery: DeliveryResult | undefined;
}

export function createEventControls({ state, nextTs, delivery, responseUrl }: EventControlsDeps) {
  function person(userId: string): void {
    if (!state.users.some((user) => user.id === userId)) {
      throw new Error(`fake Slack: no user ${userId}; pass it in startFakeSlack({ users })`);
    }
  }

  function find(channel: string, ts: string): FakeMessage {
    const message = state.messages.get(channel)?.find((m) => m.ts === ts);
    if (!message) throw new Error(`fake Slack: no message ${ts} in ${channel}`);
    return message;
  }

  /** Checked before any state changes, so a forgotten setEventTarget leaves the fake as it was. */
  function requireTarget(): void {
    if (!delivery.hasTarget()) {
      throw new Error('fake Slack: no event target; call controls.setEventTarget(url, signingSecret) first');
    }
  }

  /** Slack only sends events about conversations the app is in. */
  function emit(channel: string, event: SlackEvent, eventTs: string): Promise<DeliveryResult | undefined> {
    if (!membersOf(state, channel).has(FAKE_BOT.userId)) return Promise.resolve(undefined);
    const { eventId, body } = eventCallbackBody({ ...event, event_ts: eventTs });
    return delivery.deliverEvent({ eventId, type: event.type, body });
  }

  const snapshot = (message: FakeMessage): FakeMessage => structuredClone(message);

  return {
    /** Events and interactivity go to `url` (e.g. `${app}/slack/events`), signed with `signingSecret`. */
    setEventTarget: (url: string, signingSecret: string) => delivery.setTarget(url, signingSecret),

    /** A person posts (the speaker joins the channel if needed); the app gets a `message` event. */
    async userSays(
      channel: string,
      userId: string,
      text: string,
      opts: { thread_ts?: string } = {},
    ): Promise<SpokenMessage> {
      requireTarget();
      person(userId);
      addChannel(state, channel);
      membersOf(state, channel).add(userId);
      const message: FakeMessage = {
        type: 'message',
        channel,
        ts: nextTs(),
        text,
        user: userId,
        ...typedContent(text),
        ...(opts.thread_ts ? { thread_ts: opts.thread_ts } : {}),
        edits: [],
      };
      messagesIn(state, channel).push(message);
      return { message, delivery: await emit(channel, messageEvent(state, message), message.ts) };
    },

    /** The author edits a message: `message_changed` with `message.edited` and `previous_message`. */
    async userEdits(channel: string, ts: string, newText: string): Promise<SpokenMessage> {
      requireTarget();
      const message = find(channel, ts);
      if (message.bot_id)
        throw new Error('fake Slack: people cannot edit the bot’s messages; use chat.update');
      const previous = snapshot(message);
      const editTs = nextTs();
      message.text = newText;
      if (message.client_msg_id) message.blocks = typedContent(newText).blocks;
      message.edited = { user: message.user, ts: editTs };
      message.edits.push({ text: newText, blocks: message.blocks, editTs });
      const event = messageChangedEvent(state, message, previous, editTs);
      return { message, delivery: await emit(channel, event, editTs) };
    },

    /** The message disappears from the channel (and its pins): `message_deleted` with `deleted_ts`. */
    async userDeletes(channel: string, ts: string): Promise<SpokenMessage> {
      requireTarget();
      const message = find(channel, ts);
      const list = messagesIn(state, channel);
      list.splice(list.indexOf(message), 1);
      state.pins.get(channel)?.delete(ts);
      const eventTs = nextTs();
      return {
        message,
        delivery: await emit(channel, messageDeletedEvent(state, message, eventTs), eventTs),
      };
    },

    /** `reaction_added`; no event if this person already reacted so (Slack would not send one). */
    async react(
      userId: string,
      channel: string,
      ts: string,
      reaction: string,
    ): Promise<{ delivery: DeliveryResult | undefined }> {
      requireTarget();
      person(userId);
      const message = find(channel, ts);
      const name = reaction.replace(/^:|:$/g, '');
      message.reactions ??= [];
      let entry = message.reactions.find((r) => r.name === name);
      if (entry?.users.includes(userId)) return { delivery: undefined };
      if (!entry) {
        entry = { name, users: [], count: 0 };
        message.reactions.push(entry);
      }
      entry.users.push(userId);
      entry.count = entry.users.length;
      const eventTs = nextTs();
      const item = { type: 'message', channel, ts };
      const event = { type: 'reaction_added', user: userId, reaction: name, item_user: message.user, item };
      return { delivery: await emit(channel, event, eventTs) };
    },

    /** A message shortcut: one signed interactivity request, form field `payload` (type message_action). */
    async messageShortcut(userId: string, channel: string, ts: string, callbackId: string) {
      requireTarget();
      person(userId);
      const message = find(channel, ts);
      const payload = messageActionPayload(state, {
        userId,
        message,
        callbackId,
        responseUrl: responseUrl(),
      });
      const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
      const result = await delivery.deliverInteraction({
        eventId: payload.trigger_id,
        type: payload.type,
        body,
      });
      return { payload, delivery: result };
    },

    /** Sends an event body again as retry `retryNum` (1..3): same bytes, same event_id. */
    redeliver(
      eventBody: string | Record<string, unknown>,
      retryNum: number,
      reason: RetryReason = 'http_timeout',
    ): Promise<DeliveryResult> {
      const body = typeof eventBody === 'string' ? eventBody : JSON.stringify(eventBody);
      return delivery.redeliver(body, retryNum, reason);
    },

    /** For echoBotMessages: the `message` event Slack sends for the bot's own post (with bot_id). */
    async botPosted(channel: string, ts: string): Promise<void> {
      const message = state.messages.get(channel)?.find((m) => m.ts === ts);
      if (!message || !delivery.hasTarget()) return;
      await emit(channel, messageEvent(state, message), message.ts);
    },
  };
}
