// The incident channel: created once (inc-YYYYMMDD-<feature>-<n>), the paged person, the
// feature owner and the declarer invited, the summary posted and pinned, and the alerts
// channel told where the incident now lives. Each step is its own exactly-once effect.
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns/format';
import { SlackApiError } from '../../adapters/slack.ts';
import type { Feature } from '../../config/catalog.ts';
import type { Incident } from '../../generated/prisma/client.ts';
import { performOnce } from '../../jobs/effects.ts';
import type { JobContext, JobDefinition } from '../../jobs/types.ts';
import { postEffect, postOnce } from '../../kernel/slack-post.ts';
import { recordEntry } from '../../kernel/timeline.ts';
import { findIncident } from '../../store/incidents.ts';
import { attachIncidentChannel } from '../../store/slack-events.ts';
import type { ChannelDeps } from './deps.ts';
import { incidentSummary } from './summary.ts';
import { summaryEffectKey } from './summary-refresh.ts';

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
  const created = await performOnce(deps, `incident-channel:${incident.id}`, {
    claimMs: 30_000,
    perform: () => createOrAdopt(deps, name),
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
  const summaryKey = summaryEffectKey(incident.id);
  await performOnce(deps, summaryKey, {
    claimMs: 30_000,
    perform: async (attempt) => {
      const posted = await postEffect(
        deps.slack,
        { key: summaryKey, attempt },
        { channel: channel.id },
        // Read after the claim: a change from here on finds the claim and edits the summary
        // once it is recorded (summary-refresh.ts); one before it is in this text.
        async () => ({
          text: await incidentSummary(
            deps,
            (await findIncident(deps.db, incidentId)) ?? (incident as Incident),
            feature,
          ),
        }),
      );
      // Also when an earlier attempt posted it: that attempt may have died before the pin.
      await deps.slack.pinMessage(channel.id, posted.ts);
      return posted;
    },
  });
  const thread = incident.slackChannel && incident.slackTs ? { thread_ts: incident.slackTs } : {};
  await postOnce(
    deps,
    `incident-channel-announce:${incident.id}`,
    { channel: incident.slackChannel ?? feature.slack.alertsChannel, ...thread },
    () => ({ text: `Incident #${incident?.number} has its own channel: <#${channel.id}>` }),
  );
}

/** How many names to try (`name`, `name-2`, …) when people hold the ones before. */
const NAME_TRIES = 5;

/**
 * Creates the incident's channel, or adopts the one an earlier attempt created before it could
 * record it (a crash, a timeout): a taken name is ours when our bot created that channel. A
 * channel a person made under the name is left alone, and the next name is tried.
 */
async function createOrAdopt(deps: ChannelDeps, name: string): Promise<{ id: string; name: string }> {
  for (let n = 1; ; n += 1) {
    const candidate = n === 1 ? name : `${name.slice(0, 76)}-${n}`.slice(0, 80);
    try {
      return await deps.slack.createChannel(candidate);
    } catch (error) {
      if (!(error instanceof SlackApiError && error.code === 'name_taken') || n >= NAME_TRIES) throw error;
    }
    const taken = await deps.slack.findChannelByName(candidate);
    if (taken && taken.creator === (await deps.slack.botUserId())) return { id: taken.id, name: taken.name };
  }
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
  await performOnce(deps, `incident-channel-invite:${incident.id}`, {
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
