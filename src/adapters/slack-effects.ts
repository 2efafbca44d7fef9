// Our messages carry the key of the effect that posted them as Slack message metadata, so a
// retry whose earlier attempt may have reached Slack (a timeout, a crash before the record)
// can find that message instead of posting a second one.
import { z } from 'zod';
import type { SlackCall } from './slack-call.ts';
import { SlackApiError } from './slack-error.ts';

export const EFFECT_EVENT_TYPE = 'failsafe_effect';

/** How far back a retry looks: a crashed attempt is minutes old, and a busy channel moves fast. */
const LOOKUP_PAGES = 3;
const PAGE_SIZE = 200;

export function effectMetadata(key: string) {
  return { event_type: EFFECT_EVENT_TYPE, event_payload: { key } };
}

const page = z.object({
  messages: z.array(
    z.looseObject({
      ts: z.string(),
      metadata: z
        .looseObject({ event_type: z.string(), event_payload: z.record(z.string(), z.unknown()).optional() })
        .optional(),
    }),
  ),
  has_more: z.boolean().default(false),
  response_metadata: z.object({ next_cursor: z.string().optional() }).optional(),
});

export function effectMethods(call: SlackCall) {
  async function search(
    channel: string,
    key: string,
    threadTs: string | undefined,
  ): Promise<{ channel: string; ts: string } | null> {
    let cursor: string | undefined;
    for (let n = 0; n < LOOKUP_PAGES; n += 1) {
      // A threaded reply is not in the channel's history, only in its thread's.
      const result = await call(
        threadTs ? 'conversations.replies' : 'conversations.history',
        { channel, ts: threadTs, include_all_metadata: true, limit: PAGE_SIZE, cursor },
        page,
        'form',
      );
      const found = result.messages.find(
        (m) => m.metadata?.event_type === EFFECT_EVENT_TYPE && m.metadata.event_payload?.key === key,
      );
      if (found) return { channel, ts: found.ts };
      cursor = result.has_more ? result.response_metadata?.next_cursor || undefined : undefined;
      if (!cursor) return null;
    }
    return null;
  }

  return {
    /**
     * The message an earlier attempt of effect `key` posted in `channel` (or in the thread
     * `threadTs`), or null. A public channel we post to without being a member (chat:write.public)
     * is joined first: Slack shows its history to members only.
     */
    async findEffectMessage(
      channel: string,
      key: string,
      threadTs?: string,
    ): Promise<{ channel: string; ts: string } | null> {
      try {
        return await search(channel, key, threadTs);
      } catch (error) {
        if (!(error instanceof SlackApiError && error.code === 'not_in_channel')) throw error;
        await call('conversations.join', { channel }, z.object({}), 'json');
        return search(channel, key, threadTs);
      }
    },
  };
}
