// The incident channel: created once (inc-YYYYMMDD-<feature>-<n>), the paged person, the
// feature owner and the declarer invited, the summary posted and pinned, and the alerts
// channel told where the incident now lives. Each step is its own exactly-once effect.
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { SlackApiError } from '../../adapters/slack.ts';
import type { Feature } from '../../config/catalog.ts';
import type { Incident } from '../../generated/prisma/client.ts';
import { performOnce } from '../../jobs/effects.ts';
import type { JobContext, JobDefinition } from '../../jobs/types.ts';
import { recordEntry } from '../../kernel/timeline.ts';
import { findIncident } from '../../store/incidents.ts';
import { attachIncidentChannel } from '../../store/slack-events.ts';
import type { ChannelDeps } from './deps.ts';
import { incidentSummary } from './summary.ts';

/** Attempts to wait for the page, so the paged person can be invited; then go without. */
const WAIT_FOR_PAGE_ATTEMPTS = 4;

export function channelJobs(deps: ChannelDeps): JobDefinition[] {
  return [
    {
      name: 'incident-channel',
      maxAttempts: 15,
      backoff: { baseDelayMs: 1_000, maxDelayMs: 30_000 },
      handler: ({ incidentId }, ctx) => openIncidentChannel(deps, incidentId, ctx),
    },
  ];
}

export function channelNameFor(incident: Pick<Incident, 'openedAt' | 'number'>, feature: Feature): string {
  const day = format(new TZDate(incident.openedAt, feature.slack.timeZone), 'yyyyMMdd');
  const tail = `-${incident.number}`;
  return `inc-${day}-${feature.key}`.slice(0, 80 - tail.length) + tail;
}

export async function openIncidentChannel(
  deps: ChannelDeps,
  incidentId: string,
  ctx?: JobContext,
): Promise<void> {
  let incident = await findIncident(deps.db, incidentId);
  const feature = incident && deps.catalog.featureByKey(incident.featureKey);
  if (!incident || !feature) return;
  const paging = incident.pageState === 'pending' || incident.pageState === 'sending';
  if (paging && (ctx?.attempt ?? WAIT_FOR_PAGE_ATTEMPTS) < WAIT_FOR_PAGE_ATTEMPTS) {
    throw new Error('waiting for the page to name who is on call');
  }
  const name = channelNameFor(incident, feature);
  const created = await performOnce(deps.db, `incident-channel:${incident.id}`, {
    claimMs: 30_000,
    perform: async (attempt) => {
      try {
        return await deps.slack.createChannel(name);
      } catch (error) {
        // Taken by a half-finished earlier attempt or by a person: a suffixed name is still ours.
        if (!(error instanceof SlackApiError && error.code === 'name_taken')) throw error;
        return deps.slack.createChannel(`${name.slice(0, 76)}-${attempt + 1}`.slice(0, 80));
      }
    },
    record: async (tx, channel) => {
      await attachIncidentChannel(tx, incidentId, channel);
      await recordEntry(tx, {
        incidentId,
        at: deps.clock.now(),
        kind: 'channel.created',
        actor: 'failsafe',
        text: `Incident channel #${channel.name} opened`,
        data: { channel: channel.id },
        dedupKey: `channel-created:${incidentId}`,
      });
    },
  });
  const channel = created.result;
  incident = (await findIncident(deps.db, incidentId)) as Incident;
  await invitePeople(deps, incident, feature, channel.id);
  await performOnce(deps.db, `incident-channel-summary:${incident.id}`, {
    claimMs: 30_000,
    perform: async () => {
      const text = await incidentSummary(deps, incident as Incident, feature);
      const posted = await deps.slack.postMessage({ channel: channel.id, text });
      await deps.slack.pinMessage(channel.id, posted.ts);
      return { ts: posted.ts };
    },
  });
  await performOnce(deps.db, `incident-channel-announce:${incident.id}`, {
    claimMs: 30_000,
    perform: async () => {
      const text = `Incident #${incident?.number} has its own channel: <#${channel.id}>`;
      const thread = incident?.slackChannel && incident.slackTs ? { thread_ts: incident.slackTs } : {};
      const posted = await deps.slack.postMessage({
        channel: incident?.slackChannel ?? feature.slack.alertsChannel,
        text,
        ...thread,
      });
      return { ts: posted.ts };
    },
  });
}

async function invitePeople(
  deps: ChannelDeps,
  incident: Incident,
  feature: Feature,
  channelId: string,
): Promise<void> {
  const paged =
    incident.assigneeSlackId ??
    (incident.assigneeEmail
      ? ((await deps.slack.lookupUserByEmail(incident.assigneeEmail))?.id ?? null)
      : null);
  const people = [
    ...new Set([paged, feature.owner.slack, incident.declaredBy].filter((p): p is string => !!p)),
  ];
  await performOnce(deps.db, `incident-channel-invite:${incident.id}`, {
    claimMs: 30_000,
    perform: async () => {
      try {
        await deps.slack.inviteToChannel(channelId, people);
      } catch (error) {
        // Everyone is already there (a retry after Slack did the invite): nothing left to do.
        if (!(error instanceof SlackApiError && error.code === 'already_in_channel')) throw error;
      }
      return { invited: people };
    },
  });
}
