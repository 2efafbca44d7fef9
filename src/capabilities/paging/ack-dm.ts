// The paged person hears about the page in Slack too, in a DM carrying their one-tap ack
// link: the channel may be muted at night, a DM rings, and the link acts as them, so it is
// never posted where others can tap it. One DM per person per assignment: the first page,
// then whoever a reassign or an escalation hands the incident to.
import type { Incident } from '../../generated/prisma/client.ts';
import { performOnce } from '../../jobs/effects.ts';
import type { JobDefinition } from '../../jobs/types.ts';
import { escapeMrkdwn } from '../../kernel/slack-text.ts';
import { findIncident } from '../../store/incidents.ts';
import { ackLinkGeneration, assigneeHasLink, issueAckLink } from './ack-link.ts';
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
  if (!incident?.assigneeEmail || !incident.assigneePdId || incident.status === 'resolved') return;
  const feature = deps.catalog.featureByKey(incident.featureKey);
  // A late retry, or a second refresh, finds the person already holding their link.
  if (!feature || (await assigneeHasLink(deps, incident))) return;
  const email = incident.assigneeEmail;
  const slackId = incident.assigneeSlackId ?? (await deps.slack.lookupUserByEmail(email))?.id;
  if (!slackId) {
    deps.logger.info({ incidentId }, 'paged person has no Slack account with their PagerDuty email; no DM');
    return;
  }
  const title = `*${escapeMrkdwn(feature.name)}*: ${escapeMrkdwn(incident.title)}`;
  // Keyed on the assignment (how many links the incident has had), so A → B → A DMs A again.
  const generation = await ackLinkGeneration(deps, incident.id);
  await performOnce(deps.db, `page-dm:${incident.id}:${incident.assigneePdId}:${generation}`, {
    claimMs: 30_000,
    perform: async () => {
      const link = await issueAckLink(deps, incident, slackId);
      if (!link) return { channel: null, ts: null };
      const text =
        `:rotating_light: You are paged for [${incident.severity}] ${title} — see <#${feature.slack.alertsChannel}>.\n` +
        `<${link}|Acknowledge as ${escapeMrkdwn(incident.assigneeName ?? 'you')} from your phone> ` +
        '(your personal link: do not share it; it works until the incident is resolved or reassigned, or for 24 h).';
      const channel = await deps.slack.openDm(slackId);
      // No preview: Slack would fetch the personal link and show the incident to no purpose.
      const posted = await deps.slack.postMessage({ channel, text, unfurl_links: false });
      return { channel: posted.channel, ts: posted.ts };
    },
  });
}
