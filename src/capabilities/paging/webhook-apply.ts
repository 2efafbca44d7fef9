// Applies one stored PagerDuty webhook: the incident's state (never backwards: an older
// event cannot undo a newer one — status, assignee and priority each keep the time of their
// last change — and nothing leaves `resolved`), a timeline entry with who,
// how and when, and an immediate edit of the incident's Slack message.

import type { Incident } from '../../generated/prisma/client.ts';
import type { Tx } from '../../jobs/effects.ts';
import { recordEntry } from '../../kernel/timeline.ts';
import { findIncidentByPagerDutyId, lockIncident, updateIncident } from '../../store/incidents.ts';
import { findPagerDutyWebhook, finishPagerDutyWebhook } from '../../store/pagerduty-webhooks.ts';
import { findInboundPayload } from '../../store/payloads.ts';
import type { PagingDeps } from './deps.ts';
import { channelOf, type WebhookEvent, WebhookPayload } from './webhook-event.ts';

type Change = Partial<Incident>;

interface Applied {
  outcome: string;
  text: string;
  change: Change | null;
}

export async function applyPagerDutyWebhook(deps: PagingDeps, eventId: string): Promise<void> {
  const row = await findPagerDutyWebhook(deps.db, eventId);
  if (!row || row.processedAt) return;
  const finish = (outcome: string) => finishPagerDutyWebhook(deps.db, eventId, deps.clock.now(), outcome);
  const payload = await findInboundPayload(deps.db, row.payloadId);
  const parsed = WebhookPayload.safeParse(payload?.body);
  const incident = row.pdIncidentId ? await findIncidentByPagerDutyId(deps.db, row.pdIncidentId) : null;
  // Events for incidents Failsafe did not create are kept and ignored.
  if (!parsed.success || !incident) return void (await finish(parsed.success ? 'not_ours' : 'unreadable'));
  const event = parsed.data.event;
  const assignee = await assigneeOf(deps, event);
  const changed = await deps.db.$transaction(async (tx) => {
    // Serialise with other events and clicks on this incident, then decide on its latest state.
    const fresh = await lockIncident(tx, incident.id);
    const applied = decide(fresh, event, assignee);
    if (applied.change) await updateIncident(tx, incident.id, applied.change);
    await record(tx, incident.id, event, applied.text);
    await finishPagerDutyWebhook(tx, eventId, deps.clock.now(), applied.outcome);
    return applied.change !== null;
  });
  if (changed) {
    await deps.queue.enqueue(
      'slack-refresh',
      `${incident.id}:pd:${event.id}`,
      { incidentId: incident.id },
      { inline: true },
    );
    await deps.incidentChanged?.(deps, incident.id);
  }
}

interface Assignee {
  name: string;
  pdId: string;
  email: string | null;
  slackId: string | null;
}

/** The new assignee after a reassign or escalation, with email and Slack id when findable. */
async function assigneeOf(deps: PagingDeps, event: WebhookEvent): Promise<Assignee | null> {
  const ref = event.data.assignees?.[0];
  if (!ref || !['incident.reassigned', 'incident.escalated'].includes(event.event_type)) return null;
  const user = deps.pagerduty.rest ? await deps.pagerduty.rest.getUser(ref.id).catch(() => null) : null;
  const slack = user?.email ? await deps.slack.lookupUserByEmail(user.email).catch(() => null) : null;
  return {
    name: user?.name ?? ref.summary ?? ref.id,
    pdId: ref.id,
    email: user?.email ?? null,
    slackId: slack?.id ?? null,
  };
}

const OLDER = ' (ignored: older than the last change)';

export function decide(incident: Incident, event: WebhookEvent, assignee: Assignee | null): Applied {
  const at = new Date(event.occurred_at);
  const who = event.agent?.summary ?? 'PagerDuty';
  const via = channelOf(event);
  const resolved = incident.status === 'resolved';
  const stale = incident.statusChangedAt !== null && at < incident.statusChangedAt;
  const keep = (outcome: string, text: string): Applied => ({ outcome, text, change: null });
  switch (event.event_type) {
    case 'incident.acknowledged':
      if (resolved || stale || incident.status === 'acknowledged')
        return keep('stale', `Acknowledged by ${who} (already ${incident.status})`);
      return {
        outcome: 'applied',
        text: `Acknowledged by ${who} from ${via}`,
        change: {
          status: 'acknowledged',
          statusChangedAt: at,
          acknowledgedAt: at,
          acknowledgedBy: who,
          acknowledgedVia: via,
        },
      };
    case 'incident.unacknowledged':
      if (resolved || stale || incident.status !== 'acknowledged')
        return keep('stale', 'Unacknowledged (ignored: older than the current state)');
      return {
        outcome: 'applied',
        text: 'Acknowledgement timed out in PagerDuty; the incident is unacknowledged again',
        change: {
          status: 'triggered',
          statusChangedAt: at,
          acknowledgedAt: null,
          acknowledgedBy: null,
          acknowledgedVia: null,
        },
      };
    case 'incident.resolved':
      if (resolved) return keep('stale', `Resolved by ${who} (already resolved)`);
      return {
        outcome: 'applied',
        text: `Resolved by ${who} from ${via}`,
        change: { status: 'resolved', statusChangedAt: at, resolvedAt: at, openKey: null },
      };
    case 'incident.reassigned':
    case 'incident.escalated': {
      const how = event.event_type === 'incident.escalated' ? 'escalated' : 'reassigned';
      const older = incident.assigneeChangedAt !== null && at < incident.assigneeChangedAt;
      if (resolved || !assignee || older)
        return keep(
          'stale',
          `${how === 'escalated' ? 'Escalated' : 'Reassigned'} by ${who}${older ? OLDER : ''}`,
        );
      const back = event.data.status === 'triggered' && incident.status === 'acknowledged' && !stale;
      return {
        outcome: 'applied',
        text: `${how === 'escalated' ? 'Escalated' : 'Reassigned'} to ${assignee.name} by ${who}`,
        change: {
          assigneeName: assignee.name,
          assigneePdId: assignee.pdId,
          assigneeEmail: assignee.email,
          assigneeSlackId: assignee.slackId,
          assignedVia: how,
          assigneeChangedAt: at,
          ...(back
            ? {
                status: 'triggered',
                statusChangedAt: at,
                acknowledgedAt: null,
                acknowledgedBy: null,
                acknowledgedVia: null,
              }
            : {}),
        },
      };
    }
    case 'incident.priority_updated': {
      const priority = event.data.priority?.summary ?? null;
      if (incident.priorityChangedAt !== null && at < incident.priorityChangedAt)
        return keep('stale', `Priority set to ${priority ?? 'none'} by ${who}${OLDER}`);
      return {
        outcome: 'applied',
        text: `Priority set to ${priority ?? 'none'} by ${who}`,
        change: { priority, priorityChangedAt: at },
      };
    }
    case 'incident.annotated':
      return keep('recorded', `Note from ${who}: ${event.data.content ?? ''}`.trim());
    default:
      return keep('ignored', `PagerDuty event ${event.event_type}`);
  }
}

async function record(tx: Tx, incidentId: string, event: WebhookEvent, text: string): Promise<void> {
  await recordEntry(tx, {
    incidentId,
    at: new Date(event.occurred_at),
    kind: `pagerduty.${event.event_type.replace(/^incident\./, '')}`,
    actor: event.agent?.summary ?? null,
    text,
    data: { eventId: event.id, client: event.client?.name ?? null, agentId: event.agent?.id ?? null },
    dedupKey: `pd:${event.id}`,
  });
}
