// The paged person hears about the page in Slack too, in a DM carrying their one-tap ack
// link: the channel may be muted at night, a DM rings, and the link acts as them, so it is
// never posted where others can tap it. One DM per person per assignment: the first page,
// then whoever a reassign or an escalation hands the incident to.
import type { Incident } from '../../generated/prisma/client.ts';
import type { JobDefinition } from '../../jobs/types.ts';
import { postOnce } from '../../kernel/slack-post.ts';
import { escapeMrkdwn } from '../../kernel/slack-text.ts';
import { findIncident } from '../../store/incidents.ts';
import { issueAckLink } from './ack-link.ts';
import type { PagingDeps } from './deps.ts';

export function ackDmJobs(deps: PagingDeps): JobDefinition[] {
  return [
    {
      name: 'page-dm',
      maxAttempts: 10,
      backoff: { baseDelayMs: 1_000, maxDelayMs: 30_000 },
      handler: (job) => sendPageDm(deps, job.incidentId),
    },
  ];
}

/** `known` is the incident as the caller just read it, to save reading it again. */
export async function sendPageDm(deps: PagingDeps, incidentId: string, known?: Incident): Promise<void> {
  const incident = known ?? (await findIncident(deps.db, incidentId));
  if (!incident?.assigneeEmail || !incident.assigneePdId || !incident.assigneeName) return;
  if (incident.status === 'resolved') return;
  const feature = deps.catalog.featureByKey(incident.featureKey);
  if (!feature) return;
  const email = incident.assigneeEmail;
  const slackId = incident.assigneeSlackId ?? (await deps.slack.lookupUserByEmail(email))?.id;
  if (!slackId) {
    deps.logger.info({ incidentId }, 'paged person has no Slack account with their PagerDuty email; no DM');
    return;
  }
  const title = `*${escapeMrkdwn(feature.name)}*: ${escapeMrkdwn(incident.title)}`;
  const channel = await deps.slack.openDm(slackId);
  // One DM per assignment: the person, when they got it and at which level, so A → B → A DMs A
  // again, while a rerun of this assignment (a retry, a refresh, a restart after a crash
  // between the link and the post) finds the DM done, or the message its lost attempt posted.
  const assignment = `${incident.assigneePdId}:${incident.assigneeChangedAt?.getTime() ?? 0}:${incident.escalationLevel}`;
  await postOnce(deps, `page-dm:${incident.id}:${assignment}`, { channel }, async () => {
    // Issued only for a message about to be sent: the token exists nowhere but in it.
    const link = await issueAckLink(deps, incident, slackId);
    const text = link
      ? `:rotating_light: You are paged for [${incident.severity}] ${title} — see <#${feature.slack.alertsChannel}>.\n` +
        `<${link}|Acknowledge as ${escapeMrkdwn(incident.assigneeName ?? 'you')} from your phone> ` +
        '(your personal link: do not share it; it works until the incident is resolved or reassigned, or for 24 h).'
      : `:rotating_light: You are paged for [${incident.severity}] ${title} — see <#${feature.slack.alertsChannel}>.`;
    // No preview: Slack would fetch the personal link and show the incident to no purpose.
    return { text, unfurl_links: false };
  });
}
