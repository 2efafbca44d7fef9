// State of the fake Slack workspace: users, channels, messages (with edits applied) and every
// call received. Kept apart from the HTTP plumbing so method handlers stay pure-ish functions.
import type { FakeDelivery } from './slack-delivery-types.ts';

export type { DeliveryStatus, FakeDelivery, RetryReason } from './slack-delivery-types.ts';
export type SlackArgs = Record<string, unknown>;
export type SlackBody = { ok: boolean; error?: string } & Record<string, unknown>;

export interface FakeUser {
  id: string;
  name: string;
  realName: string;
  email: string;
  tz?: string;
  isBot?: boolean;
  deleted?: boolean;
}

export interface FakeCall {
  method: string;
  /** Arguments as Slack read them: query string merged with the form or JSON body. */
  args: SlackArgs;
  contentType: string;
  receivedAt: number;
  /** Filled in once the fake has answered. */
  response?: { status: number; body: SlackBody };
}

export interface MessageEdit {
  text: string;
  blocks: unknown[] | undefined;
  editTs: string;
}

export interface FakeMessage {
  type: 'message';
  channel: string;
  ts: string;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  thread_ts?: string;
  reply_broadcast?: boolean;
  user: string;
  bot_id?: string;
  edited?: { user: string; ts: string };
  /** Set on messages people type (controls.userSays), as Slack's clients do. */
  client_msg_id?: string;
  /** Emoji reactions, as conversations.history returns them. */
  reactions?: Array<{ name: string; users: string[]; count: number }>;
  /** Every edit applied to this message (chat.update or controls.userEdits), oldest first. */
  edits: MessageEdit[];
  /** Message metadata as chat.postMessage took it; read back only with include_all_metadata. */
  metadata?: MessageMetadata;
}

export interface MessageMetadata {
  event_type: string;
  event_payload: Record<string, unknown>;
}

export interface FakeEphemeral {
  channel: string;
  user: string;
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
  message_ts: string;
}

export interface ResponseUrlPost {
  path: string;
  body: unknown;
  receivedAt: number;
}

export interface FakeSlackState {
  calls: FakeCall[];
  /** Messages per channel id, oldest first, with edits applied. */
  messages: Map<string, FakeMessage[]>;
  ephemeral: FakeEphemeral[];
  /** Bodies posted to response URLs made by `controls.responseUrl()`. */
  responses: ResponseUrlPost[];
  users: FakeUser[];
  channels: Set<string>;
  /** Modals opened with views.open, oldest first; views.update replaces `view` in place. */
  views: FakeView[];
  /** User group id → member user ids. */
  usergroups: Map<string, string[]>;
  /** Channel id → member user ids (the bot is FAKE_BOT.userId). */
  members: Map<string, Set<string>>;
  /** Channel id → channel name (without #). */
  names: Map<string, string>;
  /** Channel id → what conversations.info reports besides name and members. */
  channelMeta: Map<string, ChannelMeta>;
  /** Channel id → timestamps of the messages pinned there (pins.add). */
  pins: Map<string, Set<string>>;
  /** Every Events API / interactivity request the fake sent to the app, one entry per attempt. */
  deliveries: FakeDelivery[];
}

export interface ChannelMeta {
  isPrivate: boolean;
  /** Unix seconds. */
  created: number;
  creator: string;
}

export interface FakeView {
  id: string;
  triggerId: string;
  view: Record<string, unknown>;
  /** Slack's optimistic-lock token: views.update with a stale `hash` fails with hash_conflict. */
  hash: string;
  externalId?: string;
  /** How many views.update calls replaced this view. */
  updates: number;
}

export const FAKE_TEAM = { id: 'T0FAILSAFE', name: 'Failsafe Test', domain: 'failsafe-test' } as const;
export const FAKE_BOT = {
  userId: 'U0FAILBOT',
  botId: 'B0FAILBOT',
  appId: 'A0FAILSAFE',
  name: 'failsafe',
} as const;

