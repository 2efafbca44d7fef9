// Declaring an incident by hand, or promoting the feature's open alert incident: either way
// one open incident per feature (the open_key unique index), paged through the usual path,
// and given its own channel.
import { randomUUID } from 'node:crypto';
import type { Feature } from '../../config/catalog.ts';
import { recordEntry } from '../../kernel/timeline.ts';
import { findOpenIncident, insertDeclaredIncident, updateIncident } from '../../store/incidents.ts';
import { isUniqueViolation } from '../../store/tx.ts';
import type { ChannelDeps } from './deps.ts';

export interface Declarer {
  userId: string;
  userName: string;
}

export async function declareIncident(
  deps: ChannelDeps,
  feature: Feature,
  input: { severity: string; title: string | null },
  by: Declarer,
): Promise<{ incidentId: string; number: number; created: boolean; channelId: string | null }> {
  const open = await findOpenIncident(deps.db, feature.key);
  if (open) return promote(deps, open.id, by);
  if (!input.title)
    throw new DeclareError(
      `\`${feature.key}\` has no open incident. Give a title to declare one: \`/ai-incident ${feature.key} <title>\`.`,
    );
  try {
    const now = deps.clock.now();
    const incident = await deps.db.$transaction(async (tx) => {
      const row = await insertDeclaredIncident(tx, {
        featureKey: feature.key,
        severity: input.severity,
        title: input.title as string,
        openedAt: now,
        pdDedupKey: `failsafe-declared-${randomUUID()}`,
        declaredBy: by.userId,
      });
      await recordEntry(tx, {
        incidentId: row.id,
        at: now,
        kind: 'incident.declared',
        actor: by.userName,
        text: `Incident declared by ${by.userName}: ${row.title}`,
        data: { severity: row.severity },
        dedupKey: `declared:${row.id}`,
      });
      return row;
    });
    await deps.queue.enqueue('page', incident.id, { incidentId: incident.id }, { inline: true });
    await deps.queue.enqueue('incident-channel', incident.id, { incidentId: incident.id });
    return { incidentId: incident.id, number: incident.number, created: true, channelId: null };
  } catch (error) {
    // An alert opened the feature's incident a moment ago: promote that one.
    if (!isUniqueViolation(error)) throw error;
    const raced = await findOpenIncident(deps.db, feature.key);
    if (!raced) throw error;
    return promote(deps, raced.id, by);
  }
}

async function promote(deps: ChannelDeps, incidentId: string, by: Declarer) {
  const incident = await updateIncident(deps.db, incidentId, { declaredBy: by.userId });
  if (!incident.leadSlackId) await updateIncident(deps.db, incidentId, { leadSlackId: by.userId });
  await deps.queue.enqueue('incident-channel', incident.id, { incidentId: incident.id });
  return { incidentId: incident.id, number: incident.number, created: false, channelId: incident.channelId };
}

export class DeclareError extends Error {
  override readonly name = 'DeclareError';
}
