// Closing the loop: 48 hours after an incident resolved, if its postmortem is not marked
// reviewed, the incident channel and the lead hear about it; at 72 hours, the feature owner.
// Each follow-up is a deferred job keyed by incident, stage and resolution time, so it lives
// in the database (restarts keep it, two replicas send it once) and a reopened-then-resolved
// incident gets fresh ones. Delays are computed from deps.clock when the job is stored.

import type { Incident } from '../../generated/prisma/client.ts';
import type { JobData } from '../../jobs/map.ts';
import type { JobDefinition } from '../../jobs/types.ts';
import { postOnce } from '../../kernel/slack-post.ts';
import { escapeMrkdwn } from '../../kernel/slack-text.ts';
import { recordEntry } from '../../kernel/timeline.ts';
import { findIncident } from '../../store/incidents.ts';
import { postmortemOfIncident } from '../../store/postmortems.ts';
import type { PostmortemDeps } from './deps.ts';
import { downloadUrl } from './link.ts';

export const STAGES = { '48h': 48 * 3_600_000, '72h': 72 * 3_600_000 } as const;
export type Stage = keyof typeof STAGES;

type FollowUpJob = JobData<'postmortem-follow-up'>;

export function followUpJobs(deps: PostmortemDeps): JobDefinition[] {
  return [
    {
      name: 'postmortem-follow-up',
      maxAttempts: 10,
      backoff: { baseDelayMs: 5_000, maxDelayMs: 300_000 },
      handler: (job) => runFollowUp(deps, job),
    },
  ];
}

export const followUpKey = (incidentId: string, stage: Stage, resolvedAt: Date) =>
  `${incidentId}:${stage}:${resolvedAt.toISOString()}`;

/** Stores both follow-ups of a resolved incident; storing them again is a no-op. */
export async function scheduleFollowUps(
  deps: PostmortemDeps,
  incident: Pick<Incident, 'id' | 'resolvedAt'>,
): Promise<void> {
  const resolvedAt = incident.resolvedAt;
  if (!resolvedAt) return;
  const now = deps.clock.now().getTime();
  for (const stage of Object.keys(STAGES) as Stage[]) {
    const delayMs = Math.max(0, resolvedAt.getTime() + STAGES[stage] - now);
    const data: FollowUpJob = { incidentId: incident.id, stage, resolvedAt: resolvedAt.toISOString() };
    await deps.queue.enqueue('postmortem-follow-up', followUpKey(incident.id, stage, resolvedAt), data, {
      delayMs,
    });
  }
}

export async function runFollowUp(deps: PostmortemDeps, job: FollowUpJob): Promise<void> {
  const incident = await findIncident(deps.db, job.incidentId);
  // Reopened, or resolved again later (that resolution has follow-ups of its own).
  if (incident?.status !== 'resolved' || incident.resolvedAt?.toISOString() !== job.resolvedAt) return;
  const postmortem = await postmortemOfIncident(deps.db, incident.id);
  if (postmortem?.reviewedAt) return;
  const feature = deps.catalog.featureByKey(incident.featureKey);
  const name = escapeMrkdwn(feature?.name ?? incident.featureKey);
  const link = postmortem?.latestVersion ? downloadUrl(deps, postmortem.id, postmortem.latestVersion) : null;
  const draft = postmortem?.latestVersion
    ? `Draft v${postmortem.latestVersion}${link ? `: <${link}|download>` : ' is in this channel'}.`
    : 'There is no draft yet: `/ai-postmortem` writes one from the timeline.';
  const channel = incident.channelId ?? feature?.slack.alertsChannel ?? null;
  const where = incident.channelId ? ` in <#${incident.channelId}>` : '';
  const key = `postmortem-${job.stage}:${followUpKey(incident.id, job.stage, new Date(job.resolvedAt))}`;
  const recipients: { to: string | null; text: string; dm: boolean }[] =
    job.stage === '48h'
      ? [
          {
            to: channel,
            dm: false,
            text: `:hourglass: Incident #${incident.number} (${name}) was resolved 48 hours ago and its postmortem is not marked reviewed. ${draft} Review it together, then \`/ai-postmortem reviewed\`.`,
          },
          {
            to: incident.leadSlackId ?? incident.assigneeSlackId ?? feature?.owner.slack ?? null,
            dm: true,
            text: `:hourglass: The postmortem of incident #${incident.number} (${name})${where} is due for review: it resolved 48 hours ago. ${draft}`,
          },
        ]
      : [
          {
            to: feature?.owner.slack ?? null,
            dm: true,
            text: `:hourglass: Incident #${incident.number} of *${name}*, which you own, resolved 72 hours ago and its postmortem is still not reviewed${where}. ${draft} \`/ai-postmortem reviewed ${incident.number}\` once it is.`,
          },
        ];
  for (const [i, r] of recipients.entries()) {
    if (!r.to) continue;
    const to = r.to;
    const target = r.dm ? await deps.slack.openDm(to) : to;
    await postOnce(deps, `${key}:${i}`, { channel: target }, () => ({ text: r.text }));
  }
  await recordEntry(deps.db, {
    incidentId: incident.id,
    at: deps.clock.now(),
    kind: 'postmortem.reminder',
    actor: 'Failsafe',
    text: `Postmortem follow-up after ${job.stage}: not reviewed yet`,
    data: { stage: job.stage },
    dedupKey: key,
  });
}
