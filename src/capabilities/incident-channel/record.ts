// A message of an incident channel on the timeline: once per message ts (live or backfilled),
// edits and deletions as entries of their own, with the author's name and the message's time.

import { recordEntry } from '../../kernel/timeline.ts';
import { advanceChannelCursor } from '../../store/slack-events.ts';
import { findEntry, hasEntry } from '../../store/timeline.ts';
import type { ChannelDeps } from './deps.ts';

export interface ChannelMessage {
  channel: string;
  ts: string;
  text: string;
  user?: string | undefined;
}

export const tsToDate = (ts: string) => new Date(Math.round(Number(ts) * 1000));

export async function recordMessage(deps: ChannelDeps, incidentId: string, m: ChannelMessage): Promise<void> {
  await recordEntry(deps.db, {
    incidentId,
    at: tsToDate(m.ts),
    kind: 'slack.message',
    actor: await deps.people.nameOf(m.user),
    text: m.text,
    data: { channel: m.channel, ts: m.ts, user: m.user ?? null },
    dedupKey: `msg:${m.channel}:${m.ts}`,
  });
  await advanceCursor(deps, m.channel, m.ts);
}

export async function recordEdit(
  deps: ChannelDeps,
  incidentId: string,
  m: ChannelMessage & { editedTs: string; previous: string },
): Promise<void> {
  await recordEntry(deps.db, {
    incidentId,
    at: tsToDate(m.editedTs),
    kind: 'slack.message_edited',
    actor: await deps.people.nameOf(m.user),
    text: m.text,
    data: { channel: m.channel, ts: m.ts, previous: m.previous },
    dedupKey: `msg-edit:${m.channel}:${m.ts}:${m.editedTs}`,
  });
}

export async function recordDeletion(
  deps: ChannelDeps,
  incidentId: string,
  m: { channel: string; ts: string; at: string; previous: string; user?: string | undefined },
): Promise<void> {
  await recordEntry(deps.db, {
    incidentId,
    at: tsToDate(m.at),
    kind: 'slack.message_deleted',
    actor: await deps.people.nameOf(m.user),
    text: `Message deleted (was: ${m.previous})`,
    data: { channel: m.channel, ts: m.ts },
    dedupKey: `msg-del:${m.channel}:${m.ts}`,
  });
}

/** Marks a message as key for the postmortem (📌 or "Add to timeline"); once per message. */
export async function markKey(
  deps: ChannelDeps,
  incidentId: string,
  m: { channel: string; ts: string; by: string; text?: string },
): Promise<boolean> {
  const message = await findEntry(deps.db, `msg:${m.channel}:${m.ts}`);
  const text = m.text ?? message?.text ?? 'a message in the incident channel';
  const already = await hasEntry(deps.db, `key:${m.channel}:${m.ts}`);
  await recordEntry(deps.db, {
    incidentId,
    at: tsToDate(m.ts),
    kind: 'slack.key_message',
    actor: await deps.people.nameOf(m.by),
    text,
    data: { channel: m.channel, ts: m.ts, markedBy: m.by },
    dedupKey: `key:${m.channel}:${m.ts}`,
  });
  return !already;
}

async function advanceCursor(deps: ChannelDeps, channel: string, ts: string): Promise<void> {
  await advanceChannelCursor(deps.db, channel, ts);
}
