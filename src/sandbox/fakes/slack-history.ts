// conversations.history and conversations.replies for the fake Slack, with the membership rule,
// cursor pagination and include_all_metadata of the method pages on docs.slack.dev.
import { type FakeMethod, fail, type MethodContext, resolveChannel, str } from './slack-args.ts';
import {
  FAKE_BOT,
  type FakeMessage,
  messagesIn,
  type SlackArgs,
  type SlackBody,
  toApiMessage,
  tsKey,
} from './slack-state.ts';
import { membersOf } from './slack-workspace.ts';

const truthy = (value: unknown) => value === true || value === 'true' || value === '1' || value === 1;

/**
 * The channel whose messages the bot may read: history is for members only (chat:write.public
 * lets the bot post where it is not a member, not read), and a private channel the bot is not
 * in does not exist for its token.
 */
function readable(args: SlackArgs, ctx: MethodContext): string | { error: string } {
  const channel = resolveChannel(ctx, args.channel, false);
  if (!channel) return { error: 'channel_not_found' };
  if (membersOf(ctx.state, channel).has(FAKE_BOT.userId)) return channel;
  return ctx.state.channelMeta.get(channel)?.isPrivate
    ? { error: 'channel_not_found' }
    : { error: 'not_in_channel' };
}

/** Newest-first or oldest-first pages with Slack's cursor: base64("next_ts:<digits>"). */
function paged(args: SlackArgs, all: FakeMessage[], newestFirst: boolean): SlackBody {
  const limit = Math.min(Math.max(Number(args.limit) || 100, 1), 999);
  let startKey: bigint | undefined;
  const cursor = str(args.cursor);
  if (cursor) {
    const match = /^next_ts:(\d{7,})$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
    if (!match?.[1]) return fail('invalid_cursor');
    startKey = BigInt(match[1]);
  }
  // oldest/latest bound the range, exclusive unless `inclusive` (docs.slack.dev, conversations.history).
  const bound = (raw: unknown) => (str(raw) ? tsKey(String(str(raw))) : undefined);
  const oldest = bound(args.oldest);
  const latest = bound(args.latest);
  const inclusive = truthy(args.inclusive);
  const inRange = all
    .filter(
      (m) => startKey === undefined || (newestFirst ? tsKey(m.ts) <= startKey : tsKey(m.ts) >= startKey),
    )
    .filter((m) => oldest === undefined || (inclusive ? tsKey(m.ts) >= oldest : tsKey(m.ts) > oldest))
    .filter((m) => latest === undefined || (inclusive ? tsKey(m.ts) <= latest : tsKey(m.ts) < latest))
    .sort((a, b) => ((newestFirst ? tsKey(b.ts) > tsKey(a.ts) : tsKey(a.ts) > tsKey(b.ts)) ? 1 : -1));
  const page = inRange.slice(0, limit);
  const next = inRange[limit];
  const withMetadata = truthy(args.include_all_metadata);
  return {
    ok: true,
    messages: page.map((m) => toApiMessage(m, withMetadata)),
    has_more: next !== undefined,
    ...(next
      ? {
          response_metadata: {
            next_cursor: Buffer.from(`next_ts:${next.ts.replace('.', '')}`).toString('base64'),
          },
        }
      : {}),
  };
}

function history(args: SlackArgs, ctx: MethodContext): SlackBody {
  const channel = readable(args, ctx);
  if (typeof channel !== 'string') return fail(channel.error);
  // A thread's replies are not in the channel's history, unless broadcast.
  const top = messagesIn(ctx.state, channel).filter(
    (m) => !m.thread_ts || m.thread_ts === m.ts || m.reply_broadcast,
  );
  const body = paged(args, top, true);
  if (!body.ok) return body;
  return {
    ...body,
    pin_count: ctx.state.pins.get(channel)?.size ?? 0,
    channel_actions_ts: null,
    channel_actions_count: 0,
  };
}

/** The parent message first, then its replies, oldest first. */
function replies(args: SlackArgs, ctx: MethodContext): SlackBody {
  const channel = readable(args, ctx);
  if (typeof channel !== 'string') return fail(channel.error);
  const ts = str(args.ts);
  if (!ts) return fail('invalid_arguments');
  const messages = messagesIn(ctx.state, channel);
  if (!messages.some((m) => m.ts === ts)) return fail('thread_not_found');
  return paged(
    args,
    messages.filter((m) => m.ts === ts || m.thread_ts === ts),
    false,
  );
}

export const historyMethods: Record<string, FakeMethod> = {
  'conversations.history': { formOnly: true, handle: history },
  'conversations.replies': { formOnly: true, handle: replies },
};
