// The timeline is append-only: entries are inserted once (a retried job hits the dedup
// key and adds nothing) and never updated.
import { randomUUID } from 'node:crypto';
import type { Tx } from '../jobs/effects.ts';

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
