// The events the fake tells an app about (test/contracts/slack/events-api-async-v1.json) and
// the `message_action` interactivity payload (docs.slack.dev "Message shortcuts"), built from
// the fake's state; the envelope, ids and signing are the request kit's (../slack-requests.ts).
import { randomBytes, randomUUID } from 'node:crypto';
import { actionTs, newTriggerId, type SlackEvent } from '../slack-requests.ts';
import { FAKE_BOT, FAKE_TEAM, type FakeMessage, type FakeSlackState, toApiMessage } from './slack-state.ts';
import { channelType } from './slack-workspace.ts';

/** What a person's client sends: the text again as a rich_text block, and a client_msg_id. */
export function typedContent(text: string): { blocks: unknown[]; client_msg_id: string } {
  const block = {
    type: 'rich_text',
    block_id: randomBytes(3).toString('base64url'),
    elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }],
  };
  return { blocks: [block], client_msg_id: randomUUID() };
}

/** A `message` event (message.channels / message.groups / message.im) for a stored message. */
export function messageEvent(state: FakeSlackState, message: FakeMessage): SlackEvent {
  const parent = message.thread_ts
    ? state.messages.get(message.channel)?.find((m) => m.ts === message.thread_ts)
    : undefined;
  const bot = message.bot_id
    ? {
        bot_profile: {
          id: message.bot_id,
          app_id: FAKE_BOT.appId,
          name: FAKE_BOT.name,
          team_id: FAKE_TEAM.id,
        },
      }
    : {};
  return {
    type: 'message',
    ...toApiMessage(message),
    ...bot,
    ...(parent && parent.ts !== message.ts ? { parent_user_id: parent.user } : {}),
    channel: message.channel,
    channel_type: channelType(state, message.channel),
  };
}

/** `message_changed`: `ts` is the edit's, the edited message keeps its own ts inside `message`. */
export function messageChangedEvent(
  state: FakeSlackState,
  message: FakeMessage,
  previous: FakeMessage,
  editTs: string,
): SlackEvent {
  return {
    type: 'message',
    subtype: 'message_changed',
    hidden: true,
    message: toApiMessage(message),
    previous_message: toApiMessage(previous),
    channel: message.channel,
    ts: editTs,
    channel_type: channelType(state, message.channel),
  };
}

export function messageDeletedEvent(state: FakeSlackState, deleted: FakeMessage, ts: string): SlackEvent {
  return {
    type: 'message',
    subtype: 'message_deleted',
    hidden: true,
    deleted_ts: deleted.ts,
    previous_message: toApiMessage(deleted),
    channel: deleted.channel,
    ts,
    channel_type: channelType(state, deleted.channel),
  };
}

export interface ShortcutInput {
  userId: string;
  message: FakeMessage;
  callbackId: string;
  responseUrl: string;
}

/** The `message_action` payload; Slack posts it form-encoded as the field `payload`. */
export function messageActionPayload(state: FakeSlackState, input: ShortcutInput) {
  const user = state.users.find((u) => u.id === input.userId);
  return {
    type: 'message_action',
    token: 'deprecated-verification-token',
    action_ts: actionTs(),
    team: { id: FAKE_TEAM.id, domain: FAKE_TEAM.domain },
    user: { id: input.userId, name: user?.name ?? input.userId, team_id: FAKE_TEAM.id },
    channel: {
      id: input.message.channel,
      name: state.names.get(input.message.channel) ?? input.message.channel,
    },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: input.callbackId,
    trigger_id: newTriggerId(),
    response_url: input.responseUrl,
    message_ts: input.message.ts,
    message: toApiMessage(input.message),
  };
}
