// `/ai-incident status|mitigated|resolved|cause …` inside an incident channel.

import type { Incident } from '../../generated/prisma/client.ts';
import { mayDo, refusal } from '../../kernel/permissions.ts';
import { escapeMrkdwn } from '../../kernel/slack-text.ts';
import { recordEntry } from '../../kernel/timeline.ts';
import { markMitigated, updateIncident } from '../../store/incidents.ts';
import { actOnIncident, refreshIncidentMessage } from '../paging/index.ts';
import { type RootCause, rootCauseLabel } from './command.ts';
import type { ChannelDeps } from './deps.ts';
import { incidentSummary } from './summary.ts';
import { requestSummaryRefresh } from './summary-refresh.ts';

export type StateChange =
  | { kind: 'status' }
  | { kind: 'mitigated' }
  | { kind: 'resolved' }
  | { kind: 'cause'; cause: RootCause };

export interface Said {
  /** Posted in the channel for everyone; null when only the asker should see `reply`. */
  channelText: string | null;
  reply: string | null;
}

export async function changeState(
  deps: ChannelDeps,
  incident: Incident,
  change: StateChange,
  user: { id: string; name: string },
): Promise<Said> {
  const feature = deps.catalog.featureByKey(incident.featureKey);
  if (!feature)
    return {
      channelText: null,
      reply: `The feature \`${incident.featureKey}\` is no longer in the catalog.`,
    };
  if (change.kind !== 'status') {
    const permission = await mayDo(deps, 'incident_change', { feature, incident }, user.id);
    if (!permission.allowed)
      return { channelText: null, reply: refusal('incident_change', feature, permission) };
  }
  const now = deps.clock.now();
  const entry = (kind: string, text: string, key: string) =>
    recordEntry(deps.db, { incidentId: incident.id, at: now, kind, actor: user.name, text, dedupKey: key });
  switch (change.kind) {
    case 'status':
      return { channelText: await incidentSummary(deps, incident, feature), reply: null };
    case 'mitigated': {
      if (incident.status === 'resolved')
        return { channelText: null, reply: 'This incident is already resolved.' };
      if (incident.mitigatedAt)
        return { channelText: null, reply: 'This incident is already marked mitigated.' };
      if (!(await markMitigated(deps.db, incident.id, now)))
        return { channelText: null, reply: 'This incident is already marked mitigated.' };
      await entry('incident.mitigated', `Marked mitigated by ${user.name}`, `mitigated:${incident.id}`);
      await requestSummaryRefresh(deps, incident.id);
      return {
        channelText: `:large_yellow_circle: Incident #${incident.number} is *mitigated* (${escapeMrkdwn(user.name)}). Resolve it with \`/ai-incident resolved\` once it is over.`,
        reply: null,
      };
    }
    case 'resolved':
      return resolve(deps, incident, user);
    case 'cause': {
      await updateIncident(deps.db, incident.id, { rootCause: change.cause });
      const label = rootCauseLabel(change.cause);
      await entry(
        'incident.root_cause',
        `Root-cause bin set to ${label} by ${user.name}`,
        `cause:${incident.id}:${now.getTime()}`,
      );
      await requestSummaryRefresh(deps, incident.id);
      return {
        channelText: `Root cause of incident #${incident.number}: *${label}* (${escapeMrkdwn(user.name)}).`,
        reply: null,
      };
    }
  }
}

async function resolve(
  deps: ChannelDeps,
  incident: Incident,
  user: { id: string; name: string },
): Promise<Said> {
  if (incident.status === 'resolved')
    return { channelText: null, reply: 'This incident is already resolved.' };
  if (incident.pdIncidentId) {
    const result = await actOnIncident(deps, {
      incidentId: incident.id,
      action: 'resolve',
      actor: { slackUserId: user.id },
      via: 'Slack',
    });
    if (!result.ok) return { channelText: null, reply: result.text };
  } else {
    // Paged through the Events API only (or not at all): nothing in PagerDuty to resolve by id.
    const now = deps.clock.now();
    await updateIncident(deps.db, incident.id, {
      status: 'resolved',
      statusChangedAt: now,
      resolvedAt: now,
      openKey: null,
    });
    await recordEntry(deps.db, {
      incidentId: incident.id,
      at: now,
      kind: 'incident.resolved',
      actor: user.name,
      text: `Resolved by ${user.name}`,
      dedupKey: `resolved:${incident.id}`,
    });
  }
  await refreshIncidentMessage(deps, incident.id).catch(() => {});
  await requestSummaryRefresh(deps, incident.id);
  return {
    channelText: `:white_check_mark: Incident #${incident.number} is *resolved* (${escapeMrkdwn(user.name)}). \`/ai-postmortem\` drafts the postmortem from this channel's timeline.`,
    reply: null,
  };
}
