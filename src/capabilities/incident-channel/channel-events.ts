// The Events API events live capture puts on the timeline — a message, its edit or deletion, a
// 📌 — parsed (only the fields used) and applied. Every write is keyed by the message's ts, so
// applying one event twice (a job re-run after a crash) records it once.
import { z } from 'zod';
import { incidentIdInChannel } from '../../store/slack-events.ts';
import type { ChannelDeps } from './deps.ts';
import { markKey, recordDeletion, recordEdit, recordMessage } from './record.ts';

/** Messages that are Slack's own bookkeeping, not something a person said. */
const IGNORED_SUBTYPES = new Set([
  'channel_join',
  'channel_leave',
  'channel_purpose',
  'channel_topic',
  'pinned_item',
  'bot_message',
]);

const MessageEvent = z.object({
  type: z.literal('message'),
  channel: z.string().min(1),
  ts: z.string().min(1),
  subtype: z.string().optional(),
  text: z.string().optional(),
  user: z.string().optional(),
  bot_id: z.string().optional(),
  deleted_ts: z.string().optional(),
  message: z
    .object({
      ts: z.string(),
      text: z.string().optional(),
      user: z.string().optional(),
      bot_id: z.string().optional(),
      edited: z.object({ ts: z.string() }).optional(),
    })
    .optional(),
  previous_message: z.object({ text: z.string().optional(), user: z.string().optional() }).optional(),
});

const ReactionEvent = z.object({
  type: z.literal('reaction_added'),
  user: z.string().min(1),
  reaction: z.string(),
  item: z.object({ type: z.string(), channel: z.string().min(1), ts: z.string().min(1) }),
});

export const ChannelEvent = z.discriminatedUnion('type', [MessageEvent, ReactionEvent]);
export type ChannelEvent = z.infer<typeof ChannelEvent>;

/** The incident channel an event is about, or null when it is nothing capture records. */
export function capturedChannel(event: unknown): string | null {
  const parsed = ChannelEvent.safeParse(event);
  if (!parsed.success) return null;
  const e = parsed.data;
  if (e.type === 'message') return e.channel;
  return e.reaction === 'pushpin' && e.item.type === 'message' ? e.item.channel : null;
}

export async function applyChannelEvent(deps: ChannelDeps, event: ChannelEvent): Promise<void> {
  if (event.type === 'reaction_added') {
    const incidentId = await incidentIdInChannel(deps.db, event.item.channel);
    if (incidentId && event.reaction === 'pushpin')
      await markKey(deps, incidentId, { channel: event.item.channel, ts: event.item.ts, by: event.user });
    return;
  }
  const incidentId = await incidentIdInChannel(deps.db, event.channel);
  if (incidentId) await applyMessage(deps, incidentId, event);
}

async function applyMessage(
  deps: ChannelDeps,
  incidentId: string,
  e: z.infer<typeof MessageEvent>,
): Promise<void> {
  if (e.subtype === 'message_changed') {
    const m = e.message;
    const previous = e.previous_message?.text ?? '';
    // Unfurls also arrive as "changes", without `edited` or with the same text.
    if (!m || m.bot_id || !m.edited || m.text === previous) return;
    await recordEdit(deps, incidentId, {
      channel: e.channel,
      ts: m.ts,
      text: m.text ?? '',
      user: m.user,
      editedTs: m.edited.ts,
      previous,
    });
    return;
  }
  if (e.subtype === 'message_deleted') {
    await recordDeletion(deps, incidentId, {
      channel: e.channel,
      ts: String(e.deleted_ts),
      at: e.ts,
      previous: e.previous_message?.text ?? '',
      user: e.previous_message?.user,
    });
    return;
  }
  if (e.bot_id || (e.subtype && IGNORED_SUBTYPES.has(e.subtype))) return;
  await recordMessage(deps, incidentId, { channel: e.channel, ts: e.ts, text: e.text ?? '', user: e.user });
}
