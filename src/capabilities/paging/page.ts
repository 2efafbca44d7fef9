// The page itself: who is on call for the feature, one PagerDuty incident, and the person's
// name recorded. Runs as a queued job; `performOnce` keeps replicas and retries from paging
// twice, and a retry first looks for an incident a crashed attempt may already have made.

import { UpstreamError } from '../../adapters/http.ts';
import type { Feature } from '../../config/catalog.ts';
import type { Incident } from '../../generated/prisma/client.ts';
import { performOnce } from '../../jobs/effects.ts';
import { recordEntry } from '../../kernel/timeline.ts';
import { findIncident, updateIncident } from '../../store/incidents.ts';
import { armAckTimer } from './ack-timeout.ts';
import type { PagingDeps } from './deps.ts';

export interface PageResult {
  mode: 'rest' | 'events';
  pdIncidentId: string | null;
  pdIncidentUrl: string | null;
  assigneeName: string | null;
  assigneeEmail: string | null;
  assigneePdId: string | null;
  [key: string]: string | null;
}

export async function pageIncident(deps: PagingDeps, incidentId: string): Promise<void> {
  const incident = await findIncident(deps.db, incidentId);
  if (!incident || incident.pageState === 'sent') return;
  const feature = deps.catalog.featureByKey(incident.featureKey);
  if (!feature) {
    deps.logger.error(
      { incidentId, feature: incident.featureKey },
      'incident feature is not in the catalog; not paging',
    );
    return;
  }
  // Features configured for it get a channel per incident. Queued before the page so a
  // PagerDuty outage does not hold it up; the job waits briefly to invite the paged person.
  if (feature.slack.incidentChannels) {
    await deps.queue.enqueue('incident-channel', incidentId, { incidentId });
  }
  const run = await performOnce<PageResult>(deps, `page:${incidentId}`, {
    claimMs: 60_000,
    perform: (attempt) => sendPage(deps, incident, feature, attempt),
    record: async (tx, result) => {
      const now = deps.clock.now();
      await updateIncident(tx, incidentId, {
        pageState: 'sent',
        pagedAt: now,
        pageError: null,
        pdIncidentId: result.pdIncidentId,
        pdIncidentUrl: result.pdIncidentUrl,
        assigneeName: result.assigneeName,
        assigneeEmail: result.assigneeEmail,
        assigneePdId: result.assigneePdId,
      });
      await recordEntry(tx, {
        incidentId,
        at: now,
        kind: 'page.sent',
        actor: 'failsafe',
        text: result.assigneeName
          ? `Paged ${result.assigneeName} through PagerDuty`
          : 'Paged the on-call person through PagerDuty Events',
        data: { pdIncidentId: result.pdIncidentId, mode: result.mode },
        dedupKey: `page:${incidentId}`,
      });
    },
  });
  if (!run.performed) return;
  deps.metrics.pages.inc({ outcome: incident.unreachableAt ? 'recovered' : 'sent' });
  deps.metrics.alertToPage.observe((deps.clock.now().getTime() - incident.openedAt.getTime()) / 1000);
  await deps.queue.enqueue('slack-post', incidentId, { incidentId }, { inline: true });
  if (run.result.mode === 'rest') {
    await armAckTimer(
      deps,
      { incidentId, level: 1, assigneePdId: run.result.assigneePdId },
      feature.ackTimeoutSeconds,
    );
  }
}

async function sendPage(
  deps: PagingDeps,
  incident: Incident,
  feature: Feature,
  attempt: number,
): Promise<PageResult> {
  const pd = feature.pagerduty;
  const { rest, events } = deps.pagerduty;
  if (rest && pd.service) {
    if (attempt > 1) {
      // A previous attempt may have created the incident and died before recording it.
      const existing = await rest.findIncidentByKey(incident.pdDedupKey);
      if (existing) return fromRest(existing, []);
    }
    const policy = pd.escalationPolicy ?? (await rest.getService(pd.service)).escalationPolicyId;
    const oncalls = await rest.listOncalls(policy);
    const created = await rest.createIncident({
      serviceId: pd.service,
      // Our number first: PagerDuty numbers its incidents its own way, and a person reading both
      // apps must see one number for one incident.
      title: `#${incident.number} [${incident.severity}] ${feature.name}: ${incident.title}`.slice(0, 1024),
      urgency: feature.severityUrgency[incident.severity as keyof Feature['severityUrgency']] ?? 'high',
      incidentKey: incident.pdDedupKey,
      details: `Failsafe incident #${incident.number} for ${feature.key}. ${incident.alertCount} alert(s).`,
    });
    return fromRest(created, oncalls);
  }
  if (pd.routingKey) {
    await events.enqueue({
      routingKey: pd.routingKey,
      action: 'trigger',
      dedupKey: incident.pdDedupKey,
      summary: `#${incident.number} [${incident.severity}] ${feature.name}: ${incident.title}`.slice(0, 1024),
      source: `failsafe/${feature.key}`,
      severity: incident.severity as 'critical' | 'error' | 'warning' | 'info',
      ...(incident.sourceUrl ? { links: [{ href: incident.sourceUrl, text: 'Alert source' }] } : {}),
      customDetails: {
        failsafe_incident: incident.number,
        feature: feature.key,
        alerts: incident.alertCount,
      },
    });
    return {
      mode: 'events',
      pdIncidentId: null,
      pdIncidentUrl: null,
      assigneeName: null,
      assigneeEmail: null,
      assigneePdId: null,
    };
  }
  throw new UpstreamError(
    'pagerduty',
    'PAGE',
    feature.key,
    'config',
    undefined,
    'the feature has no PagerDuty service (with PAGERDUTY_API_TOKEN) or routing key',
  );
}

type RestIncident = Awaited<ReturnType<NonNullable<PagingDeps['pagerduty']['rest']>['createIncident']>>;
type Oncall = Awaited<ReturnType<NonNullable<PagingDeps['pagerduty']['rest']>['listOncalls']>>[number];

function fromRest(created: RestIncident, oncalls: Oncall[]): PageResult {
  const assignee = created.assignees[0];
  const level1 = oncalls.filter((o) => o.escalationLevel === 1);
  const person =
    oncalls.find((o) => o.user.id === assignee?.id)?.user ?? (assignee ? undefined : level1[0]?.user);
  return {
    mode: 'rest',
    pdIncidentId: created.id,
    pdIncidentUrl: created.htmlUrl,
    assigneeName: assignee?.name ?? person?.name ?? null,
    assigneeEmail: person?.email ?? null,
    assigneePdId: assignee?.id ?? person?.id ?? null,
  };
}
