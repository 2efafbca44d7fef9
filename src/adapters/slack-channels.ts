// Slack Web API calls for incident channels: create, invite, pin, and read history page by
// page (cursor pagination; 429 + Retry-After surfaces as a retryable UpstreamError).
import { z } from 'zod';
import type { SlackCall } from './slack-call.ts';

export interface SlackHistoryMessage {
  ts: string;
  text: string;
  user?: string | undefined;
  botId?: string | undefined;
  subtype?: string | undefined;
  threadTs?: string | undefined;
}

const channel = z.object({ channel: z.object({ id: z.string(), name: z.string().optional() }) });
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

export function channelMethods(call: SlackCall) {
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

    async pinMessage(channelId: string, ts: string): Promise<void> {
      await call('pins.add', { channel: channelId, timestamp: ts }, z.object({}), 'json');
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
