// Live capture of incident channels through the Events API: messages, edits, deletions, 📌
// reactions and the "Add to timeline" message shortcut. Each Slack event_id is handled once,
// across retries and replicas.
import type {
  AllMiddlewareArgs,
  MessageShortcut,
  SlackEventMiddlewareArgs,
  SlackShortcutMiddlewareArgs,
} from '@slack/bolt';
import { incidentIdInChannel, recordSlackEvent } from '../../store/slack-events.ts';
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

/** True the first time this event_id is seen. */
export async function firstDelivery(
  deps: ChannelDeps,
  eventId: string | undefined,
  type: string,
  channel?: string,
): Promise<boolean> {
  if (!eventId) return true;
  return recordSlackEvent(deps.db, { eventId, type, channel: channel ?? null });
}

async function incidentIn(deps: ChannelDeps, channel: string): Promise<string | null> {
  return incidentIdInChannel(deps.db, channel);
}

type Message = Record<string, unknown> & { channel: string; ts: string; subtype?: string };

export async function onChannelMessage(
  deps: ChannelDeps,
  { event, body }: SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs,
): Promise<void> {
  const e = event as unknown as Message;
  const incidentId = await incidentIn(deps, e.channel);
  if (
    !incidentId ||
    !(await firstDelivery(deps, (body as { event_id?: string }).event_id, 'message', e.channel))
  )
    return;
  if (e.subtype === 'message_changed') {
    const m = e.message as {
      ts: string;
      text?: string;
      user?: string;
      bot_id?: string;
      edited?: { ts: string };
    };
    const previous = (e.previous_message as { text?: string } | undefined)?.text ?? '';
    if (m.bot_id || !m.edited || m.text === previous) return; // unfurls also arrive as "changes"
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
    const previous = e.previous_message as { text?: string; user?: string } | undefined;
    await recordDeletion(deps, incidentId, {
      channel: e.channel,
      ts: String(e.deleted_ts),
      at: e.ts,
      previous: previous?.text ?? '',
      user: previous?.user,
    });
    return;
  }
  if (e.bot_id || (e.subtype && IGNORED_SUBTYPES.has(e.subtype))) return;
  await recordMessage(deps, incidentId, {
    channel: e.channel,
    ts: e.ts,
    text: String(e.text ?? ''),
    user: e.user as string | undefined,
  });
}

export async function onReactionAdded(
  deps: ChannelDeps,
  { event, body }: SlackEventMiddlewareArgs<'reaction_added'> & AllMiddlewareArgs,
): Promise<void> {
  if (event.reaction !== 'pushpin' || event.item.type !== 'message') return;
  const incidentId = await incidentIn(deps, event.item.channel);
  if (!incidentId || !(await firstDelivery(deps, (body as { event_id?: string }).event_id, 'reaction_added')))
    return;
  await markKey(deps, incidentId, { channel: event.item.channel, ts: event.item.ts, by: event.user });
}

export async function onAddToTimeline(
  deps: ChannelDeps,
  { ack, shortcut, respond }: SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs,
): Promise<void> {
  await ack();
  const channel = shortcut.channel.id;
  const incidentId = await incidentIn(deps, channel);
  if (!incidentId) {
    await respond({
      response_type: 'ephemeral',
      text: 'This channel is not an incident channel, so there is no timeline to add to.',
    });
    return;
  }
  const text = shortcut.message.text ?? '';
  const added = await markKey(deps, incidentId, {
    channel,
    ts: shortcut.message.ts,
    by: shortcut.user.id,
    text,
  });
  await respond({
    response_type: 'ephemeral',
    text: added
      ? 'Added to the incident timeline as a key message.'
      : 'That message is already on the timeline as a key message.',
  });
}