/**
 * What the fake's bot token was granted: manifest.yml's bot scopes, reported like Slack in the
 * `x-oauth-scopes` header of every answer to a valid token (test/doctor checks they match).
 */
export const FAKE_BOT_SCOPES: readonly string[] = [
  'commands',
  'chat:write',
  'chat:write.public',
  'users:read',
  'users:read.email',
  'im:write',
  'channels:manage',
  'groups:write',
  'channels:read',
  'groups:read',
  'channels:history',
  'groups:history',
  'im:history',
  'channels:join',
  'pins:write',
  'reactions:read',
  'files:write',
  'usergroups:read',
  'app_mentions:read',
];

export const DEFAULT_USERS: FakeUser[] = [
  { id: 'U0JANE', name: 'jane', realName: 'Jane Doe', email: 'jane@example.com', tz: 'Europe/London' },
  { id: 'U0SAM', name: 'sam', realName: 'Sam Lee', email: 'sam@example.com' },
  { id: 'U0ANA', name: 'ana', realName: 'Ana Ruiz', email: 'ana@example.com' },
  // In Slack but not in the fake PagerDuty: the "no PagerDuty account" case.
  { id: 'U0PAT', name: 'pat', realName: 'Pat Kim', email: 'pat@example.com', tz: 'America/New_York' },
];
/** The admin group of the tests' catalogs. */
export const DEFAULT_USERGROUPS: Record<string, string[]> = { S0ADMINS: ['U0SAM'] };
export const DEFAULT_CHANNELS = ['C0ALERTS', 'C0STAKE', 'C0DEFAULT'];

/** Message timestamps like Slack's: seconds.micros, unique and increasing within the fake. */
/**
 * Message timestamps as Slack makes them: the Unix time of the post in microseconds, so a 📌
 * lands on the timeline when it happened (a fixed 2023 start put it before the incident), and
 * strictly increasing, so two posts in one microsecond still get distinct ts.
 */
export function createTsClock(nowMs: () => number = Date.now): () => string {
  let last = 0n;
  return () => {
    const now = BigInt(Math.floor(nowMs() * 1000));
    last = now > last ? now : last + 1n;
    return `${last / 1_000_000n}.${String(last % 1_000_000n).padStart(6, '0')}`;
  };
}

/** Orders timestamps exactly; floats lose the last digits of a 16-digit ts. */
export function tsKey(ts: string): bigint {
  const [seconds = '0', fraction = ''] = ts.split('.');
  return BigInt(seconds) * 1_000_000n + BigInt(fraction.padEnd(6, '0').slice(0, 6) || '0');
}

export function messagesIn(state: FakeSlackState, channel: string): FakeMessage[] {
  let list = state.messages.get(channel);
  if (!list) {
    list = [];
    state.messages.set(channel, list);
  }
  return list;
}

/** The message as the Web API returns it (no fake-only bookkeeping). */
/** The message as the Web API shows it; metadata only where the caller asked for it. */
export function toApiMessage(message: FakeMessage, withMetadata = false): Record<string, unknown> {
  const { channel: _channel, edits: _edits, metadata, ...rest } = message;
  const api = withMetadata && metadata ? { ...rest, metadata } : rest;
  return message.bot_id
    ? { ...api, app_id: FAKE_BOT.appId, team: FAKE_TEAM.id }
    : { ...api, team: FAKE_TEAM.id };
}

export function toApiUser(user: FakeUser): Record<string, unknown> {
  return {
    id: user.id,
    team_id: FAKE_TEAM.id,
    name: user.name,
    deleted: user.deleted ?? false,
    real_name: user.realName,
    ...(user.tz ? { tz: user.tz } : {}),
    is_bot: user.isBot ?? false,
    is_app_user: false,
    profile: {
      real_name: user.realName,
      real_name_normalized: user.realName,
      display_name: user.name,
      email: user.email,
      team: FAKE_TEAM.id,
    },
  };
}
