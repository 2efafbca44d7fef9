// The pinned summary kept current: whenever something it shows changes, one coalesced edit per
// incident per window re-renders it (the flag read from Unleash again) and edits the message.
import { z } from 'zod';
import { enqueueOncePerWindow } from '../../jobs/coalesce.ts';
import type { JobDefinition } from '../../jobs/types.ts';
import type { IncidentChanged } from '../../kernel/incident-changed.ts';
import { findEffect } from '../../store/effects.ts';
import { findIncident } from '../../store/incidents.ts';
import type { ChannelDeps } from './deps.ts';
import { incidentSummary } from './summary.ts';

/** At most one chat.update of a summary per incident per window, as paging's message edits. */
export const SUMMARY_WINDOW_MS = 2_000;

/** The effect that posted (and pinned) the summary; its recorded result says where it is. */
export const summaryEffectKey = (incidentId: string) => `incident-channel-summary:${incidentId}`;

/** What postEffect recorded for the summary: read back from outbound_effect, so parsed. */
const PostedSummary = z.object({ channel: z.string().min(1), ts: z.string().min(1) });

/**
 * One job per incident per window, run once the window is over: every change made inside it is
 * committed before the job renders, so the edit shows the last of them.
 */
export const requestSummaryRefresh: IncidentChanged = (deps, incidentId) =>
  enqueueOncePerWindow(deps, 'incident-summary-refresh', incidentId, { incidentId }, SUMMARY_WINDOW_MS);

export function summaryJobs(deps: ChannelDeps): JobDefinition[] {
  return [
    {
      name: 'incident-summary-refresh',
      backoff: { baseDelayMs: 1_000, maxDelayMs: 30_000 },
      handler: ({ incidentId }) => refreshSummary(deps, incidentId),
    },
  ];
}

export async function refreshSummary(deps: ChannelDeps, incidentId: string): Promise<void> {
  const effect = await findEffect(deps.db, summaryEffectKey(incidentId));
  // No channel summary for this incident (no channel, or not yet): its post renders the latest.
  if (!effect) return;
  // Being posted right now, from state read before this change: edit it once it is recorded.
  if (!effect.doneAt) throw new Error('the incident summary is still being posted');
  const posted = PostedSummary.parse(effect.result);
  const incident = await findIncident(deps.db, incidentId);
  const feature = incident && deps.catalog.featureByKey(incident.featureKey);
  if (!incident || !feature) return;
  await deps.slack.updateMessage({
    channel: posted.channel,
    ts: posted.ts,
    text: await incidentSummary(deps, incident, feature),
  });
}
