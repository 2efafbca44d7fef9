// The paged person hears about the page in Slack too, in a DM carrying their one-tap ack
// link: the channel may be muted at night, a DM rings. One DM per person paged per incident.
import type { Incident } from '../../generated/prisma/client.ts';
import { performOnce } from '../../jobs/effects.ts';
import type { JobDefinition } from '../../jobs/types.ts';
import { escapeMrkdwn } from '../../kernel/slack-text.ts';
import { findIncident } from '../../store/incidents.ts';
import { ackLinkFor } from './ack-link.ts';
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
  if (!incident?.assigneeEmail || !incident.assigneePdId) return;
  const feature = deps.catalog.featureByKey(incident.featureKey);
  const link = ackLinkFor(deps, incident);
  // A late retry after the incident was resolved has nothing useful left to say.
  if (!feature || !link) return;
  const email = incident.assigneeEmail;
  const slackId = incident.assigneeSlackId ?? (await deps.slack.lookupUserByEmail(email))?.id;
  if (!slackId) {
    deps.logger.info({ incidentId }, 'paged person has no Slack account with their PagerDuty email; no DM');
    return;
  }
  const title = `*${escapeMrkdwn(feature.name)}*: ${escapeMrkdwn(incident.title)}`;
  const text =
    `:rotating_light: You are paged for [${incident.severity}] ${title} — see <#${feature.slack.alertsChannel}>.\n` +
    `<${link}|Acknowledge from your phone> (your personal link, until the incident is resolved or for 24 h).`;
  await performOnce(deps.db, `page-dm:${incident.id}:${incident.assigneePdId}`, {
    claimMs: 30_000,
    perform: async () => {
      const channel = await deps.slack.openDm(slackId);
      // No preview: Slack would fetch the personal link and show the incident to no purpose.
      const posted = await deps.slack.postMessage({ channel, text, unfurl_links: false });
      return { channel: posted.channel, ts: posted.ts };
    },
  });
}
