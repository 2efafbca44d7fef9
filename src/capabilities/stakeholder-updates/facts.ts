// What Failsafe knows when someone asks for an update: which incident the channel belongs
// to, and when the feature was last turned off. Reads only.
import type { Feature } from '../../config/catalog.ts';
import type { Incident } from '../../generated/prisma/client.ts';
import { latestConfirmedKillSince, latestKillOrRestore } from '../../store/flags.ts';
import { findOpenIncident } from '../../store/incidents.ts';
import { openIncidentInChannel } from '../../store/slack-events.ts';
import type { UpdateDeps } from './deps.ts';
import { clock, defaultNextUpdate, splitNextUpdateClause } from './next-update.ts';
import { draftUpdate } from './template.ts';

/** The open incident whose own channel this is, if any. */
export async function incidentOfChannel(deps: UpdateDeps, channelId: string): Promise<Incident | null> {
  return openIncidentInChannel(deps.db, channelId);
}

export async function openIncidentOf(deps: UpdateDeps, featureKey: string): Promise<Incident | null> {
  return findOpenIncident(deps.db, featureKey);
}

/**
 * The latest confirmed kill that the update should mention: during the incident; without an
 * incident, the latest kill when nothing has restored the feature since.
 */
export async function killToMention(
  deps: UpdateDeps,
  feature: Feature,
  incident: Incident | null,
): Promise<{ at: Date; reason: string } | null> {
  if (incident) {
    const kill = await latestConfirmedKillSince(deps.db, feature.key, incident.openedAt);
    return kill?.flippedAt ? { at: kill.flippedAt, reason: kill.reason } : null;
  }
  const last = await latestKillOrRestore(deps.db, feature.key);
  return last?.kind === 'kill' && last.state === 'confirmed' && last.flippedAt
    ? { at: last.flippedAt, reason: last.reason }
    : null;
}

/** The modal's two prefilled fields: the user's own text when given, else the template. */
export async function prefill(
  deps: UpdateDeps,
  feature: Feature,
  incident: Incident | null,
  userText: string,
): Promise<{ draft: string; nextUpdate: string }> {
  const zone = feature.slack.timeZone;
  const proposed = clock(defaultNextUpdate(deps.clock.now(), incident?.severity ?? null), zone);
  if (userText) {
    // A pasted full update ("… Next update at 11:00.") fills both fields.
    const { body, time } = splitNextUpdateClause(userText);
    return { draft: body || userText, nextUpdate: time ?? proposed };
  }
  const kill = await killToMention(deps, feature, incident);
  const draft = draftUpdate({ featureName: feature.name, timeZone: zone, incident, kill });
  return { draft, nextUpdate: proposed };
}
