// conversations.create / invite / join / info / members / list for the fake Slack, with the checks and
// error codes of test/contracts/slack/web-api-openapi-v2.json and the method pages on docs.slack.dev.
import { type FakeMethod, fail, type MethodContext, resolveChannel, str } from './slack-args.ts';
import { FAKE_BOT, FAKE_TEAM, type FakeSlackState, type SlackArgs, type SlackBody } from './slack-state.ts';
import { addChannel, membersOf } from './slack-workspace.ts';

const MAX_NAME = 80;
const MAX_INVITES = 1000;
const truthy = (value: unknown) => value === true || value === 'true' || value === '1' || value === 1;

/** A conversation object as Slack's conversations.* methods return it. */
export function toApiChannel(state: FakeSlackState, id: string): Record<string, unknown> {
  const meta = state.channelMeta.get(id);
  const name = state.names.get(id) ?? id.toLowerCase();
  const isIm = id.startsWith('D');
  const base = { id, created: meta?.created ?? 0, is_archived: false, is_org_shared: false };
  if (isIm) {
    const user = [...membersOf(state, id)].find((member) => member !== FAKE_BOT.userId);
    return { ...base, is_im: true, is_channel: false, is_group: false, is_private: true, user };
  }
  const topic = { value: '', creator: '', last_set: 0 };
  return {
    ...base,
    name,
    name_normalized: name,
    // Private channels made since 2021 have C ids and is_channel true; G ids are the old kind.
    is_channel: id.startsWith('C'),
    is_group: id.startsWith('G'),
    is_im: false,
    is_mpim: false,
    is_private: meta?.isPrivate ?? false,
    is_general: false,
    is_shared: false,
    is_ext_shared: false,
    is_pending_ext_shared: false,
    pending_shared: [],
    context_team_id: FAKE_TEAM.id,
    creator: meta?.creator ?? '',
    is_member: membersOf(state, id).has(FAKE_BOT.userId),
    unlinked: 0,
    topic,
    purpose: topic,
    previous_names: [],
  };
}

/** Private channels the bot is not in do not exist as far as its token can tell. */
function visibleChannel(args: SlackArgs, ctx: MethodContext): string | undefined {
  const id = resolveChannel(ctx, args.channel, false);
  if (!id) return undefined;
  const hidden = ctx.state.channelMeta.get(id)?.isPrivate && !membersOf(ctx.state, id).has(FAKE_BOT.userId);
  return hidden ? undefined : id;
}

function nameError(name: string | undefined): string | undefined {
  if (!name) return 'invalid_name_required';
  if (name.length > MAX_NAME) return 'invalid_name_maxlength';
  if (!/^[a-z0-9_-]+$/.test(name)) return 'invalid_name_specials';
  if (/^[-_]+$/.test(name)) return 'invalid_name_punctuation';
  return undefined;
}

function create(args: SlackArgs, ctx: MethodContext): SlackBody {
  const name = str(args.name);
  const invalid = nameError(name);
  if (invalid || !name) return fail(invalid ?? 'invalid_name_required');
  if ([...ctx.state.names.values()].includes(name)) return fail('name_taken');
  let n = ctx.state.channels.size + 1;
  while (ctx.state.channels.has(`C0CH${String(n).padStart(6, '0')}`)) n += 1;
  const id = `C0CH${String(n).padStart(6, '0')}`;
  addChannel(ctx.state, id, { name, isPrivate: truthy(args.is_private), members: [FAKE_BOT.userId] });
  const channel = { ...toApiChannel(ctx.state, id), last_read: '0000000000.000000', latest: null };
  return { ok: true, channel: { ...channel, unread_count: 0, unread_count_display: 0, priority: 0 } };
}

function userList(raw: unknown): string[] {
  const joined = Array.isArray(raw) ? raw.join(',') : (str(raw) ?? '');
  return joined
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
}

function invite(args: SlackArgs, ctx: MethodContext): SlackBody {
  const channel = visibleChannel(args, ctx);
  if (!channel) return fail('channel_not_found');
  if (channel.startsWith('D')) return fail('method_not_supported_for_channel_type');
  const members = membersOf(ctx.state, channel);
  if (!members.has(FAKE_BOT.userId)) return fail('not_in_channel');
  const ids = userList(args.users);
  if (ids.length === 0) return fail('no_user');
  if (ids.length > MAX_INVITES) return fail('too_many_users');
  const errors = ids.flatMap((user) => {
    const known = ctx.state.users.find((u) => u.id === user && !u.deleted);
    const error = user === FAKE_BOT.userId ? 'cant_invite_self' : known ? undefined : 'user_not_found';
    return error ? [{ user, ok: false, error }] : [];
  });
  const first = errors[0];
  if (first) return { ok: false, error: first.error, errors };
  if (ids.every((id) => members.has(id))) return fail('already_in_channel');
  for (const id of ids) members.add(id);
  return { ok: true, channel: toApiChannel(ctx.state, channel) };
}

