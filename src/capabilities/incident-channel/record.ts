// A message of an incident channel on the timeline: once per message ts (live or backfilled),
// edits and deletions as entries of their own, with the author's name and the message's time.
import type { AppDeps } from '../../deps.ts';
import { advanceChannelCursor } from '../../store/slack-events.ts';
import { findEntry, hasEntry } from '../../store/timeline.ts';
import { recordEntry } from '../timeline/record.ts';

export interface ChannelMessage {
  channel: string;
  ts: string;
  text: string;
  user?: string | undefined;
}

export const tsToDate = (ts: string) => new Date(Math.round(Number(ts) * 1000));

const NAME_TTL_MS = 10 * 60_000;
const names = new WeakMap<object, Map<string, { name: string; until: number }>>();

/** The person's display name, cached a few minutes per process. */
export async function nameOf(deps: AppDeps, userId: string | undefined): Promise<string> {
  if (!userId) return 'someone';
  const cache = names.get(deps.queue) ?? new Map();
  names.set(deps.queue, cache);
  const hit = cache.get(userId);
  if (hit && hit.until > Date.now()) return hit.name;
  const user = await deps.slack.usersInfo(userId).catch(() => null);
  const name = user?.realName ?? user?.name ?? userId;
  cache.set(userId, { name, until: Date.now() + NAME_TTL_MS });
  return name;
}

export async function recordMessage(deps: AppDeps, incidentId: string, m: ChannelMessage): Promise<void> {
  await recordEntry(deps.db, {
    incidentId,
    at: tsToDate(m.ts),
    kind: 'slack.message',
    actor: await nameOf(deps, m.user),
    text: m.text,
    data: { channel: m.channel, ts: m.ts, user: m.user ?? null },
    dedupKey: `msg:${m.channel}:${m.ts}`,
  });
  await advanceCursor(deps, m.channel, m.ts);
}

export async function recordEdit(
  deps: AppDeps,
  incidentId: string,
  m: ChannelMessage & { editedTs: string; previous: string },
): Promise<void> {
  await recordEntry(deps.db, {
    incidentId,
    at: tsToDate(m.editedTs),
    kind: 'slack.message_edited',
    actor: await nameOf(deps, m.user),
    text: m.text,
    data: { channel: m.channel, ts: m.ts, previous: m.previous },
    dedupKey: `msg-edit:${m.channel}:${m.ts}:${m.editedTs}`,
  });
}

export async function recordDeletion(
  deps: AppDeps,
  incidentId: string,
  m: { channel: string; ts: string; at: string; previous: string; user?: string | undefined },
): Promise<void> {
  await recordEntry(deps.db, {
    incidentId,
    at: tsToDate(m.at),
    kind: 'slack.message_deleted',
    actor: await nameOf(deps, m.user),
    text: `Message deleted (was: ${m.previous})`,
    data: { channel: m.channel, ts: m.ts },
    dedupKey: `msg-del:${m.channel}:${m.ts}`,
  });
}

/** Marks a message as key for the postmortem (📌 or "Add to timeline"); once per message. */
export async function markKey(
  deps: AppDeps,
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
    actor: await nameOf(deps, m.by),
    text,
    data: { channel: m.channel, ts: m.ts, markedBy: m.by },
    dedupKey: `key:${m.channel}:${m.ts}`,
  });
  return !already;
}

async function advanceCursor(deps: AppDeps, channel: string, ts: string): Promise<void> {
  await advanceChannelCursor(deps.db, channel, ts);
}
