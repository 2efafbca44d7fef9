// The Web API methods the fake implements, with the argument checks and error codes of
// test/contracts/slack/web-api-openapi-v2.json and the method pages on docs.slack.dev.

import {
  type FakeMethod,
  fail,
  hasContent,
  type MethodContext,
  openDm,
  readContent,
  readMetadata,
  resolveChannel,
  str,
} from './slack-args.ts';
import {
  FAKE_BOT,
  FAKE_TEAM,
  type FakeMessage,
  messagesIn,
  type SlackArgs,
  type SlackBody,
  toApiMessage,
  toApiUser,
} from './slack-state.ts';
import { membersOf } from './slack-workspace.ts';

export type { FakeMethod, MethodContext } from './slack-args.ts';

/**
 * chat:write.public lets the bot post in any public channel; a private one it is not in is, to
 * it, a channel that does not exist.
 */
function hiddenFromBot(ctx: MethodContext, channel: string): boolean {
  const isPrivate = ctx.state.channelMeta.get(channel)?.isPrivate ?? false;
  return isPrivate && !channel.startsWith('D') && !membersOf(ctx.state, channel).has(FAKE_BOT.userId);
}

function postMessage(args: SlackArgs, ctx: MethodContext): SlackBody {
  const channel = resolveChannel(ctx, args.channel, true);
  if (!channel || hiddenFromBot(ctx, channel)) return fail('channel_not_found');
  const content = readContent(args);
  if ('error' in content) return fail(content.error, content.detail);
  if (!hasContent(content)) return fail('no_text');
  const metadata = readMetadata(args.metadata);
  if (metadata && 'error' in metadata) return fail(metadata.error);
  const threadTs = str(args.thread_ts);
  const message: FakeMessage = {
    type: 'message',
    channel,
    ts: ctx.nextTs(),
    text: content.text ?? '',
    ...(content.blocks ? { blocks: content.blocks } : {}),
    ...(content.attachments ? { attachments: content.attachments } : {}),
    ...(threadTs ? { thread_ts: threadTs } : {}),
    ...(threadTs && (args.reply_broadcast === true || args.reply_broadcast === 'true')
      ? { reply_broadcast: true }
      : {}),
    user: FAKE_BOT.userId,
    bot_id: FAKE_BOT.botId,
    edits: [],
    ...(metadata ? { metadata } : {}),
  };
  messagesIn(ctx.state, channel).push(message);
  return { ok: true, channel, ts: message.ts, message: toApiMessage(message) };
}

function update(args: SlackArgs, ctx: MethodContext): SlackBody {
  const channel = resolveChannel(ctx, args.channel, false);
  if (!channel || hiddenFromBot(ctx, channel)) return fail('channel_not_found');
  const message = messagesIn(ctx.state, channel).find((m) => m.ts === str(args.ts));
  if (!message) return fail('message_not_found');
  if (message.user !== FAKE_BOT.userId) return fail('cant_update_message');
  const content = readContent(args);
  if ('error' in content) return fail(content.error, content.detail);
  if (!hasContent(content)) return fail('no_text');
  // Per chat.update's docs, omitted blocks keep the previous ones; [] removes them.
  if (content.text !== undefined) message.text = content.text;
  if (content.blocks) message.blocks = content.blocks;
  if (content.blocks?.length === 0) delete message.blocks;
  if (content.attachments) message.attachments = content.attachments;
  message.edited = { user: FAKE_BOT.userId, ts: ctx.nextTs() };
  message.edits.push({ text: message.text, blocks: message.blocks, editTs: message.edited.ts });
  return { ok: true, channel, ts: message.ts, text: message.text, message: toApiMessage(message) };
}

function postEphemeral(args: SlackArgs, ctx: MethodContext): SlackBody {
  const channel = resolveChannel(ctx, args.channel, false);
  if (!channel) return fail('channel_not_found');
  const user = ctx.state.users.find((u) => u.id === str(args.user));
  if (!user) return fail('user_not_found');
  // Slack shows an ephemeral message only to a member of the conversation.
  if (!channel.startsWith('D') && !membersOf(ctx.state, channel).has(user.id))
    return fail('user_not_in_channel');
  const content = readContent(args);
  if ('error' in content) return fail(content.error, content.detail);
  if (!hasContent(content)) return fail('no_text');
  const threadTs = str(args.thread_ts);
  const messageTs = ctx.nextTs();
  ctx.state.ephemeral.push({
    channel,
    user: user.id,
    text: content.text ?? '',
    ...(content.blocks ? { blocks: content.blocks } : {}),
    ...(threadTs ? { thread_ts: threadTs } : {}),
    message_ts: messageTs,
  });
  return { ok: true, message_ts: messageTs };
}

function lookupByEmail(args: SlackArgs, ctx: MethodContext): SlackBody {
  const email = str(args.email)?.toLowerCase();
  if (!email) return fail('invalid_arguments');
  const user = ctx.state.users.find((u) => u.email.toLowerCase() === email);
  return user ? { ok: true, user: toApiUser(user) } : fail('users_not_found');
}

function usersInfo(args: SlackArgs, ctx: MethodContext): SlackBody {
  const user = ctx.state.users.find((u) => u.id === str(args.user));
  return user ? { ok: true, user: toApiUser(user) } : fail('user_not_found');
}

function conversationsOpen(args: SlackArgs, ctx: MethodContext): SlackBody {
  if (str(args.channel)) {
    const channel = resolveChannel(ctx, args.channel, false);
    return channel ? { ok: true, channel: { id: channel } } : fail('channel_not_found');
  }
  const raw = Array.isArray(args.users) ? args.users.join(',') : (str(args.users) ?? '');
  const ids = raw.split(',').filter(Boolean);
  if (ids.length === 0) return fail('users_list_not_supplied');
  if (ids.length > 1) return fail('method_not_supported_for_channel_type'); // group DMs: not needed
  const user = ctx.state.users.find((u) => u.id === ids[0]);
  if (!user) return fail('user_not_found');
  const alreadyOpen = ctx.state.channels.has(`D${user.id}`);
  const id = openDm(ctx, user.id);
  return { ok: true, channel: { id }, ...(alreadyOpen ? { no_op: true, already_open: true } : {}) };
}

function authTest(): SlackBody {
  return {
    ok: true,
    url: `https://${FAKE_TEAM.domain}.slack.com/`,
    team: FAKE_TEAM.name,
    user: FAKE_BOT.name,
    team_id: FAKE_TEAM.id,
    user_id: FAKE_BOT.userId,
    bot_id: FAKE_BOT.botId,
    is_enterprise_install: false,
  };
}

export const slackMethods: Record<string, FakeMethod> = {
  'auth.test': { handle: authTest },
  'chat.postMessage': { handle: postMessage },
  'chat.update': { handle: update },
  'chat.postEphemeral': { handle: postEphemeral },
  'users.lookupByEmail': { formOnly: true, handle: lookupByEmail },
  'users.info': { formOnly: true, handle: usersInfo },
  'conversations.open': { handle: conversationsOpen },
};