function join(args: SlackArgs, ctx: MethodContext): SlackBody {
  const channel = visibleChannel(args, ctx);
  if (!channel) return fail('channel_not_found');
  const meta = ctx.state.channelMeta.get(channel);
  if (channel.startsWith('D') || meta?.isPrivate) return fail('method_not_supported_for_channel_type');
  const members = membersOf(ctx.state, channel);
  const already = members.has(FAKE_BOT.userId);
  members.add(FAKE_BOT.userId);
  const body = { ok: true, channel: toApiChannel(ctx.state, channel) };
  return already
    ? { ...body, warning: 'already_in_channel', response_metadata: { warnings: ['already_in_channel'] } }
    : body;
}

function info(args: SlackArgs, ctx: MethodContext): SlackBody {
  const channel = visibleChannel(args, ctx);
  if (!channel) return fail('channel_not_found');
  const count = truthy(args.include_num_members) ? { num_members: membersOf(ctx.state, channel).size } : {};
  return { ok: true, channel: { ...toApiChannel(ctx.state, channel), ...count } };
}

// Slack's member cursors are opaque base64; this one names the first member of the next page.
const memberCursor = (user: string) => Buffer.from(`user_id:${user}`).toString('base64');

function members(args: SlackArgs, ctx: MethodContext): SlackBody {
  const channel = visibleChannel(args, ctx);
  if (!channel) return fail('channel_not_found');
  const rawLimit = str(args.limit);
  const limit = rawLimit === undefined ? 100 : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1) return fail('invalid_limit');
  const all = [...membersOf(ctx.state, channel)];
  let start = 0;
  const cursor = str(args.cursor);
  if (cursor) {
    const user = /^user_id:(\w+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'))?.[1];
    start = user ? all.indexOf(user) : -1;
    if (start < 0) return fail('invalid_cursor');
  }
  const end = start + Math.min(limit, 1000);
  const next = all[end];
  return {
    ok: true,
    members: all.slice(start, end),
    response_metadata: { next_cursor: next ? memberCursor(next) : '' },
  };
}

const TYPES = new Set(['public_channel', 'private_channel', 'mpim', 'im']);
const listCursor = (id: string) => Buffer.from(`id:${id}`).toString('base64');

/** Channels of the asked types the bot can see (private ones only as a member), in id order. */
function list(args: SlackArgs, ctx: MethodContext): SlackBody {
  const types = (str(args.types) ?? 'public_channel').split(',').map((t) => t.trim());
  if (!types.every((t) => TYPES.has(t))) return fail('invalid_types');
  const rawLimit = str(args.limit);
  const limit = rawLimit === undefined ? 100 : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1) return fail('invalid_limit');
  const all = [...ctx.state.channels].sort().filter((id) => {
    if (id.startsWith('D')) return types.includes('im');
    const isPrivate = ctx.state.channelMeta.get(id)?.isPrivate ?? false;
    if (!isPrivate) return types.includes('public_channel');
    return types.includes('private_channel') && membersOf(ctx.state, id).has(FAKE_BOT.userId);
  });
  let start = 0;
  const cursor = str(args.cursor);
  if (cursor) {
    const id = /^id:(\w+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'))?.[1];
    start = id ? all.indexOf(id) : -1;
    if (start < 0) return fail('invalid_cursor');
  }
  const end = start + Math.min(limit, 1000);
  const next = all[end];
  return {
    ok: true,
    channels: all.slice(start, end).map((id) => toApiChannel(ctx.state, id)),
    response_metadata: { next_cursor: next ? listCursor(next) : '' },
  };
}

export const conversationMethods: Record<string, FakeMethod> = {
  'conversations.list': { formOnly: true, handle: list },
  'conversations.create': { handle: create },
  'conversations.invite': { handle: invite },
  'conversations.join': { handle: join },
  'conversations.info': { formOnly: true, handle: info },
  'conversations.members': { formOnly: true, handle: members },
};
