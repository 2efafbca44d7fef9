// Live capture of incident channels through the Events API: messages, edits, deletions, 📌
// reactions and the "Add to timeline" message shortcut.
//
// Store first, answer second: Bolt answers an event's 200 before any listener runs, so a crash
// mid-event used to lose it (Slack retries only what got no 2xx). app.ts holds an event's 200
// until its listeners finish, and the listener here only stores the event (deduplicated by
// event_id) and queues a `slack-event` job; the job does the timeline work. Holding the 200 for
// that one INSERT keeps Slack's 3 s deadline whatever the timeline work costs (a users.info
// lookup may wait out a 429), and a crash before the 200 is retried by Slack onto the stored row.
import type {
  AllMiddlewareArgs,
  MessageShortcut,
  SlackEventMiddlewareArgs,
  SlackShortcutMiddlewareArgs,
} from '@slack/bolt';
import { z } from 'zod';
import type { JobDefinition } from '../../jobs/types.ts';
import {
  incidentIdInChannel,
  markSlackEventHandled,
  storeSlackEvent,
  unhandledSlackEvent,
} from '../../store/slack-events.ts';
import { applyChannelEvent, ChannelEvent, capturedChannel } from './channel-events.ts';
import type { ChannelDeps } from './deps.ts';
import { markKey } from './record.ts';

const Envelope = z.object({ event_id: z.string().min(1).optional() });

/** The Bolt listener for `message` and `reaction_added`: stores what capture records, queues its job. */
export async function storeChannelEvent(
  deps: ChannelDeps,
  { event, body }: SlackEventMiddlewareArgs<'message' | 'reaction_added'> & AllMiddlewareArgs,
): Promise<void> {
  const channel = capturedChannel(event);
  // Only incident channels are kept: the bot also sits in feature channels nobody asked to log.
  if (!channel || !(await incidentIdInChannel(deps.db, channel))) return;
  const eventId = Envelope.parse(body).event_id;
  if (!eventId) {
    // Not from Slack's Events API (it always sends one): nothing to deduplicate by.
    await applyChannelEvent(deps, ChannelEvent.parse(event));
    return;
  }
  const unhandled = await storeSlackEvent(deps.db, { eventId, type: event.type, channel, payload: event });
  deps.faults.crashAt('event-after-store');
  // Queued on every delivery until handled: a crash may have come between the store and this.
  if (unhandled) await deps.queue.enqueue('slack-event', eventId, { eventId }, { inline: true });
}

/** `slack-event`: the stored event onto the timeline, once. */
export function eventJobs(deps: ChannelDeps): JobDefinition[] {
  return [
    {
      name: 'slack-event',
      handler: async ({ eventId }) => {
        const stored = await unhandledSlackEvent(deps.db, eventId);
        if (!stored) return;
        await applyChannelEvent(deps, ChannelEvent.parse(stored.payload));
        await markSlackEventHandled(deps.db, eventId, deps.clock.now());
      },
    },
  ];
}

export async function onAddToTimeline(
  deps: ChannelDeps,
  { ack, shortcut, respond }: SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs,
): Promise<void> {
  await ack();
  const channel = shortcut.channel.id;
  const incidentId = await incidentIdInChannel(deps.db, channel);
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
