// Reads everything a draft needs from the database in a handful of queries (the timeline,
// with every captured channel message, in one), never from Slack's history. The only Slack
// calls are users.info for the lead and the owner, to name them in the appendix.
import type { Feature } from '../../config/catalog.ts';
import type { Incident } from '../../generated/prisma/client.ts';
import { displayName } from '../../kernel/slack-text.ts';
import { incidentFlagOperations } from '../../store/flags.ts';
import { alertsOfIncident } from '../../store/incidents.ts';
import { postmortemOfIncident } from '../../store/postmortems.ts';
import { incidentStory } from '../../store/timeline.ts';
import type { PostmortemDeps } from './deps.ts';
import type { FeatureFacts, PostmortemFacts, TimelineItem } from './facts.ts';
import { castPeople, type KnownPerson } from './people.ts';

/** Restores that end an incident's kill often start after it resolved; this far is still its own. */
const RESTORE_WINDOW_MS = 6 * 60 * 60_000;

export async function loadFacts(deps: PostmortemDeps, incident: Incident): Promise<PostmortemFacts> {
  const feature = deps.catalog.featureByKey(incident.featureKey);
  const until = new Date((incident.resolvedAt ?? deps.clock.now()).getTime() + RESTORE_WINDOW_MS);
  const [rows, alerts, operations, postmortem] = await Promise.all([
    // Failsafe's own postmortem bookkeeping is not part of the incident's story.
    incidentStory(deps.db, incident.id),
    alertsOfIncident(deps.db, incident.id),
    incidentFlagOperations(deps.db, incident, { from: incident.openedAt, until }),
    postmortemOfIncident(deps.db, incident.id),
  ]);
  const entries: TimelineItem[] = rows.map((r) => ({
    ...r,
    data:
      r.data && typeof r.data === 'object' && !Array.isArray(r.data)
        ? (r.data as Record<string, unknown>)
        : null,
  }));
  const [lead, owner] = await Promise.all([
    lookup(deps, incident.leadSlackId ?? incident.declaredBy),
    lookup(deps, feature?.owner.slack ?? null),
  ]);
  return {
    incident: {
      id: incident.id,
      number: incident.number,
      title: incident.title,
      severity: incident.severity,
      status: incident.status,
      openedAt: incident.openedAt,
      acknowledgedAt: incident.acknowledgedAt,
      mitigatedAt: incident.mitigatedAt,
      resolvedAt: incident.resolvedAt,
      rootCause: incident.rootCause,
      channelId: incident.channelId,
      channelName: incident.channelName,
      pdIncidentUrl: incident.pdIncidentUrl,
      alertCount: incident.alertCount,
    },
    feature: featureFacts(deps, incident.featureKey, feature),
    entries,
    alerts: alerts.map((a) => ({
      source: a.source,
      fingerprint: a.fingerprint,
      status: a.status,
      severity: a.severity,
      summary: a.summary,
      description: a.description,
      labels: stringLabels(a.labels),
      annotations: stringLabels(a.annotations),
      startsAt: a.startsAt,
      endsAt: a.endsAt,
      firstSeenAt: a.firstSeenAt,
      receiveCount: a.receiveCount,
    })),
    flagOperations: operations.map((op) => ({
      id: op.id,
      kind: op.kind,
      state: op.state,
      flag: op.flag,
      environment: op.environment,
      requestedByName: op.requestedByName,
      reason: op.reason,
      steps: op.steps,
      holdSeconds: op.holdSeconds,
      createdAt: op.createdAt,
      flippedAt: op.flippedAt,
      confirmMs: op.confirmMs,
      finishedAt: op.finishedAt,
      lastError: op.lastError,
    })),
    people: castPeople({ onCall: onCallPeople(incident, entries), lead, owner, entries }),
    review: { reviewedAt: postmortem?.reviewedAt ?? null, version: postmortem?.latestVersion ?? 0 },
  };
}

function featureFacts(deps: PostmortemDeps, key: string, feature: Feature | null): FeatureFacts {
  const slo = feature?.slo;
  return {
    key,
    name: feature?.name ?? key,
    timeZone: deps.catalog.timeZoneFor(feature),
    fallback: feature?.fallback ?? null,
    flag: feature?.unleash ? { flag: feature.unleash.flag, environment: feature.unleash.environment } : null,
    slo: slo
      ? {
          targetPercent: Math.round(slo.target * 10_000) / 100,
          periodDays: Math.round(slo.periodSeconds / 86_400),
          kinds: slo.kinds,
        }
      : null,
    watches: feature?.watches.map((w) => w.metric) ?? [],
  };
}

/** Everyone paged, in order: the first page, then whoever escalations handed it to. */
function onCallPeople(incident: Incident, entries: readonly TimelineItem[]): KnownPerson[] {
  const names: string[] = [];
  for (const e of entries) {
    const paged = e.kind === 'page.sent' ? /^Paged (.+) through PagerDuty$/.exec(e.text)?.[1] : undefined;
    // "Escalated by Jane Doe from Slack to Ana Ruiz." (Slack) or "Escalated to Ana Ruiz by Jane Doe" (PagerDuty).
    const escalated = /escalated$/.test(e.kind) ? /\bto (.+?)(?: by .+)?\.?$/.exec(e.text)?.[1] : undefined;
    const name = paged ?? escalated;
    if (name && !names.includes(name)) names.push(name);
  }
  if (incident.assigneeName && !names.includes(incident.assigneeName)) names.push(incident.assigneeName);
  return names.map((name) => ({
    name,
    slackId: name === incident.assigneeName ? incident.assigneeSlackId : null,
  }));
}

async function lookup(deps: PostmortemDeps, slackId: string | null): Promise<KnownPerson | null> {
  if (!slackId) return null;
  const user = await deps.slack.usersInfo(slackId).catch(() => null);
  return { slackId, name: displayName(user, slackId), handle: user?.name ?? null };
}

function stringLabels(labels: unknown): Record<string, string> {
  if (!labels || typeof labels !== 'object') return {};
  return Object.fromEntries(
    Object.entries(labels as Record<string, unknown>).filter(
      (e): e is [string, string] => typeof e[1] === 'string',
    ),
  );
}
