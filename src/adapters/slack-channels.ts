// Slack Web API calls for incident channels: create, invite, pin, and read history page by
// page (cursor pagination; 429 + Retry-After surfaces as a retryable UpstreamError).
import { z } from 'zod';
import type { SlackCall } from './slack-call.ts';
import { SlackApiError } from './slack-error.ts';

export interface SlackHistoryMessage {
  ts: string;
  text: string;
  user?: string | undefined;
  botId?: string | undefined;
  subtype?: string | undefined;
  threadTs?: string | undefined;
}

const channel = z.object({ channel: z.object({ id: z.string(), name: z.string().optional() }) });
const info = z.object({
  channel: z.object({
    id: z.string(),
    name: z.string().optional(),
    is_private: z.boolean().default(false),
    is_member: z.boolean().default(false),
  }),
});
const membersPage = z.object({
  members: z.array(z.string()),
  response_metadata: z.object({ next_cursor: z.string().optional() }).optional(),
});
const history = z.object({
  messages: z.array(
    z.looseObject({
      ts: z.string(),
      text: z.string().default(''),
      user: z.string().optional(),
      bot_id: z.string().optional(),
      subtype: z.string().optional(),
      thread_ts: z.string().optional(),
    }),
  ),
  has_more: z.boolean().default(false),
  response_metadata: z.object({ next_cursor: z.string().optional() }).optional(),
});

/** 50,000 channels: past that a workspace is better served by a suffixed name than a slow list. */
const LIST_PAGES = 50;
const whoAmI = z.object({ user_id: z.string() });
const listPage = z.object({
  channels: z.array(z.looseObject({ id: z.string(), name: z.string(), creator: z.string().optional() })),
  response_metadata: z.object({ next_cursor: z.string().optional() }).optional(),
});

export function channelMethods(call: SlackCall) {
  let botUser: Promise<string> | undefined;
  return {
    async createChannel(name: string): Promise<{ id: string; name: string }> {
      const result = await call('conversations.create', { name }, channel, 'json');
      return { id: result.channel.id, name: result.channel.name ?? name };
    },

    async inviteToChannel(channelId: string, userIds: string[]): Promise<void> {
      await call(
        'conversations.invite',
        { channel: channelId, users: userIds.join(',') },
        z.object({}),
        'json',
      );
    },

    /** Everyone in a channel, following Slack's cursor to the end (1,000 a page). */
    async channelMembers(channelId: string): Promise<string[]> {
      const all: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await call(
          'conversations.members',
          { channel: channelId, limit: 1000, cursor },
          membersPage,
          'form',
        );
        all.push(...page.members);
        cursor = page.response_metadata?.next_cursor || undefined;
      } while (cursor);
      return all;
    },

    /** Pinning a message that is already pinned (a retry after a crash) is a no-op. */
    async pinMessage(channelId: string, ts: string): Promise<void> {
      try {
        await call('pins.add', { channel: channelId, timestamp: ts }, z.object({}), 'json');
      } catch (error) {
        if (!(error instanceof SlackApiError && error.code === 'already_pinned')) throw error;
      }
    },

    /** The bot's own user id (auth.test), asked once per adapter. */
    async botUserId(): Promise<string> {
      botUser ??= call('auth.test', {}, whoAmI, 'json').then((r) => r.user_id);
      return botUser.catch((error: unknown) => {
        botUser = undefined;
        throw error;
      });
    },

    /**
     * The unarchived channel named `name` that the bot can see, with who created it, or null.
     * Slack has no lookup by name: conversations.list, page by page.
     */
    async findChannelByName(name: string): Promise<{ id: string; name: string; creator: string } | null> {
      let cursor: string | undefined;
      for (let n = 0; n < LIST_PAGES; n += 1) {
        const page = await call(
          'conversations.list',
          { types: 'public_channel,private_channel', exclude_archived: true, limit: 1000, cursor },
          listPage,
          'form',
        );
        const found = page.channels.find((c) => c.name === name);
        if (found) return { id: found.id, name: found.name, creator: found.creator ?? '' };
        cursor = page.response_metadata?.next_cursor || undefined;
        if (!cursor) return null;
      }
      return null;
    },

    /**
     * A channel's name, privacy and whether the bot is in it (conversations.info), or null when
     * the bot cannot see it: Slack answers channel_not_found for a private channel it is not in.
     */
    async channelInfo(
      channelId: string,
    ): Promise<{ id: string; name: string; isPrivate: boolean; isMember: boolean } | null> {
      try {
        const { channel: c } = await call('conversations.info', { channel: channelId }, info, 'form');
        return { id: c.id, name: c.name ?? c.id, isPrivate: c.is_private, isMember: c.is_member };
      } catch (error) {
        if (error instanceof SlackApiError && error.code === 'channel_not_found') return null;
        throw error;
      }
    },

    /** One page of a channel's messages newer than `oldest`, newest first (Slack's order). */
    async historyPage(
      channelId: string,
      options: { oldest?: string | undefined; cursor?: string | undefined; limit?: number },
    ): Promise<{ messages: SlackHistoryMessage[]; nextCursor: string | null }> {
      const result = await call(
        'conversations.history',
        { channel: channelId, oldest: options.oldest, cursor: options.cursor, limit: options.limit ?? 200 },
        history,
        'form',
      );
      return {
        messages: result.messages.map((m) => ({
          ts: m.ts,
          text: m.text,
          user: m.user,
          botId: m.bot_id,
          subtype: m.subtype,
          threadTs: m.thread_ts,
        })),
        nextCursor: result.has_more ? result.response_metadata?.next_cursor || null : null,
      };
    },
  };
}
