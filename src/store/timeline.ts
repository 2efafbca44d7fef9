// The timeline is append-only: entries are inserted once (a retried job hits the dedup
// key and adds nothing) and never updated.
import { randomUUID } from 'node:crypto';
import type { TimelineEntry } from '../generated/prisma/client.ts';
import type { Tx } from './tx.ts';

export interface TimelineInput {
  incidentId: string;
  at: Date;
  kind: string;
  actor: string | null;
  text: string;
  data?: unknown;
  dedupKey: string;
}

export async function recordEntry(tx: Pick<Tx, '$executeRaw'>, entry: TimelineInput): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO timeline_entry (id, incident_id, at, kind, actor, text, data, dedup_key)
    VALUES (${randomUUID()}::uuid, ${entry.incidentId}::uuid, ${entry.at}, ${entry.kind}, ${entry.actor},
            ${entry.text}, ${entry.data === undefined ? null : JSON.stringify(entry.data)}::jsonb, ${entry.dedupKey})
    ON CONFLICT (dedup_key) DO NOTHING`;
}

export function findEntry(db: Tx, dedupKey: string): Promise<TimelineEntry | null> {
  return db.timelineEntry.findUnique({ where: { dedupKey } });
}

export async function hasEntry(db: Tx, dedupKey: string): Promise<boolean> {
  return (await db.timelineEntry.count({ where: { dedupKey } })) > 0;
}

export type StoryEntry = Pick<TimelineEntry, 'at' | 'kind' | 'actor' | 'text' | 'data' | 'dedupKey'>;

/** The incident's entries in order, without Failsafe's own postmortem bookkeeping. */
export function incidentStory(db: Tx, incidentId: string): Promise<StoryEntry[]> {
  return db.timelineEntry.findMany({
    where: { incidentId, NOT: { kind: { startsWith: 'postmortem.' } } },
    orderBy: [{ at: 'asc' }, { dedupKey: 'asc' }],
    select: { at: true, kind: true, actor: true, text: true, data: true, dedupKey: true },
  });
}
