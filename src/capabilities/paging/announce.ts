// The incident's one Slack message: posted once after the page, then edited in place as
// alerts join or the state changes (never a new message per alert).
import type { Incident } from '../../generated/prisma/client.ts';
import { enqueueOncePerWindow } from '../../jobs/coalesce.ts';
import { postOnce } from '../../kernel/slack-post.ts';
import { findIncident, updateIncident } from '../../store/incidents.ts';
import { sendPageDm } from './ack-dm.ts';
import type { PagingDeps } from './deps.ts';
import { type IncidentView, renderIncidentMessage } from './message.ts';

/** Coalesces message edits: at most one chat.update per incident per window. */
export const REFRESH_WINDOW_MS = 2_000;

export function viewOf(incident: Incident, featureName: string): IncidentView {
  return { ...incident, featureName };
}

export async function postIncidentMessage(deps: PagingDeps, incidentId: string): Promise<void> {
  const incident = await findIncident(deps.db, incidentId);
  if (!incident) return;
  const feature = deps.catalog.featureByKey(incident.featureKey);
  if (!feature) return;
  const channel = feature.slack.alertsChannel;
  // Who to name is looked up once, outside the post: a retry that finds its earlier message
  // must record the same person the message names.
  const slackId =
    incident.assigneeSlackId ??
    (incident.assigneeEmail
      ? ((await deps.slack.lookupUserByEmail(incident.assigneeEmail))?.id ?? null)
      : null);
  const run = await postOnce(
    deps,
    `slack-post:${incidentId}`,
    { channel },
    () => {
      const message = renderIncidentMessage(
        viewOf({ ...incident, assigneeSlackId: slackId }, feature.name),
        deps.catalog.timeZoneFor(feature),
      );
      return { text: message.text, blocks: message.blocks };
    },
    {
      record: async (tx, posted) => {
        await updateIncident(tx, incidentId, {
          slackChannel: posted.channel,
          slackTs: posted.ts,
          assigneeSlackId: slackId,
        });
      },
    },
  );
  // Alerts may have joined while the post was in flight: bring the message up to date.
  if (run.performed) await requestRefresh(deps, incidentId);
  // The post records who was paged by Slack id: "On call" elsewhere can name them now.
  if (run.performed) await deps.incidentChanged?.(deps, incidentId);
  // The paged person's DM goes out right after the channel post, in the same job: a queued job
  // of its own per page cost a fifth of the alert-to-page p99 under load. Only a failed DM is
  // handed to the queue to retry. A rerun after a crash between the two still sends it (the
  // DM is an effect of its own, sent once).
  if (incident.assigneePdId) {
    const posted = { ...incident, assigneeSlackId: slackId };
    await sendPageDm(deps, incidentId, posted).catch(async (error: unknown) => {
      deps.logger.warn({ err: error, incidentId }, 'page DM failed; retrying from the queue');
      await deps.queue.enqueue('page-dm', incidentId, { incidentId });
    });
  }
}

export async function refreshIncidentMessage(deps: PagingDeps, incidentId: string): Promise<void> {
  const incident = await findIncident(deps.db, incidentId);
  // Without a posted message there is nothing to edit; the post renders the latest state.
  if (!incident?.slackChannel || !incident.slackTs) return;
  const feature = deps.catalog.featureByKey(incident.featureKey);
  if (!feature) return;
  const message = renderIncidentMessage(viewOf(incident, feature.name), deps.catalog.timeZoneFor(feature));
  await deps.slack.updateMessage({
    channel: incident.slackChannel,
    ts: incident.slackTs,
    text: message.text,
    blocks: message.blocks,
  });
  // A reassign or an escalation hands the incident to someone new: their own link, by DM
  // (issuing it revokes the previous person's). A failed DM is retried from the queue.
  if (incident.assignedVia === 'reassigned' || incident.assignedVia === 'escalated') {
    await sendPageDm(deps, incidentId, incident).catch(async (error: unknown) => {
      deps.logger.warn({ err: error, incidentId }, 'DM to the new assignee failed; retrying from the queue');
      await deps.queue.enqueue('page-dm', `${incidentId}:${incident.assigneePdId}`, { incidentId });
    });
  }
}

/** One refresh per incident per window, however many alerts of a storm ask for it. */
export async function requestRefresh(
  deps: Pick<PagingDeps, 'clock' | 'queue'>,
  incidentId: string,
): Promise<void> {
  await enqueueOncePerWindow(deps, 'slack-refresh', incidentId, { incidentId }, REFRESH_WINDOW_MS);
}
