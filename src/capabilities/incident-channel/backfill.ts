// Catching up on an incident channel after downtime or a late join: conversations.history
// from the newest message already recorded, page by page. The timeline's dedup key (the
// message ts) makes a repeat or an overlap with live capture record nothing twice; a 429 is
// retried by the queue after Slack's Retry-After.

import type { JobDefinition } from '../../jobs/types.ts';
import { findIncident } from '../../store/incidents.ts';
import { findChannelCursor, openIncidentsWithChannel } from '../../store/slack-events.ts';
import type { ChannelDeps } from './deps.ts';
import { recordMessage } from './record.ts';

const MAX_PAGES = 50;

export function backfillJobs(deps: ChannelDeps): JobDefinition[] {
  return [
    {
      name: 'channel-backfill',
      maxAttempts: 20,
      backoff: { baseDelayMs: 2_000, maxDelayMs: 60_000 },
      handler: ({ incidentId }) => backfillChannel(deps, incidentId).then(() => undefined),
    },
  ];
}

/** Records what the channel holds that the timeline lacks; returns how many messages it read. */
export async function backfillChannel(deps: ChannelDeps, incidentId: string): Promise<number> {
  const incident = await findIncident(deps.db, incidentId);
  if (!incident?.channelId) return 0;
  const channel = incident.channelId;
  const cursor = await findChannelCursor(deps.db, channel);
  let page: string | undefined;
  let read = 0;
  for (let i = 0; i < MAX_PAGES; i++) {
    const result = await deps.slack.historyPage(channel, {
      oldest: cursor?.latestTs ?? undefined,
      cursor: page,
    });
    for (const m of result.messages) {
      read++;
      if (m.botId || m.subtype) continue;
      await recordMessage(deps, incidentId, { channel, ts: m.ts, text: m.text, user: m.user });
    }
    if (!result.nextCursor) break;
    page = result.nextCursor;
  }
  return read;
}

/** At start-up: catch up every open incident channel on what was said while we were down. */
export async function sweepChannels(deps: ChannelDeps, bootId: string): Promise<number> {
  const open = await openIncidentsWithChannel(deps.db);
  for (const id of open) await deps.queue.enqueue('channel-backfill', `${id}:${bootId}`, { incidentId: id });
  return open.length;
}
